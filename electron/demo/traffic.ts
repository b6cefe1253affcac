/**
 * The simulated shop API's traffic: which routes are called, how each answers, and what the
 * handler logs. The same model answers generated traffic and real requests to the demo server.
 */
import { ORDER_DATE_RANGE_ERROR, RECEIPT_TYPE_ERROR, type SimulatedError } from './errors'
import type { SeededRandom } from './random'

/** Which release of the app answered. */
export type Instance = 'old' | 'new'

/** pino's numeric levels. */
export type PinoLevel = 20 | 30 | 40 | 50

/** A line the route handler writes through `req.log` before the request completes. */
export interface HandlerLine {
  level: PinoLevel
  msg: string
  fields: Record<string, string | number | boolean>
}

export interface Answer {
  status: number
  bytes: number
  /** Typical duration of this answer; the request's own is drawn around it. */
  medianMs: number
  handlerLines: HandlerLine[]
  error: SimulatedError | null
}

export interface RouteSpec {
  method: string
  /** The route as the analysis names it (ids replaced by `:id`). */
  route: string
  /** Share of the traffic, relative to the others. */
  weight: number
  /** nginx answers static files and blocked paths itself: they never reach the app log. */
  servedBy: 'nginx' | 'app'
  /** Recognizes a real request's path (query excluded). */
  match: RegExp
  samplePath(rng: SeededRandom): string
  answer(rng: SeededRandom, instance: Instance, path: string): Answer
}

export const BROKEN_ROUTE = { method: 'GET', route: '/api/orders/:id/receipt' } as const
/** Share of receipt requests the new version fails: orders created before the totals migration. */
export const BROKEN_SHARE = 0.85
/** The long-standing rare failure of the orders list, before and after the deploy. */
const SPORADIC_SHARE = 0.015

const CATEGORIES = ['shoes', 'jackets', 'bags', 'hats', 'socks', 'outdoor']
const STATIC_FILES = ['/static/js/main.3f9c2b1a.js', '/static/js/vendor.91d7e0c4.js', '/static/css/main.c51f7a2e.css', '/static/img/logo.8b2f.svg', '/favicon.ico']
const SCANNER_PATHS = ['/wp-login.php', '/.env', '/admin/config.php', '/.git/config', '/phpmyadmin/index.php']

/** The number in the path's `index`-th numeric segment (0 when absent). */
function idIn(path: string, index = 0): number {
  const ids = path.split('?')[0].split('/').filter((s) => /^\d+$/.test(s))
  return ids[index] === undefined ? 0 : Number(ids[index])
}

const ok = (bytes: number, medianMs: number, handlerLines: HandlerLine[], status = 200): Answer => ({ status, bytes, medianMs, handlerLines, error: null })
const info = (msg: string, fields: HandlerLine['fields'] = {}): HandlerLine => ({ level: 30, msg, fields })
const warn = (msg: string, fields: HandlerLine['fields'] = {}): HandlerLine => ({ level: 40, msg, fields })

/** An Express error handler's answer: `{"error":"Internal Server Error","requestId":…}`. */
function failure(error: SimulatedError, medianMs: number, handlerLines: HandlerLine[]): Answer {
  return { status: 500, bytes: 83, medianMs, handlerLines, error }
}

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'GET',
    route: '/static/*',
    weight: 14,
    servedBy: 'nginx',
    match: /^\/(static\/.+|favicon\.ico)$/,
    samplePath: (rng) => rng.pick(STATIC_FILES),
    // Browsers revalidate cached assets: most answers are 304.
    answer: (rng) => (rng.chance(0.65) ? ok(0, 1, [], 304) : ok(rng.int(4_000, 180_000), 2, []))
  },
  {
    method: 'GET',
    route: '/api/products',
    weight: 16,
    servedBy: 'app',
    match: /^\/api\/products$/,
    samplePath: (rng) => `/api/products?category=${rng.pick(CATEGORIES)}&page=${rng.int(1, 6)}`,
    answer: (rng, _instance, path) => {
      const page = Number(/page=(\d+)/.exec(path)?.[1] ?? 1)
      const count = page >= 5 ? rng.int(0, 24) : 24
      return ok(600 + count * 410, 18, [info('listed products', { category: /category=(\w+)/.exec(path)?.[1] ?? 'all', page, count })])
    }
  },
  {
    method: 'GET',
    route: '/api/products/:id',
    weight: 18,
    servedBy: 'app',
    match: /^\/api\/products\/\d+$/,
    samplePath: (rng) => `/api/products/${rng.int(1000, 4999)}`,
    answer: (rng, _instance, path) => {
      const productId = idIn(path)
      if (rng.chance(0.08)) return { ...ok(46, 6, [info('product not found', { productId })]), status: 404 }
      return ok(rng.int(1_800, 3_400), 9, [info('product loaded', { productId, cache: rng.chance(0.8) ? 'hit' : 'miss' })])
    }
  },
  {
    method: 'GET',
    route: '/api/orders',
    weight: 6,
    servedBy: 'app',
    match: /^\/api\/orders$/,
    samplePath: (rng) => `/api/orders?status=${rng.pick(['open', 'shipped', 'all'])}&limit=20`,
    answer: (rng) => {
      const count = rng.int(0, 20)
      const lines = [info('listed orders', { count })]
      if (rng.chance(SPORADIC_SHARE)) return failure(ORDER_DATE_RANGE_ERROR, 25, lines)
      return ok(120 + count * 640, 31, lines)
    }
  },
  {
    method: 'GET',
    route: '/api/orders/:id',
    weight: 10,
    servedBy: 'app',
    match: /^\/api\/orders\/\d+$/,
    samplePath: (rng) => `/api/orders/${rng.int(40_000, 59_999)}`,
    answer: (rng, _instance, path) => {
      const orderId = idIn(path)
      if (rng.chance(0.05)) return { ...ok(44, 7, [info('order not found', { orderId })]), status: 404 }
      return ok(rng.int(1_100, 2_600), 14, [info('order loaded', { orderId, items: rng.int(1, 6) })])
    }
  },
  {
    method: BROKEN_ROUTE.method,
    route: BROKEN_ROUTE.route,
    weight: 11,
    servedBy: 'app',
    match: /^\/api\/orders\/\d+\/receipt$/,
    samplePath: (rng) => `/api/orders/${rng.int(40_000, 59_999)}/receipt`,
    answer: (rng, instance, path) => {
      const lines = [info('rendering receipt', { orderId: idIn(path), template: instance === 'new' ? 'receipt-v2' : 'receipt' })]
      if (instance === 'new' && rng.chance(BROKEN_SHARE)) return failure(RECEIPT_TYPE_ERROR, 11, lines)
      return ok(rng.int(5_200, 9_800), 42, lines)
    }
  },
  {
    method: 'GET',
    route: '/api/cart',
    weight: 8,
    servedBy: 'app',
    match: /^\/api\/cart$/,
    samplePath: () => '/api/cart',
    answer: (rng) => {
      const items = rng.int(0, 5)
      return ok(90 + items * 310, 8, [info('cart loaded', { items })])
    }
  },
  {
    method: 'POST',
    route: '/api/cart/items',
    weight: 7,
    servedBy: 'app',
    match: /^\/api\/cart\/items$/,
    samplePath: () => '/api/cart/items',
    answer: (rng) => {
      const sku = rng.int(1000, 4999)
      if (rng.chance(0.05)) return { ...ok(71, 5, [warn('validation failed', { field: 'quantity', sku })]), status: 422 }
      return ok(rng.int(300, 1_500), 16, [info('item added to cart', { sku, quantity: rng.int(1, 3) })], 201)
    }
  },
  {
    method: 'DELETE',
    route: '/api/cart/items/:id',
    weight: 2,
    servedBy: 'app',
    match: /^\/api\/cart\/items\/\d+$/,
    samplePath: (rng) => `/api/cart/items/${rng.int(1000, 4999)}`,
    answer: (_rng, _instance, path) => ok(0, 9, [info('item removed from cart', { sku: idIn(path) })], 204)
  },
  {
    method: 'POST',
    route: '/api/checkout',
    weight: 3,
    servedBy: 'app',
    match: /^\/api\/checkout$/,
    samplePath: () => '/api/checkout',
    answer: (rng) => {
      const latencyMs = rng.latency(180)
      if (rng.chance(0.1))
        return { ...ok(96, latencyMs + 20, [warn('payment declined', { provider: 'payments-api', code: 'card_declined', latencyMs })]), status: 402 }
      const orderId = rng.int(60_000, 69_999)
      return ok(rng.int(700, 1_200), latencyMs + 40, [info('payment authorized', { provider: 'payments-api', latencyMs }), info('order created', { orderId })], 201)
    }
  },
  {
    method: 'GET',
    route: '/api/me',
    weight: 5,
    servedBy: 'app',
    match: /^\/api\/me$/,
    samplePath: () => '/api/me',
    answer: (rng) =>
      rng.chance(0.15) ? { ...ok(52, 3, [warn('session expired or missing')]), status: 401 } : ok(rng.int(400, 700), 6, [info('session resolved', { userId: rng.int(100_000, 999_999) })])
  },
  {
    method: 'GET',
    route: '(scanners)',
    weight: 1,
    servedBy: 'nginx',
    match: /^\/(wp-login\.php|\.env|admin\/config\.php|\.git\/config|phpmyadmin\/index\.php)$/,
    samplePath: (rng) => rng.pick(SCANNER_PATHS),
    answer: () => ok(153, 0, [], 404)
  }
]

/** The route a real request is for, or null (the demo then answers 404 like any unknown path). */
export function routeFor(method: string, path: string): RouteSpec | null {
  const bare = path.split('?')[0]
  return ROUTES.find((r) => r.method === method && r.match.test(bare)) ?? null
}
