/** The dependency's own steps: they cite what the detector found (v1.dependency), never re-detect from text. */
import { duration } from '../../format'
import { clockIn, groupLine, groupsByCount, groupSample } from '../../runbook/evidence'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

export function dependencyHealth({ a, incident }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'dependency-health',
    title: 'Confirm which dependency is failing',
    action: 'A failing health check overlapping the 5xx points at the dependency, not the app.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const dep = a.v1.dependency
  if (!dep) return { ...step, evidence: ['No failing dependency in the health checks: add the dependency health endpoints.'] }
  const span = dep.from && dep.to ? ` (${duration(Date.parse(dep.to) - Date.parse(dep.from))})` : ''
  step.evidence.push(`${dep.target} failing from ${clockIn(a, dep.from)} to ${dep.to ? clockIn(a, dep.to) : 'now'}${span}`)
  const health = dep.health
  if (health) {
    if (health.component) step.evidence.push(`Component down: ${health.component} (of ${health.target})`)
    if (health.detail) step.evidence.push(`Health check said: ${health.detail}`)
    const url = incident.targets.find((t) => t.kind === 'health' && t.name === health.target)?.url
    if (url) step.evidence.push(`Health endpoint: ${url}`)
  }
  return { ...step, settled: true }
}

export function dependencyErrors({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'dependency-errors',
    title: 'Read the dependency errors in the app log',
    action: 'Refused connections, timeouts and exhausted pools say how the dependency fails.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const ids = new Set(a.v1.dependency?.groupIds ?? [])
  const groups = groupsByCount(a).filter((g) => ids.has(g.id))
  if (groups.length === 0) return { ...step, evidence: ['No connection, timeout or pool errors in the app log.'] }
  return { ...step, evidence: groups.slice(0, 4).map((g) => groupLine(a, g)), detail: { kind: 'code', text: groupSample(a, groups[0]) }, settled: true }
}
