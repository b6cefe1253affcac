import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { AnalysisSnapshot } from '../../../shared/contract'
import { reportModel } from '../../../electron/session/export'
import { newIncidentState } from '../../../electron/session/incident'
import { renderReport } from '../../../shared/report'
import { buildRunbook } from '../../../shared/runbook'
import { access, app, errorsFor, fail, min, runScenario, traffic } from '../verdict/scenario'

/**
 * One analysis, three renderings: the verdict reasons (the banner shows them as they are), the
 * runbook's deploy step and the report's deploy table each print the 5xx rate before and after the
 * suspect deploy with their own sentence, but the rates themselves must read the same.
 */
describe('the same rate prints the same in the verdict, the runbook and the report', () => {
  it('bad deploy: the small rate before and the large rate after', async () => {
    const reqs = traffic({ minutes: 60, perSecond: 6 })
    // A baseline well under 1%, where the old formatters disagreed (0.23% / 0.2%).
    const background = fail(reqs, (r, rnd) => (r.time < min(31) && r.status === 200 && rnd() < 0.0025 ? 500 : null), 3)
    const broken = fail(reqs, (r, rnd) => (r.time >= min(31) + 20_000 && (r.path.startsWith('/api/cart') || r.path === '/api/checkout') && rnd() < 0.6 ? 500 : null))
    const errors = errorsFor([...background, ...broken], () => ({ type: 'TypeError', message: "Cannot read properties of undefined (reading 'price')" })).sort((a, b) => a.time - b.time)
    const { snapshot } = await runScenario({
      logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors) },
      deploys: [{ version: 'v2.14.0', at: min(31), commit: 'a1b2c3d' }]
    })
    expect(snapshot.v1.verdict?.playbook).toBe('rollback')

    // Verdict reason: "5xx rate rose from 0.24% to 23% within 20 s after v2.14.0 was deployed at …"
    const reasons = snapshot.v1.verdict?.reasons ?? []
    const rose = reasons.map((r) => /rose from ([\d.]+%) to ([\d.]+%)/.exec(r)).find((m) => m !== null)
    expect(rose, reasons.join('\n')).toBeDefined()
    const [, before, after] = rose ?? []
    expect(Number.parseFloat(before)).toBeGreaterThan(0)
    expect(Number.parseFloat(before)).toBeLessThan(1)
    expect(before).toMatch(/^0\.\d\d%$/)

    // Runbook: the deploy-correlation step.
    const runbook = buildRunbook(snapshot, newIncidentState('Checkout 500s'))
    const evidence = runbook.steps.flatMap((s) => s.evidence)
    expect(evidence).toContain(`5xx rate before: ${before} → after: ${after}`)

    // Report (Markdown): the deploy table marks the suspect with its own wording of the rates.
    const incident = newIncidentState('Checkout 500s')
    const md = renderReport(reportModel({ incident, analysis: snapshot, runbook: buildRunbook(snapshot, incident), journal: [] }), 'markdown', { redact: true })
    expect(md).toContain(`suspect: 5xx rate ${before} before → ${after} after`)
  })
})

describe('times carry the date under one rule: when the analysis window spans days', () => {
  const fixture = (): AnalysisSnapshot => AnalysisSnapshot.parse(JSON.parse(readFileSync('tests/fixtures/runbook/rollback-analysis.json', 'utf8')))
  const deployEvidence = (a: AnalysisSnapshot): string[] => buildRunbook(a, newIncidentState('x')).steps.find((s) => s.id === 'deploy-correlation')?.evidence ?? []

  it('a window within one day prints clock times', () => {
    expect(deployEvidence(fixture())).toContain('v2.14.0 went live at 14:02:00 UTC (commit 4be77d0c1a2b)')
  })

  it('a window across midnight prints the date with every time', () => {
    const a = fixture()
    a.v1.window = { from: '2026-03-13T22:00:00.000Z', to: '2026-03-14T14:20:00.000Z' }
    expect(deployEvidence(a)).toContain('v2.14.0 went live at 2026-03-14 14:02:00 UTC (commit 4be77d0c1a2b)')
  })
})
