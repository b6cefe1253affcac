/**
 * Access-log lines: NCSA common / combined (nginx and Apache), their nginx extensions
 * (trailing `$request_time`, `$upstream_response_time`, `$request_id`, X-Forwarded-For prefixes)
 * and ingress-nginx's upstream-info format. This is the hot path of large-file ingestion, so it
 * scans with indexOf/charCodeAt instead of a regex and caches timestamps and routes.
 */
import type { LogFormatId, RequestEvent } from '../../../shared/model/evidence'
import { normalizeRoute } from '../../../shared/analysis/route'
import { ClfTimeCache } from './time'
import type { LineParser } from './parser'

/** Which access layout a parsed line had; detection uses it to name the format. */
export type AccessVariant = 'common' | 'combined' | 'ingress'

const SPACE = 32
const QUOTE = 34
const BACKSLASH = 92
const COMMA = 44

export class AccessLineParser implements LineParser {
  /** Layout of the line last parsed successfully. */
  lastVariant: AccessVariant = 'combined'
  /** How many lines of each layout were read: detection names the file by the commonest. */
  readonly variantsSeen: Record<AccessVariant, number> = { common: 0, combined: 0, ingress: 0 }
  private readonly times = new ClfTimeCache()

  readonly multiline = 'single'

  constructor(readonly format: LogFormatId) {}

  parse(line: string, lineNo: number, offset: number): RequestEvent | null {
    const open = line.indexOf(' [')
    if (open <= 0) return null
    const client = firstClient(line, open)
    if (client === null) return null
    const close = line.indexOf('] ', open + 2)
    if (close < 0) return null
    const time = this.times.parseAt(line, open + 2, close)
    if (time === null) return null

    let p = close + 2
    if (line.charCodeAt(p) !== QUOTE) return null
    const requestStart = p + 1
    const requestEnd = closingQuoteBeforeStatus(line, requestStart)
    if (requestEnd < 0) return null

    p = requestEnd + 2
    const status = threeDigits(line, p)
    if (status < 0) return null
    p += 3
    let bytes: number | null = null
    const afterStatus = line.charCodeAt(p)
    if (afterStatus === SPACE) {
      p++
      if (line.charCodeAt(p) === 45) p++
      else {
        let value = 0
        const start = p
        for (let c = line.charCodeAt(p); c >= 48 && c <= 57; c = line.charCodeAt(++p)) value = value * 10 + (c - 48)
        if (p === start) return null
        bytes = value
      }
    } else if (p < line.length) return null

    let userAgent: string | null = null
    let variant: AccessVariant = 'common'
    let durationMs: number | null = null
    let requestId: string | null = null
    let upstreamStatus: number | null = null
    let instance: string | null = null
    if (p + 1 < line.length && line.charCodeAt(p) === SPACE && line.charCodeAt(p + 1) === QUOTE) {
      // A field cut off at the end of the line (truncated writes happen) runs to the end.
      const refererEnd = closingQuoteOrEnd(line, p + 2)
      p = refererEnd + 1
      if (line.charCodeAt(p) === SPACE && line.charCodeAt(p + 1) === QUOTE) {
        const agentEnd = closingQuoteOrEnd(line, p + 2)
        const agent = line.slice(p + 2, agentEnd)
        userAgent = agent === '-' || agent === '' ? null : agent
        p = agentEnd + 1
        variant = 'combined'
      }
      if (p < line.length - 1) {
        const extras = tokenize(line, p)
        if (extras.length >= 9 && extras[2].charCodeAt(0) === 91 && extras[3].charCodeAt(0) === 91) {
          variant = 'ingress'
          durationMs = secondsToMs(extras[1])
          upstreamStatus = lastStatus(extras[7])
          instance = lastAddress(extras[4])
          requestId = extras[8] === '-' ? null : extras[8]
        } else {
          for (const token of extras) {
            if (durationMs === null && isDecimalSeconds(token)) durationMs = secondsToMs(token)
            else if (requestId === null && isRequestIdToken(token)) requestId = token
          }
        }
      }
    }

    // METHOD SP path [SP HTTP/x]; anything else (`-`, empty, junk) keeps method and path `-`.
    let method = '-'
    let path = '-'
    const firstSpace = line.indexOf(' ', requestStart)
    if (firstSpace > requestStart && firstSpace < requestEnd) {
      method = line.slice(requestStart, firstSpace)
      // Backwards by hand: the protocol is a few chars away, and lastIndexOf is not a fast builtin.
      let lastSpace = requestEnd - 1
      while (lastSpace > firstSpace && line.charCodeAt(lastSpace) !== SPACE) lastSpace--
      path = lastSpace > firstSpace && line.startsWith('HTTP/', lastSpace + 1)
        ? line.slice(firstSpace + 1, lastSpace)
        : line.slice(firstSpace + 1, requestEnd)
    } else if (requestEnd > requestStart && !(requestEnd === requestStart + 1 && line.charCodeAt(requestStart) === 45)) {
      method = line.slice(requestStart, requestEnd)
    }

    this.lastVariant = variant
    this.variantsSeen[variant]++
    const event: RequestEvent = {
      kind: 'request',
      line: lineNo,
      lines: 1,
      offset,
      time,
      method,
      path,
      route: path === '-' ? '-' : normalizeRoute(path),
      status,
      bytes,
      durationMs,
      requestId,
      client,
      userAgent,
      upstreamStatus,
      instance
    }
    return event
  }
}

/** The originating client: the first address of an X-Forwarded-For chain (`"a, b" c - -` or `a, b, c - -`). */
function firstClient(line: string, end: number): string | null {
  let start = 0
  if (line.charCodeAt(0) === QUOTE) start = 1
  let p = start
  while (p < end) {
    const c = line.charCodeAt(p)
    if (c === SPACE || c === COMMA || c === QUOTE) break
    p++
  }
  if (p === start) return null
  // The prefix must hold at least `client ident user`.
  if (line.indexOf(' ', p) >= end && line.charCodeAt(p) !== COMMA) return null
  return line.slice(start, p)
}

/** End of the quoted request: a `"` (not escaped) followed by a space and a status digit. */
function closingQuoteBeforeStatus(line: string, from: number): number {
  let q = line.indexOf('" ', from)
  while (q >= 0) {
    const next = line.charCodeAt(q + 2)
    if (next >= 48 && next <= 57 && line.charCodeAt(q - 1) !== BACKSLASH) return q
    q = line.indexOf('" ', q + 1)
  }
  return -1
}

/** End of a quoted field: the next `"` not escaped by a backslash. */
function closingQuote(line: string, from: number): number {
  let q = line.indexOf('"', from)
  while (q >= 0 && line.charCodeAt(q - 1) === BACKSLASH && !escapedBackslash(line, q - 1)) q = line.indexOf('"', q + 1)
  return q
}

function closingQuoteOrEnd(line: string, from: number): number {
  const end = closingQuote(line, from)
  return end < 0 ? line.length : end
}

/** True when the backslash at `at` is itself escaped (an even run of backslashes before the quote). */
function escapedBackslash(line: string, at: number): boolean {
  let run = 0
  for (let i = at; i >= 0 && line.charCodeAt(i) === BACKSLASH; i--) run++
  return run % 2 === 0
}

function threeDigits(line: string, p: number): number {
  const a = line.charCodeAt(p) - 48
  const b = line.charCodeAt(p + 1) - 48
  const c = line.charCodeAt(p + 2) - 48
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return -1
  return a * 100 + b * 10 + c
}

/** Trailing fields: space separated, `"quoted"` and `[bracketed]` kept whole, `a, b` lists joined. */
function tokenize(line: string, from: number): string[] {
  const tokens: string[] = []
  let p = from
  const n = line.length
  while (p < n) {
    while (p < n && line.charCodeAt(p) === SPACE) p++
    if (p >= n) break
    const c = line.charCodeAt(p)
    let end: number
    let token: string
    if (c === QUOTE) {
      end = closingQuote(line, p + 1)
      if (end < 0) end = n
      token = line.slice(p + 1, end)
      p = end + 1
    } else if (c === 91) {
      end = line.indexOf(']', p)
      if (end < 0) end = n - 1
      // `[2a02:cf40::7]:5000` is an address, not a bracketed field: it runs to the next space.
      if (end + 1 < n && line.charCodeAt(end + 1) !== SPACE) {
        end = line.indexOf(' ', end)
        if (end < 0) end = n
        end--
      }
      token = line.slice(p, end + 1)
      p = end + 1
    } else {
      end = line.indexOf(' ', p)
      if (end < 0) end = n
      token = line.slice(p, end)
      p = end
    }
    const previous = tokens.length > 0 ? tokens[tokens.length - 1] : ''
    if (previous.endsWith(',') || previous.endsWith(' :') || token === ':') tokens[tokens.length - 1] = `${previous} ${token}`
    else tokens.push(token)
  }
  return tokens
}

function isDecimalSeconds(token: string): boolean {
  const dot = token.indexOf('.')
  if (dot <= 0 || dot === token.length - 1) return false
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i)
    if (i !== dot && (c < 48 || c > 57)) return false
  }
  return true
}

function secondsToMs(token: string): number | null {
  // ingress lists one time per upstream attempt; the request time itself is a single value.
  const value = Number(token.split(',')[0])
  return Number.isFinite(value) && token !== '-' ? Math.round(value * 1000 * 1000) / 1000 : null
}

function isRequestIdToken(token: string): boolean {
  if (token.length < 16 || token.length > 64) return false
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i)
    const ok = (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 45 || c === 95
    if (!ok) return false
  }
  return true
}

/** `502, 502` → 502: the last attempt that has a status (`200, -` → 200); `-` → null. */
function lastStatus(token: string): number | null {
  const attempts = token.split(/[,:]/)
  for (let i = attempts.length - 1; i >= 0; i--) {
    const value = Number(attempts[i].trim())
    if (Number.isInteger(value) && value >= 100 && value <= 599) return value
  }
  return null
}

/** `10.0.0.1:80, 10.0.0.2:80` → the address that answered last; `-` → null. */
function lastAddress(token: string): string | null {
  const attempts = token.split(/[,:]\s/)
  const last = attempts[attempts.length - 1].trim()
  return last === '' || last === '-' ? null : last
}
