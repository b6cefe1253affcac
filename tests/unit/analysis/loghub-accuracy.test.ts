import { describe, it, expect } from 'vitest'
import { hasSharedData, sharedDataSkipReason } from '../../support/shared-data'
import { groupingAccuracy } from '../../../shared/analysis/templates'
import { mineTemplatesOfFile } from '../../../electron/cli/commands/templates'
import { loghubSystems, readLines } from './loghub'

describe.skipIf(!hasSharedData)('template grouping accuracy on loghub 2k (corrected labels)', () => {
  it('reaches a mean GA of at least 0.85 with no per-dataset settings, through the templates command (format detection and folding included)', async () => {
    const systems = loghubSystems()
    expect(systems).toHaveLength(14)
    const rows: string[] = []
    let sum = 0
    let drainSum = 0
    for (const system of systems) {
      const lines = readLines(system.logFile)
      expect(lines.length, system.name).toBe(system.truth.length)
      const { assignments, templates } = await mineTemplatesOfFile(system.logFile)
      const ga = groupingAccuracy(assignments, system.truth)
      sum += ga
      drainSum += system.drainGA ?? 0
      rows.push(
        `${system.name.padEnd(12)} ${ga.toFixed(3)}   ${(system.drainGA ?? NaN).toFixed(3)}   ${String(templates.length).padStart(5)} ${String(new Set(system.truth).size).padStart(5)}`
      )
    }
    const mean = sum / systems.length
    console.log(
      ['system       ours    Drain   found  truth', ...rows, `${'mean'.padEnd(12)} ${mean.toFixed(3)}   ${(drainSum / systems.length).toFixed(3)}`].join('\n')
    )
    expect(mean).toBeGreaterThanOrEqual(0.85)
  })
})

if (!hasSharedData) console.warn(sharedDataSkipReason)
