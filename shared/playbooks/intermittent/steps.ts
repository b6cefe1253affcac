import type { INTERMITTENT_PATTERNS } from '../../contract/analysis'
import { action, monitor, predatesDeploy, replayStep, stackTrace, trafficBursts, type StepContext, type StepDraft } from '../../runbook/steps'

export const INTERMITTENT_TITLES: Record<(typeof INTERMITTENT_PATTERNS)[number], string> = {
  traffic: 'Intermittent 5xx that follow traffic (resource exhaustion)',
  data: 'Intermittent 5xx on a few users, records or ids',
  'time-of-day': 'Intermittent 5xx in a recurring clock window',
  unknown: 'Intermittent 5xx with no clear pattern yet'
}

export function intermittentSteps(ctx: StepContext): StepDraft[] {
  const pattern = ctx.a?.v1.intermittent?.pattern ?? 'unknown'
  const keys = ctx.a?.v1.intermittent?.keys ?? []
  const patternStep: StepDraft = {
    id: 'pattern',
    title: 'Identify the pattern of the bursts',
    action: 'Traffic, a few users or records, or a clock window each point somewhere else.',
    evidence: [INTERMITTENT_TITLES[pattern], ...(keys.length > 0 ? [`Keys: ${keys.slice(0, 10).join(', ')}`] : [])],
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
