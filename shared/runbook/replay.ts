/**
 * Which requests a runbook may hand out for replay without asking. Idempotent methods
 * (RFC 9110 §9.2.2) can be repeated without changing the outcome; POST and PATCH may create
 * or change data again, so they are never replayed without an explicit confirmation.
 */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'])

export function isIdempotent(method: string): boolean {
  return IDEMPOTENT.has(method.toUpperCase())
}

export function replayConfirmation(method: string): string | undefined {
  const m = method.toUpperCase()
  if (isIdempotent(m)) return undefined
  return `I confirm that replaying this ${m} request has no side effects (or runs against a safe copy).`
}
