/**
 * Why a store read failed, in one line an on-call engineer can act on: what kind of failure,
 * which store (URL without credentials) and what the engine said. Never the secret, never a
 * stack trace.
 */
export type StoreErrorKind = 'unreachable' | 'timeout' | 'slow' | 'query' | 'auth' | 'credential' | 'unreadable' | 'unsupported' | 'cancelled'

export class StoreError extends Error {
  override readonly name = 'StoreError'
  constructor(
    readonly kind: StoreErrorKind,
    message: string,
    /** The engine asked to come back later (429, 503) or timed out: retry with back-off. */
    readonly retryable = false
  ) {
    super(message)
  }
}

/** The store's address as shown to people: no user, password, query string or fragment. */
export function storeLabel(raw: string): string {
  try {
    const url = new URL(raw)
    url.username = ''
    url.password = ''
    url.search = ''
    url.hash = ''
    return url.toString().replace(/\/$/, '')
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/, '//').replace(/[?#].*$/, '')
  }
}
