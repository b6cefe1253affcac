import { describe, expect, it } from 'vitest'
import { detectionEntry, lastVerdict, verdictEntry } from '../../../electron/session/store/entries'

const ONSET = Date.parse('2026-03-14T14:02:30Z')

describe('journal wording', () => {
  it('claims a rise of the 5xx rate only when the numbers show one', () => {
    expect(detectionEntry(ONSET, 0.196, 0.0011).text).toBe('5xx rate rose to 20% (baseline 0.11%)')
    expect(detectionEntry(ONSET, 0, 0).text).toBe('The 5xx errors began')
    expect(detectionEntry(ONSET, 0.00001, 0.00001).text).toBe('The 5xx errors began')
    expect(detectionEntry(ONSET, 0.001, 0.002).text).toBe('The 5xx errors began')
  })

  it('names playbooks by their titles, never by their ids, and the list reads the last verdict back', () => {
    const first = verdictEntry('dependency', 0.7, null)
    const second = verdictEntry('rollback', 0.92, 'dependency')
    expect(second.text).toBe('Verdict: Roll back the deploy (confidence 92%), was: A dependency is failing')
    expect(second.text).not.toContain('rollback')
    expect(lastVerdict([first, second, { at: second.at, kind: 'verdict', text: 'Engineer switched the runbook', data: { chosenPlaybook: 'config' } }])).toBe('rollback')
    expect(lastVerdict([])).toBeNull()
  })
})
