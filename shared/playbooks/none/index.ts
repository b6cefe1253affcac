import { finding } from '../../analysis/verdict/context'
import type { Series } from '../../analysis/verdict/series'
import { count, duration, percent } from '../../format'
import { action, monitor, stackTrace, type StepContext, type StepDraft } from '../../runbook/steps'
import { total5xx } from '../../runbook/evidence'
import type { Detection, PlaybookMeta, PlaybookModule } from '../types'

/** No playbook holds and every given log reads: no sustained 5xx. */
export const meta = {
  id: 'none',
  rank: 8,
  why: 'The all-clear is last: it holds only when no other playbook does and every given log was read.',
  title: 'No sustained 5xx: keep watching',
  firstAction: 'Keep watching: a single sporadic 500 can be acceptable.',
  fallback: true
} satisfies PlaybookMeta<'none'>

export const none = {
  ...meta,
  detect: ({ ctx, found, unread }: Detection) => {
    if (found.size > 0 || unread.length > 0) return null
    const s: Series | null = ctx.series
    if (s === null || (s.totalFails === 0 && s.totalTrials === 0))
      return { finding: finding('none', 0.5, [{ text: 'No timestamped requests or errors in the logs: nothing shows an incident', evidence: [] }]) }
    const window = [{ kind: 'window' as const, from: new Date(s.from).toISOString(), to: new Date(s.to).toISOString() }]
    const f = s.totalFails
    let text: string
    if (f === 0) text = s.mode === 'app-errors' ? 'No app errors in the logs' : `No 5xx in ${count(s.totalTrials)} requests`
    else if (s.mode === 'app-errors') text = `${count(f)} app ${f === 1 ? 'error' : 'errors'} over ${duration(s.to - s.from)}, scattered: no sustained rise to call an incident`
    else text = `${count(f)} ${s.failureLabel} in ${count(s.totalTrials)} requests (${percent(f / Math.max(s.totalTrials, 1))}), scattered: no sustained rise above the baseline; a sporadic 5xx can be acceptable — keep watching`
    return { finding: finding('none', f < 5 ? 0.9 : 0.75, [{ text, evidence: window }]) }
  },
  steps: (ctx) => [noSustained(ctx), stackTrace(ctx), monitor(ctx, 'Keep watching')]
} satisfies PlaybookModule<'none'>

function noSustained({ a }: StepContext): StepDraft {
  const step = action('no-sustained', 'Confirm there is no sustained 5xx', 'A single sporadic 500 can be acceptable; a steady rate is not.')
  if (!a) return { ...step, evidence: ['No evidence yet: add the access log.'] }
  const all = total5xx(a)
  const rate = a.v1.requests > 0 ? ` (${percent(all / a.v1.requests)})` : ''
  return { ...step, evidence: [`${count(a.v1.requests)} requests, ${count(all)} 5xx${rate}`], settled: a.v1.requests > 0 }
}
