import { describe, expect, it } from 'vitest'
import { PLAYBOOKS, type AnalysisSnapshot, type Playbook } from '../../shared/contract'
import { buildRunbook, classifyStack, replayConfirmation, stepKey } from '../../shared/runbook'
import { PLAYBOOK_TITLES } from '../../shared/playbooks'
import { isIdempotent } from '../../shared/model/methods'
import { newIncident, rollbackAnalysis } from './analysis-fixture'

const step = (rb: ReturnType<typeof buildRunbook>, id: string) => {
  const s = rb.steps.find((x) => x.id === id)
  if (!s) throw new Error(`no step ${id} in ${rb.playbook}: ${rb.steps.map((x) => x.id).join(', ')}`)
  return s
}

function withVerdict(a: AnalysisSnapshot, playbook: Playbook, patch: Partial<AnalysisSnapshot['v1']> = {}): AnalysisSnapshot {
  return { ...a, v1: { ...a.v1, ...patch, verdict: { playbook, confidence: 0.8, reasons: [] } }, findings: [{ playbook, confidence: 0.8, reasons: [] }] }
}

describe('buildRunbook: rollback', () => {
  const rb = buildRunbook(rollbackAnalysis(), newIncident())

  it('follows the verdict and names it for a human', () => {
    expect(rb.playbook).toBe('rollback')
    expect(rb.title).toBe('Roll back the deploy')
    expect(rb.chosen).toBe(false)
    expect(rb.firstAction).toMatch(/never forward-fix under load/)
  })

  it('fills the deploy correlation with the suspect version and before/after rates, and checks it', () => {
    const s = step(rb, 'deploy-correlation')
    expect(s.status).toBe('auto-checked')
    expect(s.evidence).toEqual([
      'v2.14.0 went live at 14:02:00 UTC (commit 4be77d0c1a2b)',
      '5xx rate before: 0.41% → after: 23%',
      'The 5xx rose at 14:03:00 UTC, 1 min after the deploy'
    ])
  })

  it('says when the rise was seen before the poller recorded the deploy', () => {
    const a = rollbackAnalysis()
    a.baseline.onset = Date.parse('2026-03-14T14:01:48Z')
    expect(step(buildRunbook(a, newIncident()), 'deploy-correlation').evidence[2]).toBe('The 5xx rose at 14:01:48 UTC, 12 s before the deploy was recorded')
  })

  it('names the version to roll back to and offers the decision wording', () => {
    const s = step(rb, 'roll-back')
    expect(s.status).toBe('todo')
    expect(s.evidence[0]).toBe('Roll back v2.14.0 → v2.13.2 (live until 14:02:00 UTC)')
    expect(s.decisionHint).toBe('Rolled back v2.14.0 to v2.13.2')
  })

  it('lists the groups new since the deploy and shows the full stack trace of the top group', () => {
    expect(step(rb, 'new-errors').evidence[0]).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'price'\) — 3,910 times, first seen 14:03:04 UTC \(new since the deploy\)$/)
    const trace = step(rb, 'stack-trace').detail
    expect(trace?.kind).toBe('code')
    expect(trace?.text).toContain('at computeTotal (/srv/shop/src/cart/total.js:42:17)')
    expect(trace?.text).toContain('node_modules/express')
  })

  it('leaves monitoring open while the 5xx rate is still high, and checks it once back to baseline', () => {
    expect(step(rb, 'monitor').status).toBe('todo')
    const a = rollbackAnalysis()
    for (const b of a.timeline.buckets.slice(-5)) Object.assign(b, { s5xx: 2, s500: 2, s502: 0, s503: 0, s504: 0 })
    const after = step(buildRunbook(a, newIncident()), 'monitor')
    expect(after.status).toBe('auto-checked')
    expect(after.evidence).toContain('Back to baseline.')
  })

  it("applies the engineer's status and note by playbook:step key, and they beat the evidence", () => {
    const incident = newIncident({
      steps: {
        [stepKey('rollback', 'roll-back')]: { status: 'checked', note: 'done via argo', updatedAt: '2026-03-14T14:06:00Z' },
        [stepKey('rollback', 'deploy-correlation')]: { status: 'skipped', note: '', updatedAt: '2026-03-14T14:06:00Z' },
        [stepKey('rollback', 'new-errors')]: { status: 'todo', note: 'looked', updatedAt: '2026-03-14T14:06:00Z' },
        [stepKey('endpoint', 'monitor')]: { status: 'checked', note: 'other playbook', updatedAt: '2026-03-14T14:06:00Z' }
      }
    })
    const r = buildRunbook(rollbackAnalysis(), incident)
    expect(step(r, 'roll-back')).toMatchObject({ status: 'checked', note: 'done via argo' })
    expect(step(r, 'deploy-correlation').status).toBe('skipped')
    // "todo" stored with a note is no opinion on the status: the evidence still settles it.
    expect(step(r, 'new-errors')).toMatchObject({ status: 'auto-checked', note: 'looked' })
    expect(step(r, 'monitor')).toMatchObject({ status: 'todo', note: '' })
  })
})

describe('buildRunbook: switching playbook', () => {
  it('builds the chosen playbook and remembers the verdict', () => {
    const rb = buildRunbook(rollbackAnalysis(), newIncident({ chosenPlaybook: 'endpoint' }))
    expect(rb).toMatchObject({ playbook: 'endpoint', title: 'One endpoint is failing', verdict: 'rollback', chosen: true })
    expect(step(rb, 'endpoint-isolate').evidence[0]).toBe('POST /api/checkout: 61% of its requests fail, 72% of all 5xx')
    expect(step(rb, 'endpoint-isolate').evidence[1]).toBe('Rest of the service: 1.3% 5xx over 31,000 requests')
  })

  it('hands out an idempotent replay as is, with the not-cacheable note', () => {
    const replay = step(buildRunbook(rollbackAnalysis(), newIncident({ chosenPlaybook: 'endpoint' })), 'replay')
    expect(replay.detail).toEqual({ kind: 'curl', text: "curl -sS -i -X GET 'https://shop.example.com/api/orders/42' -H 'Accept: application/json'" })
    expect(replay.evidence).toContain('GET is idempotent: it may be replayed.')
    expect(replay.evidence.some((e) => e.startsWith('5xx responses are not cacheable'))).toBe(true)
  })

  it('asks for a confirmation before a POST replay', () => {
    const a = rollbackAnalysis()
    a.v1.replay = { method: 'POST', url: 'https://shop.example.com/api/checkout', curl: "curl -X POST 'https://shop.example.com/api/checkout' --data '{}'" }
    const replay = step(buildRunbook(a, newIncident({ chosenPlaybook: 'endpoint' })), 'replay')
    expect(replay.detail?.confirm).toMatch(/replaying this POST request has no side effects/)
    expect(replay.evidence[1]).toMatch(/POST is not idempotent/)
  })
})

describe('buildRunbook: the other playbooks', () => {
  it('dependency: the failing target, its window, what the check said and where it is polled', () => {
    const base = rollbackAnalysis()
    const a = withVerdict(base, 'dependency', {
      suspectDeploy: null,
      dependency: {
        target: 'payments',
        from: '2026-03-14T13:50:00Z',
        to: '2026-03-14T13:52:00Z',
        health: { target: 'payments', component: null, detail: 'HTTP 503', from: '2026-03-14T13:50:00Z', to: '2026-03-14T13:52:00Z' },
        groupIds: ['G-timeout']
      }
    })
    const rb = buildRunbook(a, newIncident({ targets: [{ kind: 'health', name: 'payments', url: 'http://127.0.0.1:9000/health', headerNames: [] }] }))
    expect(rb.title).toBe('A dependency is failing')
    const s = step(rb, 'dependency-health')
    expect(s.status).toBe('auto-checked')
    expect(s.evidence).toEqual(['payments failing from 13:50:00 UTC to 13:52:00 UTC (2 min)', 'Health check said: HTTP 503', 'Health endpoint: http://127.0.0.1:9000/health'])
    expect(step(rb, 'dependency-errors').evidence[0]).toMatch(/^TimeoutError: upstream payments timed out/)
    expect(step(rb, 'deploy-correlation').title).toBe('Rule out the last deploy')
  })

  it('config: the missing variables as a list, and the config step appears in other playbooks too', () => {
    const a = withVerdict(rollbackAnalysis(), 'config', { missingConfig: ['PAYMENTS_API_KEY', 'DATABASE_URL'] })
    const s = step(buildRunbook(a, newIncident()), 'missing-config')
    expect(s).toMatchObject({ status: 'auto-checked', detail: { kind: 'list', text: 'PAYMENTS_API_KEY\nDATABASE_URL' } })
    expect(s.evidence[0]).toBe('2 names missing or invalid: PAYMENTS_API_KEY, DATABASE_URL')
    expect(step(buildRunbook(a, newIncident({ chosenPlaybook: 'rollback' })), 'missing-config').title).toBe('Set the configuration the errors name')
  })

  it.each([
    ['traffic', ['traffic-bursts', 'exhaustion'], 'Intermittent 5xx that follow traffic (resource exhaustion)'],
    ['data', ['data-keys', 'replay'], 'Intermittent 5xx on a few users, records or ids'],
    ['time-of-day', ['clock-window'], 'Intermittent 5xx in a recurring clock window'],
    ['unknown', ['correlate'], 'Intermittent 5xx with no clear pattern yet']
  ] as const)('intermittent/%s: the sub-pattern’s own steps', (pattern, ids, title) => {
    const a = withVerdict(rollbackAnalysis(), 'intermittent', { suspectDeploy: null, intermittent: { pattern, keys: pattern === 'unknown' ? [] : ['user 4411', 'user 98'], shape: 'bursts' } })
    const rb = buildRunbook(a, newIncident())
    expect(rb.title).toBe(title)
    for (const id of ids) step(rb, id)
    expect(step(rb, 'pattern').status).toBe(pattern === 'unknown' ? 'todo' : 'auto-checked')
    if (pattern === 'data') expect(step(rb, 'data-keys').detail).toEqual({ kind: 'list', text: 'user 4411\nuser 98' })
    // The fixture's first 5xx (13:40) predate the last deploy (14:02).
    expect(step(rb, 'predates-deploy').status).toBe('auto-checked')
  })

  it('upstream: the proxy wrote the 5xx, its error log says why', () => {
    const a = withVerdict(rollbackAnalysis(), 'upstream', { statusCounts: { '200': 900, '502': 80, '504': 15, '500': 5 } })
    a.v1.errorGroups = [{ id: 'G-refused', type: 'proxy:refused', message: 'connect() failed (111: Connection refused) while connecting to upstream', count: 80, firstSeen: null, lastSeen: null, endpoints: [], sample: '2026/03/14 14:03:00 [error] 7#7: *1 connect() failed (111: Connection refused)', newSinceDeploy: false }]
    const rb = buildRunbook(a, newIncident())
    expect(step(rb, 'status-split')).toMatchObject({ status: 'auto-checked', evidence: ['502/504: 95 of 100 5xx (95%)'] })
    expect(step(rb, 'proxy-errors').status).toBe('auto-checked')
    expect(step(rb, 'app-running').evidence[0]).toBe('The proxy could not connect 80 times: the app server is down or not listening.')
  })

  it('unavailable and none', () => {
    const u = buildRunbook(withVerdict(rollbackAnalysis(), 'unavailable', { statusCounts: { '503': 90, '500': 10 } }), newIncident())
    expect(step(u, 'status-split')).toMatchObject({ status: 'auto-checked', evidence: ['503: 90 of 100 5xx (90%)'] })
    const n = buildRunbook(withVerdict(rollbackAnalysis(), 'none'), newIncident())
    expect(n.title).toBe('No sustained 5xx: keep watching')
    expect(step(n, 'no-sustained').status).toBe('auto-checked')
    expect(step(n, 'monitor').title).toBe('Keep watching')
  })

  it('with no analysis yet: the runbook still says what to do and claims nothing', () => {
    const rb = buildRunbook(null, newIncident())
    expect(rb.playbook).toBe('none')
    expect(rb.verdict).toBeNull()
    expect(rb.steps.every((s) => s.status === 'todo')).toBe(true)
  })

  it('every playbook has steps with unique ids, with and without evidence', () => {
    for (const p of PLAYBOOKS) {
      for (const a of [rollbackAnalysis(), null]) {
        const rb = buildRunbook(a, newIncident({ chosenPlaybook: p }))
        expect(rb.title).toBe(p === 'intermittent' ? rb.title : PLAYBOOK_TITLES[p])
        expect(rb.steps.length).toBeGreaterThan(1)
        expect(new Set(rb.steps.map((s) => s.id)).size).toBe(rb.steps.length)
      }
    }
  })
})

describe('stack frames and replay rules', () => {
  it('tells the service’s own frames from runtime and dependency frames', () => {
    const kinds = classifyStack(
      [
        "TypeError: Cannot read properties of undefined (reading 'price')",
        '    at computeTotal (/srv/shop/src/cart/total.js:42:17)',
        '    at Layer.handle (/srv/shop/node_modules/express/lib/router/layer.js:95:5)',
        '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
        '\tat com.shop.checkout.CartService.total(CartService.java:88)',
        '\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1541)',
        '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)',
        '  File "/app/shop/views.py", line 12, in checkout',
        '  File "/usr/lib/python3.11/site-packages/django/core/handlers/base.py", line 197, in _get_response'
      ].join('\n')
    ).map((l) => l.kind)
    expect(kinds).toEqual(['text', 'app', 'library', 'library', 'app', 'library', 'library', 'app', 'library'])
  })

  it('only idempotent methods replay without a confirmation', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'get'].every(isIdempotent)).toBe(true)
    expect(['POST', 'PATCH'].some(isIdempotent)).toBe(false)
    expect(replayConfirmation('GET')).toBeUndefined()
    expect(replayConfirmation('patch')).toMatch(/PATCH/)
  })
})
