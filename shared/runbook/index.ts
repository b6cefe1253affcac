export { buildRunbook, runbookOf, stepKey } from './build'
export { causeChain, classifyStack, type StackLine } from './stack'
export { replayConfirmation } from './replay'
export type { Runbook, RunbookStep, StepDetail } from './types'
