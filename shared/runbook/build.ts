import type { AnalysisSnapshot, IncidentState, StepStatus } from '../contract'
import { PLAYBOOK_MODULES, type PlaybookRegistry } from '../playbooks'
import type { StepContext, StepDraft } from './steps'
import type { Runbook, RunbookStep } from './types'

/** The key of a step's state in IncidentState.steps. */
export const stepKey = (playbook: string, stepId: string): string => `${playbook}:${stepId}`

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
  return { ...runbookOf(PLAYBOOK_MODULES, playbook, analysis, incident), verdict, chosen: incident.chosenPlaybook !== null && incident.chosenPlaybook !== verdict }
}

/** One playbook's runbook from a registry: its title, first action and filled steps. */
export function runbookOf<Id extends string>(
  registry: PlaybookRegistry<Id>,
  playbook: Id,
  analysis: AnalysisSnapshot | null,
  incident: IncidentState
): { playbook: Id; title: string; firstAction: string; steps: RunbookStep[] } {
  const m = registry[playbook]
  const ctx: StepContext = { a: analysis, incident }
  const steps: RunbookStep[] = m.steps(ctx).map((d: StepDraft) => {
    const stored = incident.steps[stepKey(playbook, d.id)]
    const step: RunbookStep = { id: d.id, title: d.title, action: d.action, status: statusOf(d, stored?.status), evidence: d.evidence, note: stored?.note ?? '' }
    if (d.detail) step.detail = d.detail
    if (d.decisionHint) step.decisionHint = d.decisionHint
    return step
  })
  const title = (analysis !== null ? m.runbookTitle?.(analysis) : null) ?? m.title
  return { playbook, title, firstAction: m.firstAction, steps }
}
