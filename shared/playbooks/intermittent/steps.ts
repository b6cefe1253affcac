/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import type { INTERMITTENT_PATTERNS } from '../../contract/analysis'
import { count, duration } from '../../format'
import { clockIn, deploysByTime, firstErrorAt } from '../../runbook/evidence'
import { action, monitor, NO_EVIDENCE, replayStep, stackTrace, type StepContext, type StepDraft } from '../../runbook/steps'

export const INTERMITTENT_TITLES: Record<(typeof INTERMITTENT_PATTERNS)[number], string> = {
  traffic: 'Intermittent 5xx that follow traffic (resource exhaustion)',
  data: 'Intermittent 5xx on a few users, records or ids',
  'time-of-day': 'Intermittent 5xx in a recurring clock window',
  unknown: 'Intermittent 5xx with no clear pattern yet'
}

/** One sustained rise is a step, not intermittent: the titles say so. */
export const STEP_TITLES: Record<(typeof INTERMITTENT_PATTERNS)[number], string> = {
  traffic: 'A sustained step in 5xx that follows traffic (resource exhaustion)',
  data: 'A sustained step in 5xx on a few users, records or ids',
  'time-of-day': 'A sustained step in 5xx in a recurring clock window',
  unknown: 'A sustained step in 5xx with no clear cause yet: find what changed at its start'
}

export function intermittentSteps(ctx: StepContext): StepDraft[] {
  const pattern = ctx.a?.v1.intermittent?.pattern ?? 'unknown'
  const keys = ctx.a?.v1.intermittent?.keys ?? []
  const patternStep: StepDraft = {
    id: 'pattern',
    title: 'Identify the pattern of the bursts',
    action: 'Traffic, a few users or records, or a clock window each point somewhere else.',
    evidence: [(ctx.a?.v1.intermittent?.shape === 'step' ? STEP_TITLES : INTERMITTENT_TITLES)[pattern], ...(keys.length > 0 ? [`Keys: ${keys.slice(0, 10).join(', ')}`] : [])],
    settled: ctx.a?.v1.intermittent != null && pattern !== 'unknown'
  }
  const bySubPattern: Record<typeof pattern, StepDraft[]> = {
    traffic: [
      trafficBursts(ctx),
      action('exhaustion', 'Check for resource exhaustion', 'At the burst times: connection and thread pools, memory and GC, file descriptors, queue depth, rate limits of what you call.')
    ],
    data: [
      {
        ...action('data-keys', 'Look up the affected users, records or ids', 'The same few ids failing means bad or unexpected data: inspect those records.'),
        ...(keys.length > 0 ? { detail: { kind: 'list' as const, text: keys.join('\n') }, evidence: [`${keys.length} keys recur in the failures`], settled: true } : {})
      },
      replayStep(ctx)
    ],
    'time-of-day': [
      action(
        'clock-window',
        'Find what runs in that clock window',
        'Cron jobs, backups, batch imports, cache expiry, certificate renewals, or an external API’s rate-limit reset.',
        keys.length > 0 ? [`Window: ${keys.join(', ')}`] : []
      )
    ],
    unknown: [action('correlate', 'Add correlation to the logs', 'Log request ids, user ids and downstream calls on every error, then widen the window to see a pattern.')]
  }
  return [predatesDeploy(ctx), patternStep, ...bySubPattern[pattern], stackTrace(ctx), monitor(ctx)]
}

export function predatesDeploy({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'predates-deploy',
    title: 'Confirm the 5xx predate the last deploy',
    action: 'Errors that were there before the deploy are not the deploy’s doing: rolling back will not help.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const first = firstErrorAt(a)
  const deploys = deploysByTime(a)
  if (first === null) return { ...step, evidence: ['No 5xx in the access logs read so far.'] }
  if (deploys.length === 0) return { ...step, evidence: [`First 5xx at ${clockIn(a, first)}; no deploy is known to compare with.`] }
  const last = deploys[deploys.length - 1]
  const before = first < last.at
  step.evidence.push(`First 5xx at ${clockIn(a, first)}; last deploy ${last.version} at ${clockIn(a, last.at)}`)
  step.evidence.push(before ? 'The 5xx were there before the deploy.' : 'The first 5xx came after the deploy: look at the deploy first.')
  return { ...step, settled: before }
}

export function trafficBursts({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'traffic-bursts',
    title: 'Compare the bursts with request volume',
    action: 'If the 5xx rise with traffic, something runs out under load.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const busy = a.timeline.buckets.filter((b) => b.total > 0)
  if (busy.length === 0) return { ...step, evidence: ['No requests with timestamps.'] }
  const sorted = [...busy].sort((x, y) => x.total - y.total)
  const median = sorted[Math.floor(sorted.length / 2)].total
  const peak = sorted[sorted.length - 1]
  step.evidence.push(`Peak ${count(peak.total)} requests at ${clockIn(a, peak.t)} (median ${count(median)} per ${duration(a.timeline.bucketMs)}), ${count(peak.s5xx)} of them 5xx`)
  const worst = [...busy].sort((x, y) => y.s5xx - x.s5xx)[0]
  if (worst.s5xx > 0) step.evidence.push(`Most 5xx at ${clockIn(a, worst.t)}: ${count(worst.s5xx)} of ${count(worst.total)} requests`)
  return step
}
