import { z } from 'zod'
import { PLAYBOOKS } from './analysis'
import { STEP_STATUSES } from './incident'

/** How a step shows its filled-in material: a block of text, a command to copy, or a list. */
export const StepDetail = z.object({
  kind: z.enum(['code', 'curl', 'list']),
  text: z.string(),
  /**
   * For a replay of a non-idempotent request (POST, PATCH…): the sentence the engineer must
   * confirm before the command is handed out. Absent when the request may be replayed freely.
   */
  confirm: z.string().optional()
})
export type StepDetail = z.infer<typeof StepDetail>

export const RunbookStep = z.object({
  /** Stable within its playbook; the incident keys its state `playbook:id`. */
  id: z.string(),
  title: z.string(),
  /** What to do, in one or two sentences. */
  action: z.string(),
  status: z.enum(STEP_STATUSES),
  /** What the evidence says for this step, filled from the analysis. */
  evidence: z.array(z.string()),
  detail: StepDetail.optional(),
  note: z.string(),
  /** A ready-made wording of the decision this step leads to, e.g. "Rolled back to v2.13.2". */
  decisionHint: z.string().optional()
})
export type RunbookStep = z.infer<typeof RunbookStep>

/**
 * The runbook the engineer works from, as the session builds it from its analysis and the
 * incident (chosen playbook, step statuses and notes): the screen, the report and the CLI show this one.
 */
export const Runbook = z.object({
  playbook: z.enum(PLAYBOOKS),
  title: z.string(),
  /** The first thing the runbook leads to. */
  firstAction: z.string(),
  /** The verdict's playbook (null before any analysis). */
  verdict: z.enum(PLAYBOOKS).nullable(),
  /** True when the engineer switched away from the verdict's playbook. */
  chosen: z.boolean(),
  steps: z.array(RunbookStep)
})
export type Runbook = z.infer<typeof Runbook>
