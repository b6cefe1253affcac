import type { AnalysisSnapshot, IncidentState, Playbook, StepStatus } from '../contract'
import { FIRST_ACTIONS, INTERMITTENT_TITLES } from './playbooks'
import { PLAYBOOK_TITLES } from '../model/playbooks'
import {
  action,
  appRunning,
  dependencyErrors,
  dependencyHealth,
  deployCorrelation,
  endpointIsolate,
  missingConfig,
  monitor,
  readableSources,
  readSources,
  newErrors,
  predatesDeploy,
  proxyErrors,
  replayStep,
  rollBack,
  stackTrace,
  statusSplit,
  trafficBursts,
  upstreamLatency,
  type StepContext,
  type StepDraft
} from './steps'
import type { Runbook, RunbookStep } from './types'
import { count, percent } from '../format'

/** The key of a step's state in IncidentState.steps. */
export const stepKey = (playbook: Playbook, stepId: string): string => `${playbook}:${stepId}`

/** In playbooks that are not about configuration, a missing variable still gets its own step. */
function configIfNamed(ctx: StepContext): StepDraft[] {
  return (ctx.a?.v1.missingConfig.length ?? 0) > 0 ? [missingConfig(ctx, 'Set the configuration the errors name')] : []
}

function intermittentSteps(ctx: StepContext): StepDraft[] {
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

/** Each playbook's steps, in the order an engineer works them. */
function draftSteps(playbook: Playbook, ctx: StepContext): StepDraft[] {
  switch (playbook) {
    case 'unreadable':
      return [readSources(ctx), readableSources(ctx), monitor(ctx, 'Judge again once the logs read')]
    case 'rollback':
      return [deployCorrelation(ctx), newErrors(ctx), rollBack(ctx), stackTrace(ctx), replayStep(ctx, 'Reproduce the failing request offline'), ...configIfNamed(ctx), monitor(ctx)]
    case 'dependency':
      return [
        dependencyHealth(ctx),
        dependencyErrors(ctx),
        action('check-directly', 'Check the dependency directly', 'Connect to it from the app host (psql, redis-cli, curl its health URL); read its own logs, disk, connections and limits.'),
        action('degrade', 'Degrade gracefully', 'Add timeouts, retries with backoff and a circuit breaker; serve a fallback instead of a 500.'),
        deployCorrelation(ctx, 'Rule out the last deploy'),
        ...configIfNamed(ctx),
        monitor(ctx)
      ]
    case 'config':
      return [
        missingConfig(ctx),
        action('compare-env', 'Compare the environment with a working one', 'Diff this instance’s environment and config against a healthy instance or the previous release (printenv, kubectl describe, the config repo).'),
        {
          ...action('set-config', 'Set the variables and restart', 'Set the values through your normal config path, restart or redeploy, and confirm the errors stop.'),
          evidence: (ctx.a?.v1.missingConfig.length ?? 0) > 0 ? [`Set: ${ctx.a?.v1.missingConfig.join(', ')}`] : []
        },
        deployCorrelation(ctx, 'Did the last deploy change the configuration?'),
        monitor(ctx)
      ]
    case 'endpoint': {
      const ep = ctx.a?.v1.endpoint ?? undefined
      return [
        endpointIsolate(ctx),
        stackTrace(ctx, ep ? { method: ep.method, route: ep.route } : undefined),
        replayStep(ctx),
        action('endpoint-logging', 'Add logging on that endpoint', 'Log the inputs, ids and downstream calls of this handler, with the request id.'),
        action('fix-lower', 'Fix it and test lower first', 'Turn the replayed request into a failing test, fix it, verify in staging before production.'),
        ...configIfNamed(ctx),
        monitor(ctx)
      ]
    }
    case 'intermittent':
      return intermittentSteps(ctx)
    case 'upstream':
      return [
        statusSplit(ctx, [502, 504], 'Confirm the proxy wrote the 5xx'),
        proxyErrors(ctx),
        appRunning(ctx),
        upstreamLatency(ctx),
        deployCorrelation(ctx, 'Rule out the last deploy'),
        monitor(ctx)
      ]
    case 'unavailable':
      return [
        statusSplit(ctx, [503], 'Confirm the 503s'),
        action('by-design', 'Is it draining or shedding load by design?', 'Maintenance mode, a deploy draining connections, a rate limiter or load shedder: check for Retry-After and the load balancer’s state.'),
        deployCorrelation(ctx, 'Is a deploy or maintenance in progress?'),
        monitor(ctx)
      ]
    case 'none':
      return [noSustained(ctx), stackTrace(ctx), monitor(ctx, 'Keep watching')]
  }
}

function noSustained({ a }: StepContext): StepDraft {
  const step = action('no-sustained', 'Confirm there is no sustained 5xx', 'A single intermittent 500 can be acceptable; a steady rate is not.')
  if (!a) return { ...step, evidence: ['No evidence yet: add the access log.'] }
  const all = Object.entries(a.v1.statusCounts).reduce((s, [k, c]) => (Number(k) >= 500 && Number(k) < 600 ? s + c : s), 0)
  const rate = a.v1.requests > 0 ? ` (${percent(all / a.v1.requests)})` : ''
  return { ...step, evidence: [`${count(a.v1.requests)} requests, ${count(all)} 5xx${rate}`], settled: a.v1.requests > 0 }
}

function statusOf(draft: StepDraft, stored: StepStatus | undefined): StepStatus {
  // What the engineer decided wins; otherwise the evidence decides, and can change as lines arrive.
  if (stored === 'checked' || stored === 'skipped') return stored
  return draft.settled ? 'auto-checked' : 'todo'
}

/**
 * The runbook the engineer works from: the chosen playbook (or the verdict's), each step
 * filled from the analysis, with the engineer's status and note from the incident.
 */
export function buildRunbook(analysis: AnalysisSnapshot | null, incident: IncidentState): Runbook {
  const verdict = analysis?.v1.verdict?.playbook ?? null
  const playbook = incident.chosenPlaybook ?? verdict ?? 'none'
  const ctx: StepContext = { a: analysis, incident }
  const steps: RunbookStep[] = draftSteps(playbook, ctx).map((d) => {
    const stored = incident.steps[stepKey(playbook, d.id)]
    const step: RunbookStep = { id: d.id, title: d.title, action: d.action, status: statusOf(d, stored?.status), evidence: d.evidence, note: stored?.note ?? '' }
    if (d.detail) step.detail = d.detail
    if (d.decisionHint) step.decisionHint = d.decisionHint
    return step
  })
  const pattern = analysis?.v1.intermittent?.pattern
  const title = playbook === 'intermittent' && pattern ? INTERMITTENT_TITLES[pattern] : PLAYBOOK_TITLES[playbook]
  return { playbook, title, firstAction: FIRST_ACTIONS[playbook], verdict, chosen: incident.chosenPlaybook !== null && incident.chosenPlaybook !== verdict, steps }
}
