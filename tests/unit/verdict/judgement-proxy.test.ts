/**
 * nginx 504s on one route while the app answers every other route and logs its own timeouts
 * calling a partner API whose probe is failing: the partner is the dependency to blame, the
 * proxy's timeouts are its symptom. `upstream` is for an app server that is itself down, slow
 * or silent.
 */
import { describe, expect, it } from 'vitest'
import type { HealthSample } from '../../../shared/model/evidence'
import { access, fail, min, type Req, T0, traffic } from './scenario'
import { analyzeFiles, nginxErrorTime, springTime } from './judgement-run'

const PARTNER = 'https://api.payments-partner.example/v1/authorizations'

/** nginx's error.log line for a request it gave up on after `proxy_read_timeout`. */
const nginxTimeout = (r: Req, n: number): string =>
  `${nginxErrorTime(r.time)} [error] 31#31: *${4000 + n} upstream timed out (110: Connection timed out) while reading response header from upstream, client: ${r.client}, server: shop.example.com, request: "${r.method} ${r.path} HTTP/1.1", upstream: "http://10.0.3.14:8080${r.path}", host: "shop.example.com"`

const nginxRefused = (r: Req, n: number): string =>
  `${nginxErrorTime(r.time)} [error] 31#31: *${4000 + n} connect() failed (111: Connection refused) while connecting to upstream, client: ${r.client}, server: shop.example.com, request: "${r.method} ${r.path} HTTP/1.1", upstream: "http://10.0.3.14:8080${r.path}", host: "shop.example.com"`

/** The app's own log: RestTemplate's read timeout (65 s) on the partner, after nginx gave up at 60 s. */
function partnerTimeout(r: Req, n: number): string[] {
  return [
    `${springTime(r.time + 5_000)} ERROR 1 --- [nio-8080-exec-${1 + (n % 9)}] c.e.shop.payments.PaymentsClient         : Payment authorization failed for order ${88_000 + n}`,
    `org.springframework.web.client.ResourceAccessException: I/O error on POST request for "${PARTNER}": Read timed out`,
    '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)',
    '\tat com.example.shop.payments.PaymentsClient.authorize(PaymentsClient.java:64)',
    '\tat com.example.shop.CheckoutController.checkout(CheckoutController.java:41)',
    'Caused by: java.net.SocketTimeoutException: Read timed out',
    '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
    '\t... 58 common frames omitted'
  ]
}

const started = `${springTime(T0 - 120_000)}  INFO 1 --- [           main] c.e.shop.ShopApplication                 : Started ShopApplication in 5.113 seconds (process running for 5.8)`

function probes(target: string, down: (t: number) => boolean, error: string): HealthSample[] {
  const out: HealthSample[] = []
  for (let t = T0; t < min(40); t += 30_000) out.push({ at: t + 2_000, target, ok: !down(t), status: down(t) ? null : 200, latencyMs: down(t) ? 5_000 : 180, error: down(t) ? error : null, components: [] })
  return out
}

describe('proxy 504s while the app is up and blames a partner API', () => {
  it('is dependency naming the partner, with the proxy timeouts as support', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 61 })
    const gaveUp = fail(reqs, (r, rnd) => (r.path === '/api/checkout' && r.time >= min(15) && r.time < min(30) && rnd() < 0.9 ? 504 : null), 67)
    for (const r of gaveUp) r.durationMs = 60_001
    const health = [
      ...probes('payments-partner', (t) => t >= min(14.5) && t < min(30), 'timed out after 5000 ms'),
      ...probes('shop', () => false, '')
    ]
    const { snapshot } = await analyzeFiles(
      {
        'access.log': access.nginx(reqs),
        'error.log': gaveUp.map(nginxTimeout).join('\n') + '\n',
        'shop.log': [started, ...gaveUp.flatMap(partnerTimeout)].join('\n') + '\n'
      },
      { health }
    )
    const v1 = snapshot.v1
    expect(v1.verdict?.playbook).toBe('dependency')
    expect(v1.dependency?.target).toMatch(/payments-partner/)
    const reasons = v1.verdict?.reasons.join('\n') ?? ''
    expect(reasons).toMatch(/504/)
    expect(reasons).toMatch(/proxy/i)
    expect(snapshot.findings[0].playbook).not.toBe('upstream')
    expect(snapshot.findings.map((f) => f.playbook)).not.toContain('upstream')
  })

  it('stays upstream when the app server itself is down: refused, on every route, and its log silent', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 71 })
    const refused = fail(reqs, (r) => (r.time >= min(15) && r.time < min(22) ? 502 : null), 73)
    const { snapshot } = await analyzeFiles(
      {
        'access.log': access.nginx(reqs),
        'error.log': refused.map(nginxRefused).join('\n') + '\n',
        'shop.log': started + '\n'
      },
      { health: probes('payments-partner', () => false, '') }
    )
    expect(snapshot.v1.verdict?.playbook).toBe('upstream')
  })
})
