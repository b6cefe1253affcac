/**
 * A playbook that explains another (`explains`) comes before it when both hold, whatever their
 * ranks; movers keep their rank order among themselves, and nothing moves when the explained one
 * does not hold.
 */
import { describe, expect, it } from 'vitest'
import { detectFindings, detectionFor } from '../../../shared/analysis/verdict'
import type { Playbook } from '../../../shared/contract'
import type { PlaybookModule, PlaybookRegistry } from '../../../shared/playbooks'
import { analysisInput } from '../../../electron/session/analysis-input'

type Ids = 'upstream' | 'unavailable' | 'instance' | 'resource'

function stub<Id extends Ids>(id: Id, rank: number, holds: ReadonlySet<string>, explains: readonly Playbook[] = []): PlaybookModule<Id> {
  return {
    id,
    rank,
    why: `${id} ranks ${rank} in this test registry.`,
    title: id,
    firstAction: id,
    explains,
    detect: () => (holds.has(id) ? { finding: { confidence: 0.8, reasons: [] } } : null),
    steps: () => []
  }
}

function order(holds: string[]): string[] {
  const h = new Set(holds)
  const registry = {
    upstream: stub('upstream', 1, h),
    unavailable: stub('unavailable', 2, h),
    instance: stub('instance', 3.6, h, ['upstream']),
    resource: stub('resource', 3.8, h, ['upstream'])
  } satisfies PlaybookRegistry<Ids>
  return detectFindings(registry, detectionFor(analysisInput([], [], []))).findings.map((f) => f.playbook)
}

describe('explains', () => {
  it('puts the causes before the finding they explain, in their own rank order', () => {
    expect(order(['upstream', 'unavailable', 'instance', 'resource'])).toEqual(['instance', 'resource', 'upstream', 'unavailable'])
    expect(order(['upstream', 'resource'])).toEqual(['resource', 'upstream'])
  })

  it('moves nothing when the explained finding does not hold', () => {
    expect(order(['unavailable', 'resource'])).toEqual(['unavailable', 'resource'])
  })
})
