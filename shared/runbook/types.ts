/** The runbook's shape is part of the contract: the session builds it, the screen and the report show it. */
export type { Runbook, RunbookStep, StepDetail } from '../contract/runbook'
