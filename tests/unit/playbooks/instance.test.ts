/**
 * `instance`: the 5xx sit on one pod while the others answer. ingress-nginx names the pod that
 * answered by its upstream address; the Spring Boot app logs come through `kubectl logs --prefix`.
 * Confounders: a deploy that is not the cause, background 5xx, scanners, the bad pod's own
 * dependency errors (a dead sidecar), and a failing route spread over every pod.
 */
import { describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { buildRunbook } from '../../../shared/runbook'
import { reportFacts } from '../../../shared/report/facts'
import { min, prng, runScenario, traffic, type Req } from '../verdict/scenario'
import { ingressNginx, springViaKubectl, type SpringLine, type UpstreamReq } from './stacks'

const PODS = [
  { addr: '10.244.1.5:8080', pod: 'orders-7d9f8c6b5-2kq4x' },
  { addr: '10.244.2.7:8080', pod: 'orders-7d9f8c6b5-x8mzl' },
  { addr: '10.244.3.9:8080', pod: 'orders-7d9f8c6b5-vn7tc' }
]

function spread(reqs: Req[], seed: number): UpstreamReq[] {
  const rnd = prng(seed)
  return reqs.map((r) => ({ ...r, upstream: PODS[Math.floor(rnd() * PODS.length)].addr }))
}

/** Sets a failing status where `decide` returns one. */
function fail(reqs: UpstreamReq[], decide: (r: UpstreamReq, rnd: () => number) => number | null): void {
  const rnd = prng(11)
  for (const r of reqs) {
    const status = decide(r, rnd)
    if (status !== null) r.status = status
  }
}

const podOf = (addr: string): string => PODS.find((p) => p.addr === addr)?.pod ?? 'unknown'

/** Info lines every pod writes (so each pod is known to be alive), plus the errors given. */
function appLog(reqs: UpstreamReq[], errorOf: (r: UpstreamReq) => SpringLine | null): string {
  const lines: SpringLine[] = []
  for (const r of reqs) {
    const err = r.status >= 500 ? errorOf(r) : null
    if (err) lines.push(err)
    else if (r.path.startsWith('/api/orders') && r.requestId.endsWith('0'))
      lines.push({ time: r.time + 2, pod: podOf(r.upstream), level: 'INFO', thread: 'nio-8080-exec-4', logger: 'c.e.orders.OrderController', message: `Order lookup ${r.path.slice(12)} served in ${r.durationMs} ms` })
  }
  return springViaKubectl(lines)
}

/** Scanners probing for PHP and dotfiles: 404s on every pod, before and during the incident. */
function scanners(reqs: UpstreamReq[]): void {
  for (const r of reqs) if (r.requestId.endsWith('17')) Object.assign(r, { path: r.requestId.endsWith('117') ? '/.env' : '/wp-login.php', method: 'GET', status: 404 })
}

describe('instance: one pod fails while the others answer', () => {
  it('names the upstream address as ingress-nginx writes it, ahead of the dependency errors it logs and a deploy that is not the cause', async () => {
    const reqs = spread(traffic({ minutes: 40, perSecond: 6, seed: 41 }), 42)
    scanners(reqs)
    // Background: a rare 500 anywhere; from minute 18 the pod x8mzl fails 45% of its requests (its config sidecar died).
    fail(reqs, (r, rnd) => (r.status === 404 ? null : rnd() < 0.003 ? 500 : r.upstream === PODS[1].addr && r.time >= min(18) && rnd() < 0.45 ? 500 : null))
    const app = appLog(reqs, (r) => ({
      time: r.time + 1,
      pod: podOf(r.upstream),
      level: 'ERROR',
      thread: 'nio-8080-exec-7',
      logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
      message: 'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.web.client.ResourceAccessException: I/O error on GET request for "http://localhost:8500/v1/kv/orders/config": Connection refused] with root cause',
      trace: ['', 'java.net.ConnectException: Connection refused', '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)', '\tat java.base/sun.nio.ch.NioSocketImpl.timedFinishConnect(NioSocketImpl.java:542)']
    }))
    const { v1, snapshot } = await runScenario({
      logs: { 'ingress-access.log': ingressNginx(reqs), 'orders.log': app },
      // Shipped two minutes in, quiet for a quarter of an hour after: not the cause.
      deploys: [{ version: 'orders-3.8.1', at: min(2) }]
    })
    expect(v1.sources.map((s) => s.format)).toEqual(['ingress-nginx', expect.stringMatching(/^kubectl\+spring-boot$/)])
    expect(v1.verdict?.playbook).toBe('instance')
    expect(v1.instance?.name).toBe('10.244.2.7:8080')
    expect(v1.instance?.shareOfErrors).toBeGreaterThan(0.8)
    expect(v1.instance?.errorRate).toBeGreaterThan(0.25)
    expect(v1.verdict?.reasons[0]).toMatch(/^10\.244\.2\.7:8080 has [\d,]+ of the [\d,]+ 5xx that name an instance \(\d+%\): \d+% of its [\d,]+ requests failed, against 0\.\d+% on the 2 other instances/)
    expect(v1.suspectDeploy).toBeNull()
    // The dead sidecar's refused connections stay visible, as the secondary finding they are.
    expect(snapshot.findings.map((f) => f.playbook)).toContain('dependency')
    const rb = buildRunbook(snapshot, emptyIncident('inc-1', 'Orders', '2026-03-14T14:00:00Z'))
    expect(rb.playbook).toBe('instance')
    expect(rb.steps[0]).toMatchObject({ id: 'instance-out-of-rotation', title: 'Take 10.244.2.7:8080 out of rotation', status: 'todo' })
    expect(rb.steps[0].evidence[0]).toMatch(/^10\.244\.2\.7:8080: \d+% of its traffic fails, \d+% of the 5xx that name an instance$/)
    expect(rb.steps.map((s) => s.id)).toEqual(['instance-out-of-rotation', 'instance-compare', 'deploy-correlation', 'stack-trace', 'monitor'])
    const facts = reportFacts({ incident: emptyIncident('inc-1', 'Orders', '2026-03-14T14:00:00Z'), analysis: snapshot, journal: [], runbook: rb, generatedAt: '2026-03-14T14:20:00Z' })
    expect(facts.impact).toContainEqual(['Failing instance', expect.stringMatching(/^10\.244\.2\.7:8080: \d+% of its traffic failed, \d+% of the 5xx that name an instance$/)])
  })

  it('from the app logs alone: the pod kubectl names, by its share of the errors', async () => {
    const reqs = spread(traffic({ minutes: 40, perSecond: 6, seed: 43 }), 44)
    fail(reqs, (r, rnd) => (r.upstream === PODS[2].addr && r.time >= min(15) && rnd() < 0.5 ? 500 : null))
    const app = appLog(reqs, (r) => ({
      time: r.time + 1,
      pod: podOf(r.upstream),
      level: 'ERROR',
      thread: 'nio-8080-exec-2',
      logger: 'c.e.orders.OrderController',
      message: 'Order lookup failed: java.nio.file.AccessDeniedException: /var/cache/orders/index.bin'
    }))
    const { v1 } = await runScenario({ logs: { 'orders.log': app } })
    expect(v1.verdict?.playbook).toBe('instance')
    expect(v1.instance?.name).toBe('orders-7d9f8c6b5-vn7tc/orders')
    expect(v1.instance?.shareOfErrors).toBe(1)
  })

  it('a route failing on every pod is the endpoint, not an instance', async () => {
    const reqs = spread(traffic({ minutes: 40, perSecond: 6, seed: 45 }), 46)
    scanners(reqs)
    fail(reqs, (r, rnd) => (r.path === '/api/checkout' && r.time >= min(15) && rnd() < 0.6 ? 500 : null))
    const { v1 } = await runScenario({ logs: { 'ingress-access.log': ingressNginx(reqs) } })
    expect(v1.instance).toBeNull()
    expect(v1.verdict?.playbook).toBe('endpoint')
  })

  it('two of three pods failing alike is not one bad instance', async () => {
    const reqs = spread(traffic({ minutes: 40, perSecond: 6, seed: 47 }), 48)
    fail(reqs, (r, rnd) => (r.upstream !== PODS[0].addr && r.time >= min(15) && rnd() < 0.3 ? 500 : null))
    const { v1 } = await runScenario({ logs: { 'ingress-access.log': ingressNginx(reqs) } })
    expect(v1.instance).toBeNull()
    expect(v1.verdict?.playbook).not.toBe('instance')
  })
})
