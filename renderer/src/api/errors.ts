import { TriageApiError } from '../../../shared/contract'

/**
 * A failed request as one line for the screen. The envelope's code decides the words around the
 * message: `failed` is a fault in Triage500 itself, so the line says it is not the engineer's input.
 */
export function errorText(err: unknown): string {
  if (err instanceof TriageApiError) {
    if (err.code === 'failed') return `${err.message} (a fault in Triage500, not in your input)`
    if (err.code === 'unknown-channel') return `${err.message} (this page does not match the running app: reload it)`
    return err.message
  }
  return err instanceof Error ? err.message : String(err)
}

/** The envelope's code of a failed request (`bad-input`, `bad-request`, `failed`…), null for other errors. */
export function errorCode(err: unknown): string | null {
  return err instanceof TriageApiError ? err.code : null
}
