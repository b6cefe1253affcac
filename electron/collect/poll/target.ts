import { validateHeaderName, validateHeaderValue } from 'node:http'
import { redactUrl } from './errors'

export const DEFAULT_INTERVAL_MS = 15_000
export const DEFAULT_TIMEOUT_MS = 5_000

/** An endpoint to poll. `headers` (Authorization…) are secrets: sent to the target's origin only, never shown. */
export interface PollTarget {
  name: string
  url: string
  intervalMs?: number
  timeoutMs?: number
  headers?: Record<string, string>
}

/** A target that cannot be polled (bad URL, bad interval): the message names the field. */
export class PollTargetError extends Error {
  override readonly name = 'PollTargetError'
}

export interface ResolvedTarget {
  name: string
  url: URL
  intervalMs: number
  timeoutMs: number
  headers: Record<string, string>
}

/** Parses an http(s) URL; the error shows the URL without credentials. */
export function parseHttpUrl(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new PollTargetError(`"${redactUrl(raw)}" is not a valid URL`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new PollTargetError(`"${redactUrl(raw)}" is not an http or https URL`)
  return url
}

function positiveMs(value: number | undefined, fallback: number, field: string, name: string): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value <= 0) throw new PollTargetError(`target "${name}": ${field} must be a positive number of milliseconds`)
  return value
}

/** Checks headers up front so a bad one is a clear error naming it (never showing its value). */
function checkedHeaders(headers: Record<string, string> | undefined, name: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [header, value] of Object.entries(headers ?? {})) {
    try {
      validateHeaderName(header)
    } catch {
      throw new PollTargetError(`target "${name}": "${header.slice(0, 40)}" is not a valid header name`)
    }
    try {
      validateHeaderValue(header, value)
    } catch {
      throw new PollTargetError(`target "${name}": header "${header}" has a value that cannot be sent (line breaks or control characters)`)
    }
    out[header] = value
  }
  return out
}

export function resolveTarget(target: PollTarget): ResolvedTarget {
  const name = target.name || redactUrl(target.url)
  return {
    name,
    url: parseHttpUrl(target.url),
    intervalMs: positiveMs(target.intervalMs, DEFAULT_INTERVAL_MS, 'intervalMs', name),
    timeoutMs: positiveMs(target.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs', name),
    headers: checkedHeaders(target.headers, name)
  }
}

/** What a poller shows the UI: the poll's health, never its headers. */
export interface PollerStateBase {
  target: string
  running: boolean
  lastPollAt: number | null
  lastError: string | null
  /** Polls in a row that got no usable answer (timeout, refused, unreadable…); drives the backoff. */
  consecutiveFailures: number
  nextPollAt: number | null
}

/** Calls a listener; its bug surfaces as an uncaught error instead of stalling or miscounting the loop. */
export function notify<T extends unknown[]>(listener: ((...args: T) => void) | undefined, ...args: T): void {
  if (!listener) return
  try {
    listener(...args)
  } catch (err) {
    queueMicrotask(() => {
      throw err
    })
  }
}
