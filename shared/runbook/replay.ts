import { isIdempotent } from '../model/methods'

/** What the engineer confirms before the runbook hands out a non-idempotent request (model/methods). */
export function replayConfirmation(method: string): string | undefined {
  const m = method.toUpperCase()
  if (isIdempotent(m)) return undefined
  return `I confirm that replaying this ${m} request has no side effects (or runs against a safe copy).`
}
