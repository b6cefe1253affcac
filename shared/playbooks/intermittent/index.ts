import type { AnalysisSnapshot } from '../../contract/analysis'
import type { PlaybookMeta, PlaybookModule } from '../types'
import { detectIntermittent } from './detect'
import { INTERMITTENT_TITLES, intermittentSteps, STEP_TITLES } from './steps'

/** Bursts that predate the last deploy, and what they follow (traffic, data, a clock window). */
export const meta = {
  id: 'intermittent',
  rank: 7,
  why: 'Bursts (or one sustained step, said as such) with no deploy, dependency, setting or route to blame are what is left: the sub-pattern says where to look next; pool exhaustion that follows load with the store’s check green lands here as capacity.',
  title: 'Intermittent 5xx',
  firstAction: 'Follow the sub-pattern: traffic, data, or a clock window.'
} satisfies PlaybookMeta<'intermittent'>

export const intermittent = {
  ...meta,
  // With nothing found before it, it reports the incident as intermittent/unknown rather than none.
  detect: ({ ctx, found }) => {
    const result = detectIntermittent(ctx, found.size === 0)
    return result === null ? null : { finding: result.finding, fields: { intermittent: result.field } }
  },
  steps: intermittentSteps,
  runbookTitle: (a: AnalysisSnapshot) => {
    const found = a.v1.intermittent
    return found ? (found.shape === 'step' ? STEP_TITLES : INTERMITTENT_TITLES)[found.pattern] : null
  },
  // The keys are the ids the failures recur on (`order_id=42`), not a number of users: the row names them, it counts nothing.
  impact: (a: AnalysisSnapshot) => (a.v1.intermittent && a.v1.intermittent.keys.length > 0 ? [['Ids the failures recur on', a.v1.intermittent.keys.join(', ')]] : [])
} satisfies PlaybookModule<'intermittent'>
