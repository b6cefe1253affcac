/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import { clockIn, groupLine, groupsByCount, previousVersion } from '../../runbook/evidence'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

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
