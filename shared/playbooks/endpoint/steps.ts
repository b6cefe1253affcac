/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import { count, percent } from '../../format'
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
