import type { AnalysisSnapshot, IncidentState } from '../contract'
import {
  deploysByTime,
  firstErrorAt,
  clockIn,
  groupLine,
  groupSample,
  groupsByCount,
  previousVersion,
  proxyGroups,
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
    step.evidence.push(`${suspect.version} went live at ${clockIn(a, suspect.at)}${commit ? ` (commit ${commit.slice(0, 12)})` : ''}`)
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

export function rollBack({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'roll-back',
    title: 'Roll back to the previous version',
    action: 'Roll back now and investigate offline: never forward-fix under load.',
    evidence: [],
    settled: false
  }
  const suspect = a?.v1.suspectDeploy
  if (!a || !suspect) return { ...step, evidence: ['No suspect deploy: the evidence does not name a version to roll back.'] }
  const previous = previousVersion(a, suspect.version, Date.parse(suspect.at))
  if (previous) {
    step.evidence.push(`Roll back ${suspect.version} → ${previous} (live until ${clockIn(a, suspect.at)})`)
    step.decisionHint = `Rolled back ${suspect.version} to ${previous}`
  } else {
    step.evidence.push(`The version before ${suspect.version} is not in the deploy history: take it from your deploy tool.`)
    step.decisionHint = `Rolled back ${suspect.version}`
  }
  return step
}

export function newErrors({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'new-errors',
    title: 'Check the errors that are new since the deploy',
    action: 'A new exception right after a deploy usually names the change that broke.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const fresh = groupsByCount(a).filter((g) => g.newSinceDeploy)
  if (fresh.length === 0) return { ...step, evidence: ['No error group was first seen after the deploy.'] }
  return { ...step, evidence: fresh.slice(0, 5).map((g) => groupLine(a, g)), settled: true }
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

export function proxyErrors({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'proxy-errors',
    title: 'Read the proxy error log',
    action: 'nginx says why it answered 502/504: refused, timed out, closed early, no live upstreams.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const groups = proxyGroups(a)
  if (groups.length === 0) return { ...step, evidence: ['No proxy error log read: add nginx error.log to see why it answered 502/504.'] }
  return { ...step, evidence: groups.slice(0, 5).map((g) => groupLine(a, g)), detail: { kind: 'code', text: groupSample(a, groups[0]) }, settled: true }
}

export function appRunning({ a }: StepContext): StepDraft {
  const refused = a ? proxyGroups(a).filter((g) => /refused|no-live|reset|dns/.test(g.type ?? '')) : []
  return {
    id: 'app-running',
    title: 'Is the app server running?',
    action: 'Check the process or pods (systemctl status, kubectl get pods), restarts and OOM kills, and the port it listens on.',
    evidence: refused.length > 0 ? [`The proxy could not connect ${count(refused.reduce((s, g) => s + g.count, 0))} times: the app server is down or not listening.`] : [a ? 'No refused connections in the proxy error log.' : NO_EVIDENCE],
    settled: false
  }
}

export function upstreamLatency({ a }: StepContext): StepDraft {
  const timeouts = a ? proxyGroups(a).filter((g) => /timeout/.test(g.type ?? '')) : []
  const evidence = a ? [`504 answers: ${count(statusCount(a, 504))}`] : [NO_EVIDENCE]
  if (timeouts.length > 0) evidence.push(`Upstream timed out ${count(timeouts.reduce((s, g) => s + g.count, 0))} times: the app is up but too slow.`)
  return {
    id: 'upstream-latency',
    title: "Check the upstream's response time",
    action: 'Timeouts mean the app answers too slowly: check its latency, slow queries, and worker/thread pools.',
    evidence,
    settled: false
  }
}

export function statusSplit({ a }: StepContext, statuses: number[], title: string): StepDraft {
  if (!a) return { id: 'status-split', title, action: 'See which 5xx statuses dominate.', evidence: [NO_EVIDENCE], settled: false }
  const all = total5xx(a)
  const part = statuses.reduce((s, st) => s + statusCount(a, st), 0)
  return { id: 'status-split', title, action: 'See which 5xx statuses dominate.', evidence: [statusShare(a, statuses)], settled: all > 0 && part / all >= 0.5 }
}

export function endpointIsolate({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'endpoint-isolate',
    title: 'Confirm one route holds the 5xx',
    action: 'When one route fails and the rest is fine, the fault is in that handler or what it calls.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const ep = a.v1.endpoint
  if (!ep) return { ...step, evidence: ['The 5xx are spread over several routes.'] }
  step.evidence.push(`${ep.method} ${ep.route}: ${percent(ep.errorRate)} of its requests fail, ${percent(ep.shareOfErrors)} of all 5xx`)
  const rest = a.routes.filter((r) => !(r.method === ep.method && r.route === ep.route))
  const restTotal = rest.reduce((s, r) => s + r.total, 0)
  if (restTotal > 0) step.evidence.push(`Rest of the service: ${percent(rest.reduce((s, r) => s + r.s5xx, 0) / restTotal)} 5xx over ${count(restTotal)} requests`)
  return { ...step, settled: true }
}

/** In playbooks that are not about configuration, a missing variable still gets its own step. */
export function configIfNamed(ctx: StepContext): StepDraft[] {
  return (ctx.a?.v1.missingConfig.length ?? 0) > 0 ? [missingConfig(ctx, 'Set the configuration the errors name')] : []
}

export function action(id: string, title: string, text: string, evidence: string[] = []): StepDraft {
  return { id, title, action: text, evidence, settled: false }
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

/** The unreadable playbook's first step: which sources are unread, how they look, and where to fix it. */
export function readSources({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'read-sources',
    title: 'Make the unread logs readable',
    action:
      'In Sources, pick the format of each unread log from its menu, or correct the field that holds the status, path or time in its field map (command line: analyze --log-format ID, --map status=FIELD).',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  for (const s of a.v1.sources) {
    if (s.unread === null) continue
    step.evidence.push(s.unread)
    for (const shape of s.unreadShapes) step.evidence.push(`unread ×${count(shape.count)}: ${shape.shape}`)
  }
  step.settled = step.evidence.length === 0
  return step
}

/** What the sources that do read show, so the engineer knows how much is still missing. */
export function readableSources({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'readable-sources',
    title: 'See what the readable logs show',
    action: 'Their picture is partial: an all-clear needs every given log read.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const readable = a.v1.sources.filter((s) => s.unread === null)
  if (readable.length === 0) step.evidence.push('No given log reads yet.')
  for (const s of readable) step.evidence.push(`${s.path}: ${count(s.events)} events from ${count(s.lines)} lines as ${s.format}`)
  return step
}
