import type { AnalysisSnapshot, IncidentState } from '../contract'
import {
  deploysByTime,
  firstErrorAt,
  clockIn,
  groupLine,
  groupSample,
  groupsByCount,
  recentRate,
  recovered,
  statusCount,
  statusShare,
  total5xx
} from './evidence'
import { count, duration, percent } from '../format'
import { replayConfirmation } from './replay'
import { isIdempotent, notIdempotentWarning } from '../model/methods'
import type { StepDetail } from './types'

/** A step as the evidence fills it, before the engineer's status and note are applied. */
export interface StepDraft {
  id: string
  title: string
  action: string
  evidence: string[]
  detail?: StepDetail
  /** The evidence alone settles this step (it is auto-checked unless the engineer says otherwise). */
  settled: boolean
  decisionHint?: string
}

export interface StepContext {
  /** Null before any evidence was read: steps still list what to do, with nothing filled in. */
  a: AnalysisSnapshot | null
  incident: IncidentState
}

export const NO_EVIDENCE = 'No evidence yet: add the access log, the application log or the proxy error log.'

export function deployCorrelation({ a }: StepContext, title = 'Correlate the onset with the last deploy'): StepDraft {
  const step: StepDraft = {
    id: 'deploy-correlation',
    title,
    action: 'Compare when the 5xx started with what was deployed just before.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const suspect = a.v1.suspectDeploy
  if (suspect) {
    const commit = a.deploys.find((d) => d.version === suspect.version)?.commit
    const seen = suspect.source === 'log' ? ", as the app's own log shows (its startup banner or version field)" : ''
    step.evidence.push(`${suspect.version} went live at ${clockIn(a, suspect.at)}${commit ? ` (commit ${commit.slice(0, 12)})` : ''}${seen}`)
    step.evidence.push(`5xx rate before: ${percent(suspect.errorRateBefore)} → after: ${percent(suspect.errorRateAfter)}`)
    const onset = a.baseline.onset
    if (onset !== null) {
      const lag = onset - Date.parse(suspect.at)
      // A polled deploy is timed when the poller saw it, which can be after the new version started answering.
      step.evidence.push(`The 5xx rose at ${clockIn(a, onset)}, ${duration(Math.abs(lag))} ${lag >= 0 ? 'after the deploy' : 'before the deploy was recorded'}`)
    }
    return { ...step, settled: true }
  }
  const deploys = deploysByTime(a)
  if (deploys.length === 0) {
    step.evidence.push('No deploy is known: add the deploy endpoint (e.g. /__version__) or the deploy history to correlate.')
    return step
  }
  const last = deploys[deploys.length - 1]
  step.evidence.push(`Last deploy: ${last.version} at ${clockIn(a, last.at)}`)
  const onset = a.baseline.onset ?? firstErrorAt(a)
  step.evidence.push(onset !== null && onset < last.at ? `The 5xx started at ${clockIn(a, onset)}, before that deploy` : 'No deploy lines up with a rise of the 5xx rate')
  return { ...step, settled: true }
}

export function stackTrace({ a }: StepContext, route?: { method: string; route: string }): StepDraft {
  const step: StepDraft = {
    id: 'stack-trace',
    title: 'Read the error log and the top stack trace',
    action: 'Find the first frame in your own code: that is where the fix goes.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const groups = groupsByCount(a)
  const onRoute = route ? groups.find((g) => g.endpoints.some((e) => e === `${route.method} ${route.route}`)) : undefined
  const top = onRoute ?? groups[0]
  if (!top) return { ...step, evidence: ['No error events in the logs read so far: add the application log to see stack traces.'] }
  return { ...step, evidence: [groupLine(a, top), ...(top.endpoints.length > 0 ? [`On ${top.endpoints.slice(0, 3).join(', ')}`] : [])], detail: { kind: 'code', text: groupSample(a, top) } }
}

export function missingConfig({ a }: StepContext, title = 'Identify the missing configuration'): StepDraft {
  const names = a?.v1.missingConfig ?? []
  const step: StepDraft = {
    id: 'missing-config',
    title,
    action: 'These names appear in errors about missing or invalid configuration.',
    evidence: [],
    settled: names.length > 0
  }
  if (names.length === 0) return { ...step, evidence: [a ? 'No error names a missing variable or config key.' : NO_EVIDENCE] }
  step.evidence.push(`${names.length} ${names.length === 1 ? 'name' : 'names'} missing or invalid: ${names.join(', ')}`)
  step.detail = { kind: 'list', text: names.join('\n') }
  return step
}

export function replayStep({ a }: StepContext, title = 'Reproduce the exact request in isolation'): StepDraft {
  const step: StepDraft = {
    id: 'replay',
    title,
    action: 'Replay the failing request against one instance or staging, with logging turned up.',
    evidence: [],
    settled: false
  }
  const replay = a?.v1.replay
  if (!replay) return { ...step, evidence: [a ? 'No failing request with a full URL was recorded.' : NO_EVIDENCE] }
  const method = replay.method.toUpperCase()
  step.evidence.push(`${method} ${replay.url}`)
  step.evidence.push(
    isIdempotent(method)
      ? `${method} is idempotent: it may be replayed.`
      : notIdempotentWarning(method)
  )
  step.evidence.push('5xx responses are not cacheable: every replay reaches the origin, so it reproduces the error, not a cached copy.')
  const confirm = replayConfirmation(method)
  step.detail = confirm ? { kind: 'curl', text: replay.curl, confirm } : { kind: 'curl', text: replay.curl }
  return step
}

export function monitor({ a }: StepContext, title = 'Watch the 5xx rate return to baseline'): StepDraft {
  const step: StepDraft = {
    id: 'monitor',
    title,
    action: 'Keep the sources following and the endpoints polled until the rate is back to normal.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  step.evidence.push(`Baseline 5xx rate: ${percent(a.baseline.errorRate)}`)
  const recent = recentRate(a)
  if (recent) step.evidence.push(`Since ${clockIn(a, recent.from)}: ${percent(recent.rate)} of ${count(recent.requests)} requests`)
  const ok = recovered(a)
  if (ok) step.evidence.push('Back to baseline.')
  return { ...step, settled: ok }
}

export function statusSplit({ a }: StepContext, statuses: number[], title: string): StepDraft {
  if (!a) return { id: 'status-split', title, action: 'See which 5xx statuses dominate.', evidence: [NO_EVIDENCE], settled: false }
  const all = total5xx(a)
  const part = statuses.reduce((s, st) => s + statusCount(a, st), 0)
  return { id: 'status-split', title, action: 'See which 5xx statuses dominate.', evidence: [statusShare(a, statuses)], settled: all > 0 && part / all >= 0.5 }
}

/** In playbooks that are not about configuration, a missing variable still gets its own step. */
export function configIfNamed(ctx: StepContext): StepDraft[] {
  return (ctx.a?.v1.missingConfig.length ?? 0) > 0 ? [missingConfig(ctx, 'Set the configuration the errors name')] : []
}

export function action(id: string, title: string, text: string, evidence: string[] = []): StepDraft {
  return { id, title, action: text, evidence, settled: false }
}

