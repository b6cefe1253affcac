/**
 * HTTP facts every part of the app must agree on. Idempotent methods (RFC 9110 §9.2.2) can be
 * repeated without changing the outcome, so a failing request may be handed out for replay;
 * POST and PATCH may create or change data again and are never replayed without a confirmation.
 */
export const IDEMPOTENT_METHODS = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'] as const

export const isIdempotent = (method: string): boolean => (IDEMPOTENT_METHODS as readonly string[]).includes(method.toUpperCase())

/** The one sentence that warns about replaying a non-idempotent request: `POST is not idempotent: …`. */
export const notIdempotentWarning = (method: string): string =>
  `${method.toUpperCase()} is not idempotent: replaying it may create or change data again (a payment, an order). It is never replayed without an explicit confirmation.`
