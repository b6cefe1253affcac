/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import { count, duration, percent, plural } from '../../format'
import { RETRY_WINDOW_MS } from '../../analysis/impact'
import { total5xx } from '../../runbook/evidence'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

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

/**
 * A CDN that cached a 5xx keeps serving it after the origin is fixed: purging comes before any
 * other step, and the cache rules must stop caching errors (5xx are not cacheable).
 */
export function purgeCdnCache({ a }: StepContext): StepDraft[] {
  const impact = a?.v1.impact
  if (!impact || impact.cached5xx === 0) return []
  const all5xx = total5xx(a)
  return [{
    id: 'purge-cdn-cache',
    title: 'Purge the CDN cache',
    action: "The CDN is serving 5xx from its cache: purge the failing paths now, then check the CDN's cache rules — a 5xx must never be cached (error-caching TTLs, cache-everything rules, stale-if-error set to cache errors).",
    evidence: [`${count(impact.cached5xx)} 5xx served from the CDN's cache${all5xx > 0 ? ` (${percent(impact.cached5xx / all5xx)} of all 5xx)` : ''}`],
    settled: false
  }]
}

/** POST/PATCH re-sent after a 5xx may have run twice: the 5xx can come after the side effect. */
export function duplicateSideEffects({ a }: StepContext): StepDraft[] {
  const impact = a?.v1.impact
  if (!impact || impact.retriedNonIdempotent === 0) return []
  return [{
    id: 'duplicate-side-effects',
    title: 'Check for duplicate side effects',
    action: 'Clients re-sent POST/PATCH requests after a 5xx. A request can fail after it charged, ordered or sent: look for double charges and duplicate records, and have clients send an idempotency key instead of re-sending blindly.',
    evidence: [`${plural(impact.retriedNonIdempotent, 'POST/PATCH request')} re-sent by the same client to the same path within ${duration(RETRY_WINDOW_MS)} of a 5xx`],
    settled: false
  }]
}
