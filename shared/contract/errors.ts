import type { ApiError } from './schemas'

/** An API failure as the page sees it: the envelope's words and its code (`bad-input`, `failed`…). */
export class TriageApiError extends Error {
  readonly code: string
  constructor(error: ApiError) {
    super(error.message)
    this.name = 'TriageApiError'
    this.code = error.code
  }
}

/**
 * Electron's contextBridge copies only an Error's message into the page, so the preload carries
 * the envelope's code in it, `[code] message`, and the page's platform reads it back.
 */
export function bridgeErrorMessage(error: ApiError): string {
  return `[${error.code}] ${error.message}`
}

/** The TriageApiError a bridge error message carries; anything else unchanged. */
export function fromBridgeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err
  const m = /\[([a-z][a-z-]*)\] ([\s\S]*)$/.exec(err.message)
  return m ? new TriageApiError({ code: m[1], message: m[2] }) : err
}
