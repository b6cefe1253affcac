import { describe, expect, it } from 'vitest'
import { matchesFilter, parseFilter, type Filter } from '../../../shared/filter'
import type { AppEvent, ProxyErrorEvent, RequestEvent } from '../../../shared/model/evidence'

const request = (over: Partial<RequestEvent> = {}): RequestEvent => ({
  kind: 'request',
  line: 1,
  lines: 1,
  offset: 0,
  time: Date.UTC(2026, 11, 2, 10, 0, 0),
  method: 'POST',
  path: '/api/orders/8812?expand=items',
  route: '/api/orders/:id',
  status: 500,
  bytes: 120,
  durationMs: 31,
  requestId: 'req-1f3a',
  client: '1.2.3.4',
  userAgent: 'Mozilla/5.0',
  upstreamStatus: null,
  instance: '10.0.3.14:8080',
  ...over
})

const app = (over: Partial<AppEvent> = {}): AppEvent => ({
  kind: 'app',
  line: 7,
  lines: 3,
  offset: 400,
  time: Date.UTC(2026, 11, 2, 10, 0, 1),
  level: 'error',
  message: 'Request processing failed: java.lang.NullPointerException',
  errorType: 'java.lang.NullPointerException',
  errorMessage: 'Cannot invoke "Order.total()" because "order" is null',
  stack: 'java.lang.NullPointerException\n\tat com.shop.OrderService.price(OrderService.java:88)',
  requestId: null,
  method: null,
  path: null,
  status: null,
  logger: 'o.a.c.c.C.[dispatcherServlet]',
  instance: 'orders-7f9c',
  ...over
})

const proxy: ProxyErrorEvent = {
  kind: 'proxy-error',
  line: 3,
  lines: 1,
  offset: 90,
  time: Date.UTC(2026, 11, 2, 10, 0, 2),
  level: 'error',
  message: 'connect() failed (111: Connection refused) while connecting to upstream',
  reason: 'refused',
  upstream: '10.0.3.15:8080',
  method: 'GET',
  path: '/api/cart',
  client: '5.6.7.8'
}

function filter(text: string): Filter {
  const parsed = parseFilter(text)
  if (!parsed.ok) throw new Error(parsed.error)
  return parsed.filter
}

describe('parseFilter', () => {
  it('reads every term of the example in the issue', () => {
    const f = filter('status>=500 route:/api/orders/:id method:POST client:1.2.3.4 instance:10.0.3.14:8080 "null pointer"')
    expect(f.terms.map((t) => t.field)).toEqual(['status', 'route', 'method', 'client', 'instance', 'text'])
    expect(f.terms[0]).toMatchObject({ op: '>=', value: 500, negate: false })
    expect(f.terms[4]).toMatchObject({ values: ['10.0.3.14:8080'] })
    expect(f.terms[5]).toMatchObject({ value: 'null pointer' })
  })

  it('empty text keeps everything', () => {
    expect(filter('   ').terms).toEqual([])
    expect(matchesFilter(filter(''), request())).toBe(true)
  })

  it.each([
    ['status>=abc', /status>=abc: status takes a number from 100 to 599/],
    ['status>=700', /status>=700: status takes a number/],
    ['status>5xx', /status>5xx: status takes a number/],
    ['statusx', /statusx: write status as status>=500/],
    ['host:web-1', /host:web-1: unknown field host \(fields: status, method/],
    ['"unclosed text', /"unclosed text: the quote is not closed/],
    ['method:', /method:: method: needs a value/],
    ['kind:log', /kind:log: kind is one of request, app, proxy-error/],
    ['level:loud', /level:loud: level is one of/],
    ['""', /"": the quoted text is empty/]
  ])('refuses %s in one line naming the term', (text, error) => {
    const parsed = parseFilter(`method:GET ${text}`)
    expect(parsed.ok).toBe(false)
    if (!parsed.ok) {
      expect(parsed.error).toMatch(error)
      expect(parsed.error).not.toContain('\n')
    }
  })
})

describe('matchesFilter', () => {
  it('compares status with every operator and by class', () => {
    const r = request({ status: 502 })
    expect(matchesFilter(filter('status>=500'), r)).toBe(true)
    expect(matchesFilter(filter('status>502'), r)).toBe(false)
    expect(matchesFilter(filter('status<=502'), r)).toBe(true)
    expect(matchesFilter(filter('status<500'), r)).toBe(false)
    expect(matchesFilter(filter('status:502'), r)).toBe(true)
    expect(matchesFilter(filter('status=500'), r)).toBe(false)
    expect(matchesFilter(filter('status!=500'), r)).toBe(true)
    expect(matchesFilter(filter('status:5xx'), r)).toBe(true)
    expect(matchesFilter(filter('status:4xx'), r)).toBe(false)
  })

  it('matches the route through the same normalisation the analysis uses, and paths by prefix', () => {
    expect(matchesFilter(filter('route:/api/orders/:id'), request())).toBe(true)
    expect(matchesFilter(filter('route:/api/orders'), request())).toBe(false)
    expect(matchesFilter(filter('path:/api/orders'), request())).toBe(true)
    expect(matchesFilter(filter('route:/api/*'), request())).toBe(true)
  })

  it('lists alternatives with commas, case-insensitively, and negates with a dash', () => {
    expect(matchesFilter(filter('method:get,post'), request())).toBe(true)
    expect(matchesFilter(filter('-method:POST'), request())).toBe(false)
    expect(matchesFilter(filter('-client:9.9.9.9'), request())).toBe(true)
    expect(matchesFilter(filter('instance:10.0.3.*'), request())).toBe(true)
    expect(matchesFilter(filter('client:1.2.3.40'), request())).toBe(false)
  })

  it('searches text in messages, exception types and stacks, and in request lines', () => {
    expect(matchesFilter(filter('"OrderService.java:88"'), app())).toBe(true)
    expect(matchesFilter(filter('nullpointerexception'), app())).toBe(true)
    expect(matchesFilter(filter('"connection refused"'), proxy)).toBe(true)
    expect(matchesFilter(filter('req-1f3a'), request())).toBe(true)
    expect(matchesFilter(filter('timeout'), app())).toBe(false)
  })

  it('an event without the field a term asks about fails it and passes its negation', () => {
    expect(matchesFilter(filter('status>=500'), app())).toBe(false)
    expect(matchesFilter(filter('-status>=500'), app())).toBe(true)
    expect(matchesFilter(filter('status>=500'), app({ status: 500, method: 'GET', path: '/x' }))).toBe(true)
  })

  it('reads kind, level and a proxy upstream as the instance', () => {
    expect(matchesFilter(filter('kind:proxy-error instance:10.0.3.15:8080'), proxy)).toBe(true)
    expect(matchesFilter(filter('kind:app level:error,fatal'), app())).toBe(true)
    expect(matchesFilter(filter('kind:request'), app())).toBe(false)
  })
})
