/**
 * `resource`: a hard limit ran out. A JVM heap OOM crash loop behind nginx (resource/memory,
 * the proxy's 502s the secondary `upstream`), a disk filling under a Go service with a deploy
 * that is not the cause, one pod running out of memory at a traffic peak (the instance first,
 * the limit beside it), and gunicorn worker timeouts that follow the load and clear with it
 * (saturation: not `resource`).
 */
import { describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { buildRunbook } from '../../../shared/runbook'
import { reportFacts } from '../../../shared/report/facts'
import { access, fail, min, prng, runScenario, traffic, type Req } from '../verdict/scenario'
import { ingressNginx, nginxTime, springPlain, springViaKubectl, type SpringLine, type UpstreamReq } from './stacks'

const OOM_TRACE = [
  '',
  'java.lang.OutOfMemoryError: Java heap space',
  '\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)',
  '\tat java.base/java.lang.AbstractStringBuilder.ensureCapacityInternal(AbstractStringBuilder.java:228)',
  '\tat com.fasterxml.jackson.core.util.TextBuffer.contentsAsString(TextBuffer.java:458)',
  '\tat com.example.orders.report.ReportService.render(ReportService.java:88)'
]

const oomLine = (time: number, pod: string | null = null): SpringLine => ({
  time,
  pod: pod ?? '',
  level: 'ERROR',
  thread: 'nio-8080-exec-9',
  logger: 'o.a.c.c.C.[.[.[/].[dispatcherServlet]',
  message: 'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Handler dispatch failed; nested exception is java.lang.OutOfMemoryError: Java heap space] with root cause',
  trace: OOM_TRACE
})

const banner = (time: number, pod = ''): SpringLine[] => [
  { time, pod, level: 'INFO', thread: 'main', logger: 'c.e.orders.OrdersApplication', message: 'Starting OrdersApplication v3.8.1 using Java 17.0.9 with PID 1 (/app/orders.jar started by spring in /app)' },
  { time: time + 8400, pod, level: 'INFO', thread: 'main', logger: 'c.e.orders.OrdersApplication', message: 'Started OrdersApplication in 8.412 seconds (process running for 9.1)' }
]

const proxyRefused = (r: Req): string =>
  `${nginxTime(r.time)} [error] 31#31: *${18_000 + Number(r.requestId.slice(-4).replace(/\D/g, '') || 0)} connect() failed (111: Connection refused) while connecting to upstream, client: ${r.client}, server: shop.example.com, request: "${r.method} ${r.path} HTTP/1.1", upstream: "http://10.0.0.12:8080${r.path}", host: "shop.example.com"`

describe('resource: a hard limit ran out', () => {
  it('a JVM heap OOM crash loop behind nginx is resource/memory, the proxy 502s the secondary upstream', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 51 })
    // Four deaths: each time the heap fills, requests fail with OOM for half a minute, then the JVM dies and nginx gets refused while it restarts.
    const deaths = [min(15), min(21), min(27), min(33)]
    const appLines: SpringLine[] = []
    const proxyLines: string[] = []
    const rnd = prng(52)
    for (const r of reqs) {
      const d = deaths.find((t) => r.time >= t - 30_000 && r.time < t + 40_000)
      if (d === undefined) {
        if (rnd() < 0.002) r.status = 500
        continue
      }
      if (r.time < d) {
        if (rnd() < 0.6) {
          r.status = 500
          appLines.push(oomLine(r.time + 1))
        }
      } else {
        r.status = 502
        proxyLines.push(proxyRefused(r))
      }
    }
    for (const d of deaths) appLines.push(...banner(d + 30_000))
    for (let t = min(0); t < min(40); t += 20_000) appLines.push({ time: t, pod: '', level: 'INFO', thread: 'scheduling-1', logger: 'c.e.orders.CacheWarmer', message: 'Refreshed product cache: 1842 entries' })
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'error.log': proxyLines.join('\n') + '\n', 'orders.log': springPlain(appLines) } })
    expect(v1.sources.map((s) => s.format)).toEqual(['nginx-combined', 'nginx-error', 'spring-boot'])
    expect(v1.verdict?.playbook).toBe('resource')
    expect(v1.resource).toMatchObject({ kind: 'memory', instance: null, what: 'OutOfMemoryError: Java heap space', crashLoop: true })
    expect(v1.resource?.count).toBeGreaterThan(100)
    expect(v1.verdict?.reasons[0]).toMatch(/^memory ran out: [\d,]+ lines say so \(OutOfMemoryError: Java heap space\) from 13:44:3\d UTC to 14:02:\d\d UTC, e\.g\. "/)
    expect(v1.verdict?.reasons[1]).toMatch(/^It repeats: 4 deaths over 18 min/)
    // The proxy's 502s are the symptom, kept as the secondary finding.
    expect(snapshot.findings.map((f) => f.playbook).slice(0, 2)).toEqual(['resource', 'upstream'])
    const rb = buildRunbook(snapshot, emptyIncident('inc-1', 'Orders', '2026-03-14T14:10:00Z'))
    expect(rb.title).toBe('Out of memory')
    expect(rb.steps.map((s) => s.id)).toEqual(['resource-restore', 'resource-limit', 'deploy-correlation', 'monitor'])
    expect(rb.steps[0].evidence).toEqual([expect.stringMatching(/^OutOfMemoryError: Java heap space: [\d,]+ lines during the incident$/), 'It dies, restarts and runs out again (a crash loop): a restart alone buys minutes.'])
    expect(rb.steps[1].detail?.text).toContain('java.lang.OutOfMemoryError: Java heap space')
    const facts = reportFacts({ incident: emptyIncident('inc-1', 'Orders', '2026-03-14T14:10:00Z'), analysis: snapshot, journal: [], runbook: rb, generatedAt: '2026-03-14T14:20:00Z' })
    expect(facts.impact).toContainEqual(['Resource exhausted', expect.stringMatching(/^OutOfMemoryError: Java heap space \([\d,]+×, crash loop\)$/)])
  })

  it('one pod behind ingress-nginx dying of OOM again and again: resource on that pod, not "confined" (there is no other pod)', async () => {
    const pod = 'orders-7d9f8c6b5-2kq4x'
    const reqs: UpstreamReq[] = traffic({ minutes: 40, perSecond: 5, seed: 57 }).map((r) => ({ ...r, upstream: '10.244.1.5:8080' }))
    const deaths = [min(16), min(24), min(32)]
    const lines: SpringLine[] = []
    const rnd = prng(58)
    for (const r of reqs) {
      const d = deaths.find((t) => r.time >= t - 30_000 && r.time < t + 40_000)
      if (d === undefined) continue
      if (r.time >= d) r.status = 502
      else if (rnd() < 0.6) {
        r.status = 500
        lines.push(oomLine(r.time + 1, pod))
      }
    }
    for (const d of deaths) lines.push(...banner(d + 30_000, pod))
    for (let t = min(0); t < min(40); t += 20_000) lines.push({ time: t, pod, level: 'INFO', thread: 'scheduling-1', logger: 'c.e.orders.CacheWarmer', message: 'Refreshed product cache: 1842 entries' })
    const { v1, snapshot } = await runScenario({ logs: { 'ingress-access.log': ingressNginx(reqs), 'orders.log': springViaKubectl(lines) } })
    expect(v1.verdict?.playbook).toBe('resource')
    expect(v1.resource).toMatchObject({ kind: 'memory', instance: `${pod}/orders`, crashLoop: true })
    expect(v1.instance).toBeNull()
    expect(snapshot.findings[0].reasons.some((r) => r.text.startsWith('Only on'))).toBe(false)
  })

  it('a disk filling under a Go service is resource/disk, not the deploy shipped twenty minutes earlier', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 53 })
    const failed = fail(reqs, (r, rnd) => (r.time >= min(24) && (r.method === 'POST' || rnd() < 0.15) ? 500 : rnd() < 0.002 ? 500 : null))
    const lines: string[] = []
    for (let t = min(0); t < min(40); t += 15_000) lines.push(`time=${new Date(t).toISOString()} level=INFO msg="spool flushed" dir=/var/lib/orders/spool files=12`)
    for (const r of failed)
      if (r.time >= min(24)) lines.push(`time=${new Date(r.time + 2).toISOString()} level=ERROR msg="request failed" method=${r.method} path=${r.path} status=500 err="write /var/lib/orders/spool/${r.requestId}.tmp: no space left on device"`)
    lines.sort()
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'orders.log': lines.join('\n') + '\n' }, deploys: [{ version: 'v2.31.0', at: min(4) }] })
    expect(v1.verdict?.playbook).toBe('resource')
    expect(v1.resource).toMatchObject({ kind: 'disk', what: 'No space left on device', crashLoop: false })
    expect(v1.suspectDeploy).toBeNull()
    expect(v1.verdict?.reasons.some((r) => /does not clear as load falls/.test(r))).toBe(true)
    expect(buildRunbook(snapshot, emptyIncident('inc-2', 'Orders', '2026-03-14T14:10:00Z')).steps[0].title).toBe('Free disk space')
  })

  it('one pod out of memory at the traffic peak: the instance first, the limit beside it, named by its pod', async () => {
    const PODS = [
      { addr: '10.244.1.5:8080', pod: 'orders-7d9f8c6b5-2kq4x' },
      { addr: '10.244.2.7:8080', pod: 'orders-7d9f8c6b5-x8mzl' },
      { addr: '10.244.3.9:8080', pod: 'orders-7d9f8c6b5-vn7tc' }
    ]
    const rnd = prng(55)
    const peak = (t: number): number => (t >= min(18) && t < min(26) ? 12 : 4)
    const reqs: UpstreamReq[] = traffic({ minutes: 40, perSecond: peak, seed: 54 }).map((r) => ({ ...r, upstream: PODS[Math.floor(rnd() * 3)].addr }))
    const lines: SpringLine[] = []
    for (let t = min(0); t < min(40); t += 10_000) for (const p of PODS) lines.push({ time: t, pod: p.pod, level: 'INFO', thread: 'scheduling-1', logger: 'c.e.orders.CacheWarmer', message: 'Refreshed product cache: 1842 entries' })
    for (const r of reqs) {
      if (r.upstream !== PODS[1].addr || r.time < min(19) || r.time >= min(25)) continue
      if (rnd() < 0.5) {
        r.status = 500
        lines.push(oomLine(r.time + 1, PODS[1].pod))
      }
    }
    const { v1, snapshot } = await runScenario({ logs: { 'ingress-access.log': ingressNginx(reqs), 'orders.log': springViaKubectl(lines) } })
    expect(v1.verdict?.playbook).toBe('instance')
    expect(v1.instance?.name).toBe('10.244.2.7:8080')
    expect(snapshot.findings.map((f) => f.playbook)).toContain('resource')
    expect(v1.resource).toMatchObject({ kind: 'memory', instance: 'orders-7d9f8c6b5-x8mzl/orders' })
  })

  it('gunicorn worker timeouts only at the traffic peaks, clearing as the load falls, are saturation: not resource', async () => {
    const peaks = (t: number): number => ((t >= min(10) && t < min(14)) || (t >= min(26) && t < min(30)) ? 14 : 3)
    const reqs = traffic({ minutes: 40, perSecond: peaks, seed: 56 })
    const failed = fail(reqs, (r, rnd) => (peaks(r.time) > 3 && rnd() < 0.2 ? 504 : null))
    const lines: string[] = []
    const stamp = (t: number): string => `[${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} +0000]`
    lines.push(`${stamp(min(0))} [1] [INFO] Starting gunicorn 21.2.0`, `${stamp(min(0))} [1] [INFO] Listening at: http://0.0.0.0:8000 (1)`, `${stamp(min(0))} [1] [INFO] Using worker: sync`)
    let pid = 40
    failed.forEach((r, i) => {
      if (i % 4 !== 0) return
      lines.push(`${stamp(r.time)} [1] [CRITICAL] WORKER TIMEOUT (pid:${pid})`, `${stamp(r.time)} [${pid}] [INFO] Worker exiting (pid: ${pid})`, `${stamp(r.time + 1000)} [${pid + 1}] [INFO] Booting worker with pid: ${pid + 1}`)
      pid++
    })
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'gunicorn.log': lines.join('\n') + '\n' } })
    expect(snapshot.findings.length).toBeGreaterThan(0)
    expect(v1.resource).toBeNull()
    expect(snapshot.findings.map((f) => f.playbook)).not.toContain('resource')
  })
})
