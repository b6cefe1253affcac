import { describe, expect, it } from 'vitest'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { runDemo } from '../../../electron/cli/commands/demo'
import type { CliIO } from '../../../electron/cli/io'

describe('triage500 demo --seconds 45 --format json', () => {
  it('lands on rollback naming the new version, through the real collectors', async () => {
    let out = ''
    const io: CliIO = { cwd: process.cwd(), stdout: (t) => void (out += t), stderr: () => undefined }
    expect(await runDemo(['--seconds', '45', '--format', 'json'], io)).toBe(0)
    const doc = AnalysisV1.strict().parse(JSON.parse(out))
    expect(doc.verdict?.playbook).toBe('rollback')
    expect(doc.suspectDeploy?.version).toBe('v2.14.0')
    expect(doc.suspectDeploy?.errorRateAfter ?? 0).toBeGreaterThan(doc.suspectDeploy?.errorRateBefore ?? 1)
    expect(doc.errorGroups.some((g) => g.type === 'TypeError' && g.newSinceDeploy)).toBe(true)
    expect(doc.endpoint?.route).toBe('/api/orders/:id/receipt')
    expect(doc.verdict?.reasons.join(' ')).toContain('v2.14.0')
  }, 120_000)
})
