import { describe, expect, it } from 'vitest'
import { emptyIncident, type TargetInfo } from '../../../shared/contract'
import { renderReport } from '../../../shared/report'
import { buildRunbook } from '../../../shared/runbook'
import { reportModel } from '../../../electron/session/export'
import { realisticModel } from '../report/incident-model'

const polled: TargetInfo = {
  id: 't1', kind: 'deploy', name: 'orders-version', url: 'https://orders.internal/actuator/info', intervalMs: 15_000, hasHeaders: false, running: true,
  ok: true, status: 200, latencyMs: 12, version: '3.8.1', since: '2026-05-01T11:02:00.000Z', lastPollAt: '2026-05-01T12:10:00.000Z', lastError: null, consecutiveFailures: 0, components: []
}

describe("the report's Deploys section", () => {
  it('shows the version a polled deploy endpoint showed, though no version changed', () => {
    const base = realisticModel()
    const a = base.analysis
    if (!a) throw new Error('fixture has no analysis')
    const incident = emptyIncident('i', 'Orders 500s', '2026-05-01T11:30:00Z')
    const analysis = { ...a, deploys: [], v1: { ...a.v1, suspectDeploy: null } }
    const model = reportModel({ incident, analysis, runbook: buildRunbook(analysis, incident), journal: [], targets: [polled] })
    for (const format of ['markdown', 'html'] as const) {
      const out = renderReport(model, format)
      expect(out, format).not.toContain('No deploys seen')
      expect(out, format).toContain('No version change seen while the deploy endpoint was polled.')
      expect(out, format).toMatch(/orders-version showed 3\.8\.1 live since 2026-05-01 11:02(:00)? UTC \(last polled 2026-05-01 12:10(:00)? UTC\)/)
    }
  })

  it('says "No deploys seen" when no deploy endpoint is watched and nothing was deployed', () => {
    const base = realisticModel()
    const a = base.analysis
    if (!a) throw new Error('fixture has no analysis')
    const incident = emptyIncident('i', 'Orders 500s', '2026-05-01T11:30:00Z')
    const analysis = { ...a, deploys: [], v1: { ...a.v1, suspectDeploy: null } }
    const model = reportModel({ incident, analysis, runbook: buildRunbook(analysis, incident), journal: [], targets: [{ ...polled, kind: 'health', version: null }] })
    expect(renderReport(model, 'markdown')).toContain('No deploys seen.')
  })
})
