/**
 * The dependency finding carries what its detector found — the health target, the component that
 * was down, what the check said, the error groups — and the runbook, the report and the timeline
 * cite those facts instead of matching text again.
 */
import { describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { buildRunbook } from '../../../shared/runbook'
import { reportFacts } from '../../../shared/report/facts'
import { access, app, errorsFor, fail, min, runScenario, T0, traffic } from './scenario'

const HEALTH_URL = 'http://127.0.0.1:8081/actuator/health'

async function componentDown() {
  const reqs = traffic({ minutes: 40, perSecond: 5, seed: 23 })
  const broken = fail(reqs, (r, rnd) => (r.time >= min(15) && r.time < min(27) && r.path !== '/health' && rnd() < 0.5 ? 500 : null))
  // The app's errors say nothing about a dependency: only the health check's component does.
  const errors = errorsFor(broken, () => ({ type: 'InternalServerError', message: 'request could not be completed' }))
  const health = []
  for (let t = T0; t < min(40); t += 30_000) {
    const down = t >= min(14.5) && t < min(27)
    health.push({
      at: t + 5000,
      target: 'api',
      ok: !down,
      status: down ? 503 : 200,
      latencyMs: 4,
      components: [
        { name: 'db', ok: !down, status: down ? 'DOWN' : 'UP' },
        { name: 'ping', ok: true, status: 'UP' }
      ]
    })
  }
  return runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.jsonl': app.structlog(errors) }, health })
}

describe('the dependency finding carries its facts', () => {
  it('names the health target, the component that was down and what the check said', async () => {
    const { v1, snapshot } = await componentDown()
    expect(v1.verdict?.playbook).toBe('dependency')
    // v1.dependency.target keeps its meaning (target/component); the facts split it.
    expect(v1.dependency?.target).toBe('api/db')
    expect(v1.dependency?.health).toMatchObject({ target: 'api', component: 'db', detail: 'status 503; down: db DOWN' })
    expect(Date.parse(v1.dependency?.health?.from ?? '')).toBeGreaterThanOrEqual(min(14))
    expect(v1.dependency?.groupIds).toEqual([])
    expect(snapshot.v1.dependency).toEqual(v1.dependency)
    // The reason's evidence points at the health band the timeline draws (`api`), naming the component.
    const refs = snapshot.findings[0].reasons.flatMap((r) => r.evidence).filter((e) => e.kind === 'health')
    expect(refs).toEqual([expect.objectContaining({ target: 'api', component: 'db' })])
    expect(snapshot.health.map((h) => h.target)).toContain(refs[0].kind === 'health' ? refs[0].target : null)
  })

  it('shows the failing component, the check’s words and its URL in the dependency step', async () => {
    const { snapshot } = await componentDown()
    const incident = { ...emptyIncident('inc-1', 'Checkout 500s', '2026-03-14T13:30:00Z'), targets: [{ kind: 'health' as const, name: 'api', url: HEALTH_URL, headerNames: [] }] }
    const rb = buildRunbook(snapshot, incident)
    const step = rb.steps.find((s) => s.id === 'dependency-health')
    expect(step?.status).toBe('auto-checked')
    expect(step?.evidence[0]).toMatch(/^api\/db failing from 13:4\d:\d\d UTC to 13:5\d:\d\d UTC/)
    expect(step?.evidence.slice(1)).toEqual(['Component down: db (of api)', 'Health check said: status 503; down: db DOWN', `Health endpoint: ${HEALTH_URL}`])
    // The app's errors are no dependency failures: the step says so rather than guessing from words.
    expect(rb.steps.find((s) => s.id === 'dependency-errors')?.evidence).toEqual(['No connection, timeout or pool errors in the app log.'])
    // The report marks the health target itself as the implicated one.
    const facts = reportFacts({ incident, analysis: snapshot, journal: [], runbook: null, generatedAt: '2026-03-14T14:30:00Z' })
    expect(facts.dependencies.find((d) => d.target === 'api')?.implicated).toBe(true)
    expect(facts.verdict?.reasons[0].evidence[0]).toMatch(/^api\/db failing /)
  })

  it('lists the error groups the signatures matched, most frequent first, and the step shows them', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 13 })
    const broken = fail(reqs, (r, rnd) => (r.time >= min(12) && r.time < min(30) && rnd() < 0.4 ? 500 : null))
    let i = 0
    const errors = errorsFor(broken, () =>
      i++ % 4 === 0
        ? { type: 'Error', message: 'ETIMEDOUT connecting to redis:6379' }
        : { type: 'Error', message: 'Redis connection to redis:6379 failed - connect ECONNREFUSED 172.18.0.3:6379' }
    )
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': access.apache(reqs), 'app.log': app.pino(errors) } })
    expect(v1.verdict?.playbook).toBe('dependency')
    expect(v1.dependency?.health).toBeNull()
    const groups = (v1.dependency?.groupIds ?? []).map((id) => v1.errorGroups.find((g) => g.id === id))
    expect(groups.map((g) => g?.message.slice(0, 16))).toEqual(['Redis connection', 'ETIMEDOUT connec'])
    const rb = buildRunbook(snapshot, emptyIncident('inc-2', 'Redis', '2026-03-14T13:30:00Z'))
    const step = rb.steps.find((s) => s.id === 'dependency-errors')
    expect(step?.status).toBe('auto-checked')
    expect(step?.evidence).toHaveLength(2)
    expect(step?.evidence[0]).toMatch(/^Error: Redis connection to redis:6379 failed/)
  })
})
