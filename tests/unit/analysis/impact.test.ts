/**
 * Who the 5xx hurt, through the real pipeline: log files written in the shapes nginx, Cloudflare
 * Logpush and CloudFront write, read by `analyze --format json` and the snapshot builder.
 */
import { describe, expect, it } from 'vitest'
import { runScenario, T0 } from '../verdict/scenario'
import { LinePipeline, mergeResults } from '../../../electron/collect/ingest'
import { DistinctCounter, MAX_EXACT_DISTINCT } from '../../../shared/analysis/distinct'
import { crawlerOf, verifyCrawler } from '../../../shared/analysis/crawlers'
import { summarize } from '../../../shared/analysis/impact'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => String(n).padStart(2, '0')
const clf = (t: number): string => {
  const d = new Date(t)
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}
const s = (seconds: number): number => T0 + seconds * 1000

const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0'
const SAFARI = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'
const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'
const YANDEX = 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'
const OKHTTP = 'okhttp/4.12.0'

/** nginx combined with `$request_time`, as `log_format main` plus timing writes it. */
const nginx = (t: number, ip: string, method: string, path: string, status: number, agent: string): string =>
  `${ip} - - [${clf(t)}] "${method} ${path} HTTP/1.1" ${status} ${status >= 500 ? 157 : 2311} "-" "${agent}" ${status >= 500 ? '0.212' : '0.031'}`

function baseline(): string[] {
  const lines: string[] = []
  for (let i = 0; i < 40; i++) lines.push(nginx(s(i * 5), `198.51.100.${10 + (i % 7)}`, 'GET', `/products/${1000 + i}`, 200, FIREFOX))
  return lines
}

describe('impact from an nginx access log', () => {
  it('counts distinct clients by address and user agent, and checks crawler claims against published ranges', async () => {
    const lines = [
      ...baseline(),
      // Two clients behind one NAT address: different browsers are different clients.
      nginx(s(300), '203.0.113.7', 'GET', '/products/1', 502, FIREFOX),
      nginx(s(301), '203.0.113.7', 'GET', '/products/2', 502, SAFARI),
      nginx(s(302), '203.0.113.7', 'GET', '/products/3', 502, FIREFOX),
      nginx(s(303), '198.51.100.44', 'GET', '/products/4', 500, FIREFOX),
      // The real Googlebot (66.249.64.0/19) on three URLs, one of them twice, then again an hour later.
      nginx(s(310), '66.249.66.1', 'GET', '/products/10', 500, GOOGLEBOT),
      nginx(s(311), '66.249.66.1', 'GET', '/products/11', 500, GOOGLEBOT),
      nginx(s(312), '66.249.73.135', 'GET', '/products/10', 500, GOOGLEBOT),
      nginx(s(3900), '66.249.66.1', 'GET', '/products/12', 503, GOOGLEBOT),
      // A scraper wearing Googlebot's user agent from a hosting range.
      nginx(s(320), '45.134.26.91', 'GET', '/products/20', 500, GOOGLEBOT),
      nginx(s(321), '45.134.26.91', 'GET', '/products/21', 500, GOOGLEBOT),
      nginx(s(330), '157.55.39.214', 'GET', '/products/30', 500, BINGBOT),
      nginx(s(340), '5.255.253.20', 'GET', '/products/40', 500, YANDEX),
      // A crawler that got no 5xx is no impact.
      nginx(s(350), '66.249.66.2', 'GET', '/products/50', 200, GOOGLEBOT)
    ]
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': lines.join('\n') + '\n' } })
    const impact = v1.impact
    expect(impact).not.toBeNull()
    // 203.0.113.7 ×2 agents, 198.51.100.44, 66.249.66.1, 66.249.73.135, 45.134.26.91, 157.55.39.214, 5.255.253.20.
    expect(impact?.clients).toBe(8)
    expect(impact?.clientsEstimated).toBe(false)
    expect(impact?.unidentified5xx).toBe(0)
    expect(impact?.crawlers).toEqual([
      { agent: 'Googlebot', verification: 'verified', requests5xx: 4, urls: 3, from: new Date(s(310)).toISOString(), to: new Date(s(3900)).toISOString() },
      { agent: 'Googlebot', verification: 'spoofed', requests5xx: 2, urls: 2, from: new Date(s(320)).toISOString(), to: new Date(s(321)).toISOString() },
      { agent: 'Bingbot', verification: 'verified', requests5xx: 1, urls: 1, from: new Date(s(330)).toISOString(), to: new Date(s(330)).toISOString() },
      { agent: 'YandexBot', verification: 'unverified', requests5xx: 1, urls: 1, from: new Date(s(340)).toISOString(), to: new Date(s(340)).toISOString() }
    ])
    expect(impact?.retriedNonIdempotent).toBe(0)
    expect(impact?.cached5xx).toBe(0)
    // nginx's combined layout logs no cache status: its 0 cached 5xx says nothing.
    expect(impact?.cacheLogged).toBe(false)
    expect(impact?.agentsLogged).toBe(true)
    // The screen's snapshot carries the same figures as the CLI.
    expect(snapshot.v1.impact).toEqual(impact)
  })

  it('counts POST/PATCH re-sent by the same client to the same path within 60 s after a 5xx', async () => {
    const lines = [
      ...baseline(),
      // Re-sent twice (both fail), then a third time that succeeds: three re-sends.
      nginx(s(300), '203.0.113.20', 'POST', '/api/checkout', 502, FIREFOX),
      nginx(s(302), '203.0.113.20', 'POST', '/api/checkout', 502, FIREFOX),
      nginx(s(310), '203.0.113.20', 'POST', '/api/checkout', 502, FIREFOX),
      nginx(s(340), '203.0.113.20', 'POST', '/api/checkout', 201, FIREFOX),
      // A PATCH re-sent by a mobile app.
      nginx(s(400), '198.51.100.90', 'PATCH', '/api/orders/881', 500, OKHTTP),
      nginx(s(401), '198.51.100.90', 'PATCH', '/api/orders/881', 200, OKHTTP),
      // Not re-sends: after more than 60 s, another client, another path, a GET, a POST after a success.
      nginx(s(500), '203.0.113.30', 'POST', '/api/checkout', 500, FIREFOX),
      nginx(s(561), '203.0.113.30', 'POST', '/api/checkout', 201, FIREFOX),
      nginx(s(600), '203.0.113.31', 'POST', '/api/checkout', 500, FIREFOX),
      nginx(s(601), '203.0.113.32', 'POST', '/api/checkout', 201, FIREFOX),
      nginx(s(602), '203.0.113.31', 'POST', '/api/cart', 201, FIREFOX),
      nginx(s(603), '203.0.113.31', 'POST', '/api/checkout', 201, SAFARI),
      nginx(s(700), '203.0.113.40', 'GET', '/api/orders/1', 500, FIREFOX),
      nginx(s(701), '203.0.113.40', 'GET', '/api/orders/1', 200, FIREFOX),
      nginx(s(800), '203.0.113.41', 'POST', '/api/checkout', 201, FIREFOX),
      nginx(s(801), '203.0.113.41', 'POST', '/api/checkout', 201, FIREFOX)
    ]
    const { v1 } = await runScenario({ logs: { 'access.log': lines.join('\n') + '\n' } })
    expect(v1.impact?.retriedNonIdempotent).toBe(4)
  })

  it('has no impact to state when no request was read', async () => {
    const app = [
      '2026-03-14 13:30:00.120 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception',
      'java.lang.IllegalStateException: cart is empty',
      '\tat com.example.shop.CheckoutService.total(CheckoutService.java:88)'
    ]
    const { v1 } = await runScenario({ logs: { 'app.log': app.join('\n') + '\n' } })
    expect(v1.requests).toBe(0)
    expect(v1.impact).toBeNull()
  })
})

/** Cloudflare Logpush (http_requests), default unixnano timestamps. */
const cloudflare = (t: number, ip: string, uri: string, status: number, cache: string, origin: number): string =>
  JSON.stringify({
    CacheCacheStatus: cache,
    ClientIP: ip,
    ClientRequestHost: 'shop.example.com',
    ClientRequestMethod: 'GET',
    ClientRequestURI: uri,
    ClientRequestUserAgent: FIREFOX,
    EdgeEndTimestamp: (t + 4) * 1e6,
    EdgeResponseBytes: status >= 500 ? 612 : 18_304,
    EdgeResponseStatus: status,
    EdgeStartTimestamp: t * 1e6,
    OriginResponseStatus: origin,
    RayID: `86a1f3c2bd0e${(t / 1000).toString(16).slice(-4)}`
  })

describe('impact from a CDN log', () => {
  it("counts Cloudflare's cached 5xx by CacheCacheStatus", async () => {
    const lines: string[] = []
    for (let i = 0; i < 30; i++) lines.push(cloudflare(s(i * 2), `198.51.100.${i + 1}`, `/api/catalog/${i}`, 200, i % 2 === 0 ? 'hit' : 'miss', i % 2 === 0 ? 0 : 200))
    // The origin failed once; the edge cached its 503 and served it from the cache three times.
    lines.push(cloudflare(s(100), '203.0.113.1', '/api/catalog/7', 503, 'miss', 503))
    lines.push(cloudflare(s(101), '203.0.113.2', '/api/catalog/7', 503, 'hit', 0))
    lines.push(cloudflare(s(102), '203.0.113.3', '/api/catalog/7', 503, 'hit', 0))
    lines.push(cloudflare(s(103), '203.0.113.4', '/api/catalog/7', 503, 'stale', 0))
    lines.push(cloudflare(s(104), '203.0.113.5', '/api/catalog/8', 502, 'dynamic', 502))
    const { v1 } = await runScenario({ logs: { 'cloudflare.json': lines.join('\n') + '\n' } })
    expect(v1.requests).toBe(35)
    expect(v1.impact?.cached5xx).toBe(3)
    expect(v1.impact?.cacheLogged).toBe(true)
    expect(v1.impact?.clients).toBe(5)
  })

  it("reads CloudFront's `Error` as cached when the edge answered too fast to have asked the origin", async () => {
    const header = [
      '#Version: 1.0',
      '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version fle-status fle-encrypted-fields c-port time-to-first-byte x-edge-detailed-result-type sc-content-type sc-content-len sc-range-start sc-range-end'
    ]
    const agent = 'Mozilla/5.0%20(Windows%20NT%2010.0;%20Win64;%20x64)%20AppleWebKit/537.36%20(KHTML,%20like%20Gecko)%20Chrome/124.0.0.0%20Safari/537.36'
    const line = (t: number, ip: string, path: string, status: number, result: string, taken: string, detailed: string): string => {
      const d = new Date(t).toISOString()
      return [d.slice(0, 10), d.slice(11, 19), 'FRA56-P5', status >= 500 ? '915' : '20311', ip, 'GET', 'd1a2b3c4d5e6f7.cloudfront.net', path, String(status), '-', agent, '-', '-',
        result, `Xq${t.toString(36)}EXAMPLEid==`, 'shop.example.com', 'https', '182', taken, '-', 'TLSv1.3', 'TLS_AES_128_GCM_SHA256', result, 'HTTP/2.0', '-', '-', '50123', taken, detailed,
        status >= 500 ? 'text/html' : 'application/json', status >= 500 ? '915' : '20311', '-', '-'].join('\t')
    }
    const lines = [...header]
    for (let i = 0; i < 20; i++) lines.push(line(s(i * 3), `198.51.100.${i + 1}`, `/api/catalog/${i}`, 200, i % 3 === 0 ? 'Miss' : 'Hit', i % 3 === 0 ? '0.084' : '0.001', i % 3 === 0 ? 'Miss' : 'Hit'))
    lines.push(line(s(100), '203.0.113.1', '/api/catalog/7', 502, 'Error', '0.531', 'Error'))
    lines.push(line(s(101), '203.0.113.2', '/api/catalog/7', 502, 'Error', '0.001', 'Error'))
    lines.push(line(s(102), '203.0.113.3', '/api/catalog/7', 502, 'Error', '0.002', 'Error'))
    // The origin refused the connection: the detailed type says so, however fast.
    lines.push(line(s(103), '203.0.113.4', '/api/catalog/9', 502, 'Error', '0.002', 'OriginConnectError'))
    const { v1 } = await runScenario({ logs: { 'E2ABCDEF.2026-03-14-13.log': lines.join('\n') + '\n' } })
    expect(v1.sources[0].format).toBe('cloudfront')
    expect(v1.requests).toBe(24)
    expect(v1.impact?.cached5xx).toBe(2)
  })

  it("reads Fastly's cache state from a JSON log whose key no definition names, by inference", async () => {
    // A Fastly real-time logging endpoint with a JSON format of the service's own keys.
    const fastly = (t: number, ip: string, url: string, status: number, state: string): string =>
      JSON.stringify({ timestamp: new Date(t).toISOString(), client_ip: ip, request_method: 'GET', url, response_status: status, edge_cache_state: state, response_body_size: 612, user_agent: SAFARI })
    const lines: string[] = []
    for (let i = 0; i < 20; i++) lines.push(fastly(s(i), `198.51.100.${i + 1}`, `/assets/app.${i}.js`, 200, i % 2 === 0 ? 'HIT' : 'MISS'))
    lines.push(fastly(s(50), '203.0.113.1', '/api/prices', 503, 'MISS'))
    lines.push(fastly(s(51), '203.0.113.2', '/api/prices', 503, 'HIT-STALE'))
    lines.push(fastly(s(52), '203.0.113.3', '/api/prices', 503, 'HIT'))
    lines.push(fastly(s(53), '203.0.113.4', '/api/prices', 503, 'HIT-SYNTH'))
    const { v1 } = await runScenario({ logs: { 'fastly.jsonl': lines.join('\n') + '\n' } })
    expect(v1.sources[0].fieldMap?.cache).toBe('edge_cache_state')
    expect(v1.impact?.cached5xx).toBe(2)
  })
})

describe('impact across reads', () => {
  it('a re-send that crosses the boundary between two shares of one file is counted once', () => {
    const lines = [
      ...baseline(),
      nginx(s(300), '203.0.113.20', 'POST', '/api/checkout', 502, FIREFOX),
      nginx(s(305), '198.51.100.90', 'PATCH', '/api/orders/881', 500, OKHTTP)
    ]
    const second = [
      nginx(s(310), '203.0.113.20', 'POST', '/api/checkout', 502, FIREFOX),
      nginx(s(320), '203.0.113.20', 'POST', '/api/checkout', 201, FIREFOX),
      nginx(s(400), '198.51.100.90', 'PATCH', '/api/orders/881', 200, OKHTTP)
    ]
    const read = (part: string[], startLine: number) => {
      const pipeline = new LinePipeline({ format: 'nginx-combined', startLine })
      for (const [i, text] of part.entries()) pipeline.pushLine(text, startLine + i, 0)
      return pipeline.end()
    }
    const whole = read([...lines, ...second], 1)
    const merged = mergeResults([read(lines, 1), read(second, lines.length + 1)])
    expect(summarize(whole.requests.impact).retriedNonIdempotent).toBe(2)
    expect(summarize(merged.requests.impact)).toEqual(summarize(whole.requests.impact))
  })

  it('a device or idempotency key names the client even when its address changes', async () => {
    const json = (t: number, ip: string, method: string, status: number, key?: string): string =>
      JSON.stringify({ time: new Date(t).toISOString(), level: 'info', method, path: '/v1/payments', status, duration_ms: 212, remote_addr: ip, idempotency_key: key, user_agent: OKHTTP })
    const lines: string[] = []
    for (let i = 0; i < 20; i++) lines.push(json(s(i), `198.51.100.${i + 1}`, 'GET', 200))
    // A phone moved from Wi-Fi to mobile data between the attempt and the re-send.
    lines.push(json(s(100), '198.51.100.70', 'POST', 503, 'c0ffee42-7d1e-4b7a-9f00-5a1b2c3d4e5f'))
    lines.push(json(s(104), '100.64.12.9', 'POST', 201, 'c0ffee42-7d1e-4b7a-9f00-5a1b2c3d4e5f'))
    const { v1 } = await runScenario({ logs: { 'payments.jsonl': lines.join('\n') + '\n' } })
    expect(v1.impact?.retriedNonIdempotent).toBe(1)
    expect(v1.impact?.clients).toBe(1)
  })
})

describe('distinct counts', () => {
  it('are exact up to the bound, then an estimate within 3%, and merge like the whole', () => {
    const small = new DistinctCounter()
    for (let i = 0; i < 1000; i++) small.addText(`203.0.${Math.floor(i / 4)}.7\u0000agent-${i % 4}`)
    expect(small.count()).toBe(1000)
    expect(small.estimated).toBe(false)

    const n = 150_000
    const whole = new DistinctCounter()
    const a = new DistinctCounter()
    const b = new DistinctCounter()
    for (let i = 0; i < n; i++) {
      const client = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}\u0000${FIREFOX}`
      whole.addText(client)
      ;(i % 2 === 0 ? a : b).addText(client)
    }
    expect(whole.estimated).toBe(true)
    expect(Math.abs(whole.count() - n) / n).toBeLessThan(0.03)
    a.merge(b.toData())
    expect(a.count()).toBe(whole.count())
    expect(DistinctCounter.from(whole.toData()).count()).toBe(whole.count())
    expect(whole.count()).toBeGreaterThan(MAX_EXACT_DISTINCT)
  })
})

describe('crawler verification', () => {
  it('reads addresses as logged: ports, forwarded lists, IPv6 and IPv4-mapped', () => {
    const google = crawlerOf(GOOGLEBOT)
    expect(google?.agent).toBe('Googlebot')
    if (google === null) return
    expect(verifyCrawler(google, '66.249.79.255')).toBe('verified')
    expect(verifyCrawler(google, '66.249.96.1')).toBe('spoofed')
    expect(verifyCrawler(google, '66.249.66.1:51234')).toBe('verified')
    expect(verifyCrawler(google, '66.249.66.1, 10.0.0.3')).toBe('verified')
    expect(verifyCrawler(google, '::ffff:66.249.66.1')).toBe('verified')
    expect(verifyCrawler(google, '2001:4860:4801:10::2a')).toBe('verified')
    expect(verifyCrawler(google, '[2001:4860:4802::1]:443')).toBe('spoofed')
    expect(verifyCrawler(google, null)).toBe('unverified')
    expect(verifyCrawler(google, 'unknown')).toBe('unverified')
    expect(crawlerOf(FIREFOX)).toBeNull()
    const baidu = crawlerOf('Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)')
    expect(baidu === null ? null : verifyCrawler(baidu, '180.76.15.10')).toBe('unverified')
  })
})
