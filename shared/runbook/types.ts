import type { Playbook, StepStatus } from '../contract'

/** How a step shows its filled-in material: a block of text, a command to copy, or a list. */
export interface StepDetail {
  kind: 'code' | 'curl' | 'list'
  text: string
  /**
   * For a replay of a non-idempotent request (POST, PATCH…): the sentence the engineer must
   * confirm before the command is handed out. Absent when the request may be replayed freely.
   */
  confirm?: string
}

export interface RunbookStep {
  /** Stable within its playbook; the incident keys its state `playbook:id`. */
  id: string
  title: string
  /** What to do, in one or two sentences. */
  action: string
  status: StepStatus
  /** What the evidence says for this step, filled from the analysis. */
  evidence: string[]
  detail?: StepDetail
  note: string
  /** A ready-made wording of the decision this step leads to, e.g. "Rolled back to v2.13.2". */
  decisionHint?: string
}

export interface Runbook {
  playbook: Playbook
  title: string
  /** The first thing the runbook leads to. */
  firstAction: string
  /** The verdict's playbook (null before any analysis). */
  verdict: Playbook | null
  /** True when the engineer switched away from the verdict's playbook. */
  chosen: boolean
  steps: RunbookStep[]
}
