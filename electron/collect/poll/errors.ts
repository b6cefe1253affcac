/**
 * Why a poll failed, in words an on-call engineer can act on. Messages never carry request
 * headers, URL credentials, paths or queries (they may hold tokens): at most a host name.
 */

export type PollErrorKind =
  | 'timeout'
  | 'refused'
  | 'dns'
  | 'tls'
  | 'network'
  | 'redirect'
  | 'too-large'
  | 'unreadable'
  | 'http'
  | 'shape'
  | 'cancelled'

export class PollError extends Error {
  override readonly name = 'PollError'
  constructor(
    readonly kind: PollErrorKind,
    message: string
  ) {
    super(message)
  }
}

/** A poll stopped on purpose (poller stopped): not a result, nothing to report. */
export const isCancelled = (err: unknown): boolean => err instanceof PollError && err.kind === 'cancelled'

export const cancelledError = (): PollError => new PollError('cancelled', 'poll cancelled')

/** The URL as shown to people: user and password removed. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw)
    url.username = ''
    url.password = ''
    return url.toString()
  } catch {
    return raw.replace(/\/\/[^/@\s]*@/, '//')
  }
}

const oneLine = (text: string, max = 200): string => {
  const flat = text.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

const errorCode = (err: unknown): string =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : ''

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'EPROTO'
])

const isTlsCode = (code: string): boolean =>
  TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_') || code.startsWith('CERT_')

/** Maps a Node socket/TLS/parser error to a PollError with a message in words. */
export function describeRequestError(err: unknown, url: URL): PollError {
  if (err instanceof PollError) return err
  const code = errorCode(err)
  const message = err instanceof Error ? err.message : String(err)
  switch (code) {
    case 'ECONNREFUSED':
      return new PollError('refused', 'connection refused')
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
    case 'EAI_NONAME':
      return new PollError('dns', `DNS lookup failed for host ${url.hostname}`)
    case 'ECONNRESET':
      return new PollError('network', 'connection closed by the server before a full response')
    case 'ETIMEDOUT':
      return new PollError('timeout', 'timed out connecting')
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new PollError('network', `host ${url.hostname} unreachable`)
  }
  if (code.startsWith('HPE_')) return new PollError('unreadable', `unreadable response: malformed HTTP (${code})`)
  if (isTlsCode(code)) {
    if (/wrong version number|packet length too long|http request/i.test(message))
      return new PollError('tls', 'TLS error: the server did not answer with TLS (is it plain http?)')
    return new PollError('tls', `TLS error: ${oneLine(message)}`)
  }
  return new PollError('network', `network error: ${oneLine(code || message)}`)
}
