/**
 * Test-only incident generator: synthetic traffic written as real log files (several access
 * and app log stacks), plus deploy and health files, then run through the real pipeline —
 * file reading, format detection, parsing, aggregation — and the verdict engine.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AnalysisSnapshot, AnalysisV1 } from '../../../shared/contract/analysis'
import { readLogFiles } from '../../../electron/collect/read-files'
import { buildAnalysisSnapshot } from '../../../electron/session/analysis'
import { readDeploysFile, readHealthFile } from '../../../electron/collect/evidence-files'
import { runCli } from '../../../electron/cli/main'

export interface Req {
  time: number
  method: string
  path: string
  status: number
  requestId: string
  client: string
  durationMs: number
}

export interface AppError {
  time: number
  req: Req | null
  type: string
  message: string
  /** `Caused by:` / chained cause, for stacks that print one. */
  cause?: { type: string; message: string }
  level?: 'error' | 'warn' | 'info' | 'fatal'
}

export interface RouteSpec {
  method: string
  path: (rnd: () => number) => string
  weight: number
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export const T0 = Date.parse('2026-03-14T13:30:00Z')
export const min = (m: number): number => T0 + m * 60_000

export const DEFAULT_ROUTES: RouteSpec[] = [
  { method: 'GET', path: (r) => `/api/products/${1 + Math.floor(r() * 500)}`, weight: 30 },
  { method: 'GET', path: () => '/api/products', weight: 15 },
  { method: 'GET', path: (r) => `/api/cart/${1000 + Math.floor(r() * 900)}`, weight: 15 },
  { method: 'POST', path: () => '/api/checkout', weight: 8 },
  { method: 'GET', path: (r) => `/api/orders/${20_000 + Math.floor(r() * 5000)}`, weight: 12 },
  { method: 'GET', path: () => '/health', weight: 10 },
  { method: 'GET', path: (r) => `/api/search?q=item${Math.floor(r() * 50)}`, weight: 10 }
]

/** Requests (all 200 for now) from `from` for `minutes`, at `perSecond` (a number or a function of time). */
export function traffic(opts: { from?: number; minutes: number; perSecond: number | ((t: number) => number); routes?: RouteSpec[]; seed?: number }): Req[] {
  const rnd = prng(opts.seed ?? 7)
  const routes = opts.routes ?? DEFAULT_ROUTES
  const total = routes.reduce((n, r) => n + r.weight, 0)
  const from = opts.from ?? T0
  const out: Req[] = []
  let n = 0
  for (let s = 0; s < opts.minutes * 60; s++) {
    const t = from + s * 1000
    const rate = typeof opts.perSecond === 'number' ? opts.perSecond : opts.perSecond(t)
    let k = Math.floor(rate)
    if (rnd() < rate - k) k++
    for (let i = 0; i < k; i++) {
      let pick = rnd() * total
      const route = routes.find((r) => (pick -= r.weight) < 0) ?? routes[0]
      n++
      out.push({
        time: t + Math.floor(rnd() * 1000),
        method: route.method,
        path: route.path(rnd),
        status: 200,
        requestId: `req-${(n * 2654435761 >>> 0).toString(16).padStart(8, '0')}${n.toString(16).padStart(8, '0')}`,
        client: `10.0.${Math.floor(rnd() * 4)}.${1 + Math.floor(rnd() * 200)}`,
        durationMs: 5 + Math.floor(rnd() * 80)
      })
    }
  }
  return out.sort((a, b) => a.time - b.time)
}

/** Sets failing statuses: `decide` returns a 5xx status or null; returns the failing requests. */
export function fail(reqs: Req[], decide: (r: Req, rnd: () => number) => number | null, seed = 11): Req[] {
  const rnd = prng(seed)
  const failed: Req[] = []
  for (const r of reqs) {
    const status = decide(r, rnd)
    if (status !== null) {
      r.status = status
      failed.push(r)
    }
  }
  return failed
}

// ---- access logs -------------------------------------------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const clf = (t: number): string => {
  const d = new Date(t)
  const p = (n: number): string => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
}

export const access = {
  /** nginx combined + `$request_time $request_id`. */
  nginx: (reqs: Req[]): string =>
    reqs
      .map((r) => `${r.client} - - [${clf(r.time)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.status >= 500 ? 157 : 1834} "-" "Mozilla/5.0 (X11; Linux x86_64)" ${(r.durationMs / 1000).toFixed(3)} ${r.requestId}`)
      .join('\n') + '\n',
  /** Apache combined with `%D` (µs) and the vhost appended. */
  apache: (reqs: Req[]): string =>
    reqs
      .map((r) => `${r.client} - - [${clf(r.time)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.status >= 500 ? 532 : 2311} "https://shop.example.com/" "Mozilla/5.0 (Macintosh)" ${r.durationMs * 1000} shop.example.com`)
      .join('\n') + '\n',
  /** JSON access lines (an app's own request log). */
  json: (reqs: Req[]): string =>
    reqs
      .map((r) => JSON.stringify({ time: new Date(r.time).toISOString(), level: 'info', method: r.method, path: r.path, status: r.status, duration_ms: r.durationMs, request_id: r.requestId, remote_addr: r.client }))
      .join('\n') + '\n'
}

// ---- app logs ----------------------------------------------------------------------------

const javaStack = (e: AppError): string =>
  [
    `${e.type}: ${e.message}`,
    '\tat com.example.shop.CheckoutService.total(CheckoutService.java:88)',
    '\tat com.example.shop.CheckoutController.checkout(CheckoutController.java:41)',
    '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:897)',
    ...(e.cause ? [`Caused by: ${e.cause.type}: ${e.cause.message}`, '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)', '\t... 12 more'] : [])
  ].join('\n')

const pythonStack = (e: AppError): string =>
  [
    'Traceback (most recent call last):',
    '  File "/app/shop/views.py", line 42, in checkout',
    '    total = compute_total(cart)',
    '  File "/app/shop/pricing.py", line 17, in compute_total',
    '    rate = settings_value()',
    `${e.type}: ${e.message}`
  ].join('\n')

const nodeStack = (e: AppError): string =>
  [`${e.type}: ${e.message}`, '    at computeTotal (/srv/shop/src/cart/total.js:42:17)', '    at checkout (/srv/shop/src/routes/checkout.js:19:11)', '    at Layer.handle (/srv/shop/node_modules/express/lib/router/layer.js:95:5)'].join('\n')

const iso = (t: number): string => new Date(t).toISOString()
const pyTime = (t: number): string => iso(t).replace('T', ' ').replace('.', ',').slice(0, 23)

export const app = {
  /** pino (pino-http style on request errors). */
  pino: (errors: AppError[]): string =>
    errors
      .map((e) =>
        JSON.stringify({
          level: e.level === 'warn' ? 40 : e.level === 'info' ? 30 : e.level === 'fatal' ? 60 : 50,
          time: e.time,
          pid: 1,
          hostname: 'shop-7d9f',
          ...(e.req ? { req: { id: e.req.requestId, method: e.req.method, url: e.req.path }, res: { statusCode: e.req.status } } : {}),
          err: { type: e.type, message: e.message, stack: nodeStack(e) },
          msg: e.req ? 'request errored' : e.message
        })
      )
      .join('\n') + '\n',
  /** pino-http alone: every request as "request completed", failures as "request errored" with the error. */
  pinoHttp: (reqs: Req[], errorOf: (r: Req) => { type: string; message: string }): string =>
    reqs
      .map((r) => {
        const base = { time: r.time, pid: 1, hostname: 'shop-7d9f', req: { id: r.requestId, method: r.method, url: r.path, remoteAddress: r.client }, res: { statusCode: r.status }, responseTime: r.durationMs }
        if (r.status < 500) return JSON.stringify({ level: 30, ...base, msg: 'request completed' })
        const e = errorOf(r)
        return JSON.stringify({ level: 50, ...base, err: { type: e.type, message: e.message, stack: nodeStack({ time: r.time, req: r, ...e }) }, msg: 'request errored' })
      })
      .join('\n') + '\n',
  /** structlog JSON renderer with format_exc_info. */
  structlog: (errors: AppError[]): string =>
    errors
      .map((e) =>
        JSON.stringify({
          event: e.req ? `request failed: ${e.type}: ${e.message}` : e.message,
          level: e.level ?? 'error',
          timestamp: iso(e.time),
          logger: 'shop.views',
          ...(e.req ? { request_id: e.req.requestId, method: e.req.method, path: e.req.path } : {}),
          exception: pythonStack(e)
        })
      )
      .join('\n') + '\n',
  /** Spring Boot / logback text with Java traces, after the startup banner line and with request INFO lines. */
  logback: (errors: AppError[]): string =>
    [`${iso((errors[0]?.time ?? T0) - 60_000).replace('T', ' ').slice(0, 23)} INFO  1 --- [           main] c.e.shop.ShopApplication : Started ShopApplication in 4.21 seconds (process running for 4.9)`]
      .concat(errors.map((e) => {
        const d = iso(e.time).replace('T', ' ').slice(0, 23)
        const level = (e.level ?? 'error').toUpperCase().padEnd(5)
        const head = `${d} ${level} 1 --- [nio-8080-exec-${1 + (e.time % 9)}] c.e.shop.CheckoutController : ${e.req ? `Request ${e.req.method} ${e.req.path} failed` : e.message}`
        const info = e.req ? `${iso(e.time - 2).replace('T', ' ').slice(0, 23)} INFO  1 --- [nio-8080-exec-${1 + (e.time % 9)}] c.e.shop.RequestLogger : ${e.req.method} ${e.req.path} started\n` : ''
        return info + (e.level === 'warn' || e.level === 'info' ? head : `${head}\n${javaStack(e)}`)
      }))
      .join('\n') + '\n',
  /** zap production JSON (Go). */
  zap: (errors: AppError[]): string =>
    errors
      .map((e) =>
        JSON.stringify({
          level: e.level ?? 'error',
          ts: e.time / 1000,
          caller: 'api/handler.go:88',
          msg: e.req ? 'request failed' : e.message,
          error: `${e.message}`,
          ...(e.req ? { method: e.req.method, path: e.req.path, request_id: e.req.requestId } : {}),
          stacktrace: 'main.(*Server).handle\n\t/app/api/handler.go:88\nnet/http.HandlerFunc.ServeHTTP\n\t/usr/local/go/src/net/http/server.go:2136'
        })
      )
      .join('\n') + '\n',
  /** Python logging (`%(asctime)s %(levelname)s %(name)s %(message)s`) with tracebacks. */
  python: (errors: AppError[]): string =>
    errors
      .map((e) => {
        const head = `${pyTime(e.time)} ${(e.level ?? 'error').toUpperCase()} shop.views ${e.req ? `Internal Server Error: ${e.req.path}` : e.message}`
        return e.level === 'warn' || e.level === 'info' ? head : `${head}\n${pythonStack(e)}`
      })
      .join('\n') + '\n'
}

/** One error per failing request, described by `describe`. */
export const errorsFor = (failed: Req[], describe: (r: Req) => Omit<AppError, 'time' | 'req'>): AppError[] =>
  failed.map((r) => ({ time: r.time + 3, req: r, ...describe(r) }))

// ---- running -----------------------------------------------------------------------------

export interface ScenarioFiles {
  /** Log files: name → content. */
  logs: Record<string, string>
  deploys?: { version: string; at: number; [extra: string]: unknown }[]
  health?: { at: number; target: string; ok: boolean; latencyMs?: number; status?: number; detail?: string; components?: { name: string; ok: boolean; status: string }[] }[]
}

export interface ScenarioResult {
  v1: AnalysisV1
  snapshot: AnalysisSnapshot
}

/** Writes the files, runs `analyze --format json` and the snapshot builder; both outputs are schema-checked. */
export async function runScenario(files: ScenarioFiles): Promise<ScenarioResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-verdict-'))
  try {
    const logs: string[] = []
    for (const [name, content] of Object.entries(files.logs)) {
      const p = path.join(dir, name)
      await writeFile(p, content)
      logs.push(p)
    }
    const args = ['analyze', '--format', 'json']
    let deploysPath: string | null = null
    let healthPath: string | null = null
    if (files.deploys) {
      deploysPath = path.join(dir, 'deploys.json')
      await writeFile(deploysPath, JSON.stringify(files.deploys.map((d) => ({ ...d, at: iso(d.at) }))))
      args.push('--deploys', deploysPath)
    }
    if (files.health) {
      healthPath = path.join(dir, 'health.jsonl')
      await writeFile(healthPath, files.health.map((h) => JSON.stringify({ ...h, at: iso(h.at) })).join('\n') + '\n')
      args.push('--health', healthPath)
    }
    const io = { out: '', err: '', cwd: dir, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
    const code = await runCli([...args, ...logs], io)
    if (code !== 0) throw new Error(`analyze exited ${code}: ${io.err}`)
    const v1 = AnalysisV1.parse(JSON.parse(io.out))
    const deploys = deploysPath ? await readDeploysFile(deploysPath) : []
    const health = healthPath ? await readHealthFile(healthPath) : []
    const snapshot = AnalysisSnapshot.parse(buildAnalysisSnapshot(await readLogFiles(logs), deploys, health))
    return { v1, snapshot }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
