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

/**
 * Only when a migration shipped with the deploy or the errors point at the schema: the rollback
 * then is not just the code. Reads the detector's facts (suspectDeploy.migration), never the text.
 */
export function schemaBeforeRollback({ a }: StepContext): StepDraft[] {
  const suspect = a?.v1.suspectDeploy
  const m = suspect?.migration
  if (!suspect || !m || (m.ran !== true && !m.schemaErrors)) return []
  const step: StepDraft = {
    id: 'schema-migration',
    title: 'Check the schema before rolling back the code',
    action: '',
    evidence: [],
    settled: false
  }
  if (m.ran === true && m.schemaErrors) {
    step.action = 'Rolling back the code alone may not roll back the schema: run the down-migration (if it is safe for the data written since) with the rollback, or roll forward a fix. The previous version must work with the schema as it is now.'
    step.evidence.push(`A schema migration ran with ${suspect.version}, and the errors since point at the schema (a missing column or table, or a type mismatch).`)
  } else if (m.ran === true) {
    step.action = 'Before rolling back, check that the previous version works with the migrated schema (expand/contract: additive changes are safe, dropped or renamed columns are not); if not, roll back the schema with its down-migration too.'
    step.evidence.push(`A schema migration ran with ${suspect.version}: rolling back the code does not roll it back.`)
  } else {
    step.action = 'A migration may not have run at all: run the pending migration (or roll back the code that needs it), then watch the schema errors stop.'
    step.evidence.push(`The errors point at the schema, and ${m.ran === false ? 'no migration is seen with the deploy in the logs' : 'no log shows whether a migration ran'}.`)
  }
  return [step]
}
