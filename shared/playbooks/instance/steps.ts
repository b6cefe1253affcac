/** The bad instance's own steps: they cite v1.instance (and v1.resource when the limit ran out there), never re-detect. */
import { count, percent } from '../../format'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

export function outOfRotation({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'instance-out-of-rotation',
    title: 'Take the failing instance out of rotation',
    action: 'Drain it so the healthy instances take its traffic: mark the server down in HAProxy/nginx, deregister the load-balancer target, or cordon the node and delete the pod (its replacement is scheduled elsewhere).',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const inst = a.v1.instance
  if (!inst) return { ...step, evidence: ['The 5xx are not concentrated on one instance.'] }
  step.title = `Take ${inst.name} out of rotation`
  step.evidence.push(`${inst.name}: ${percent(inst.errorRate)} of its traffic fails, ${percent(inst.shareOfErrors)} of the 5xx that name an instance`)
  return step
}

export function compareHealthy({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'instance-compare',
    title: 'Compare it with a healthy instance',
    action: 'Diff what differs: running version and image, config and environment, host metrics (memory, disk, CPU steal), restarts (kubectl get pod -o wide; kubectl describe pod), and its own log around the onset.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const inst = a.v1.instance
  if (!inst) return step
  const res = a.v1.resource
  if (res && res.instance === inst.name) {
    step.evidence.push(`${inst.name} ran out of ${res.kind === 'file-descriptors' ? 'file descriptors' : res.kind}: ${res.what} (${count(res.count)}×${res.crashLoop ? ', restarting in a loop' : ''})`)
    return { ...step, settled: true }
  }
  return step
}
