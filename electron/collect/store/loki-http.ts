/**
 * Loki's query API with Node's own fetch: Loki ships no official JavaScript client, and the two
 * calls a read makes (`/loki/api/v1/query_range`, `/loki/api/v1/query`) are GETs answering JSON.
 * As for the other stores: credentials go only to the store's origin (redirects are refused,
 * never followed), TLS is verified (fetch's default), 429/503 are retried as Retry-After says
 * (bounded), and a tenant rides in `X-Scope-OrgID` when the store is multi-tenant.
 */
import { StoreError, storeLabel } from './errors'
import { retryAfterMs, sleep } from './http-retry'

export interface LokiTarget {
  url: string
  headers: Record<string, string>
  /** `X-Scope-OrgID`, for a multi-tenant Loki; null for a single-tenant one. */
  tenant: string | null
  timeoutMs: number
  signal?: AbortSignal
  /** Tries on 429/503 before the store is called slow. */
  attempts: number
  /** The longest Retry-After honoured, ms (a store asking for minutes is reported slow instead). */
  maxRetryMs: number
}

export interface LokiStream {
  stream: Record<string, string>
  values: [string, string][]
}
export interface LokiSeries {
  metric: Record<string, string>
  values: [number, string][]
}
export interface LokiSample {
  metric: Record<string, string>
  value: [number, string]
}

export type LokiData = { resultType: 'streams'; result: LokiStream[] } | { resultType: 'matrix'; result: LokiSeries[] } | { resultType: 'vector'; result: LokiSample[] }

export interface LokiAnswer {
  data: LokiData
  wireBytes: number
  /** `stats.summary.totalBytesProcessed`: what the engine read for this answer; null when it did not say. */
  bytesProcessed: number | null
  /** What Loki says beside a result it still returns (a partial answer, a limit hit). */
  warnings: string[]
}

/** Loki answers errors as plain text (`parse error at line 1, col 7: …`) or as Prometheus-style JSON `{status:"error", error}`. */
export function lokiMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown }
    const text = typeof parsed.error === 'string' ? parsed.error : typeof parsed.message === 'string' ? parsed.message : null
    if (text !== null) return text.replace(/\s+/g, ' ').trim().slice(0, 300)
  } catch {
    // not JSON: the text itself
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 300)
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((w): w is string => typeof w === 'string') : [])

function readData(body: Record<string, unknown>): LokiData | null {
  const data = body.data as { resultType?: unknown; result?: unknown } | undefined
  if (body.status !== 'success' || data === undefined || !Array.isArray(data.result)) return null
  if (data.resultType === 'streams' || data.resultType === 'matrix' || data.resultType === 'vector') return data as LokiData
  return null
}

/** One query; `what` names it in errors ("counting requests per second"). */
export async function lokiCall(target: LokiTarget, endpoint: 'query_range' | 'query', params: Record<string, string>, what: string): Promise<LokiAnswer> {
  const where = `loki ${storeLabel(target.url)}`
  const base = new URL(target.url)
  base.username = ''
  base.password = ''
  const url = new URL(`loki/api/v1/${endpoint}`, base.toString().endsWith('/') ? base : `${base.toString()}/`)
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v)
  for (let attempt = 1; ; attempt++) {
    if (target.signal?.aborted) throw new StoreError('cancelled', `${where}: read cancelled`)
    const signals = [AbortSignal.timeout(target.timeoutMs), ...(target.signal ? [target.signal] : [])]
    let res: Response
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json', ...(target.tenant !== null ? { 'x-scope-orgid': target.tenant } : {}), ...target.headers },
        // A redirect would carry the credentials elsewhere: refused, reported.
        redirect: 'manual',
        signal: AbortSignal.any(signals)
      })
    } catch (err) {
      if (target.signal?.aborted) throw new StoreError('cancelled', `${where}: read cancelled`)
      if ((err as Error).name === 'TimeoutError') throw new StoreError('timeout', `${where}: ${what} took over ${Math.round(target.timeoutMs / 1000)} s`, true)
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      // A kept-alive connection the server closed as we reused it: every call here is a GET, so asking again is safe.
      if ((cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') && attempt < target.attempts) continue
      throw new StoreError('unreachable', `${where} unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`, true)
    }
    const text = await res.text()
    const wireBytes = Buffer.byteLength(text)
    if (res.status === 429 || res.status === 503) {
      const wait = retryAfterMs(res.headers.get('retry-after'))
      if (attempt < target.attempts && wait <= target.maxRetryMs) {
        await sleep(wait, target.signal)
        continue
      }
      throw new StoreError('slow', `${where}: ${what}: HTTP ${res.status} (${lokiMessage(text)}), the store asks to come back later`, true)
    }
    if (res.status === 504) throw new StoreError('timeout', `${where}: ${what} timed out in the store (HTTP 504): ${lokiMessage(text)}`, true)
    if (res.status >= 300 && res.status < 400) throw new StoreError('unreadable', `${where}: ${what}: redirected (HTTP ${res.status}) to ${storeLabel(res.headers.get('location') ?? '?')}; not followed with credentials, use that URL`)
    if (res.status === 401 || res.status === 403) throw new StoreError('auth', `${where}: authentication failed (HTTP ${res.status}): ${lokiMessage(text)}`)
    if (res.status !== 200) throw new StoreError('query', `${where}: ${what} failed (HTTP ${res.status}): ${lokiMessage(text)}`)
    let body: Record<string, unknown>
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      throw new StoreError('unreadable', `${where}: ${what}: the answer is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')})`)
    }
    const data = typeof body === 'object' && body !== null ? readData(body) : null
    if (data === null) throw new StoreError('unreadable', `${where}: ${what}: the answer is not a Loki query result`)
    const summary = (body.data as { stats?: { summary?: { totalBytesProcessed?: unknown } } }).stats?.summary
    const processed = Number(summary?.totalBytesProcessed)
    // Loki ≥ 2.9 puts warnings beside `data`; some proxies put them inside it.
    const warnings = [...strings(body.warnings), ...strings((body.data as { warnings?: unknown }).warnings)]
    if (res.headers.get('x-loki-response-partial') === 'true' || (body.data as { partial?: unknown }).partial === true) warnings.push('the answer is partial')
    return { data, wireBytes, bytesProcessed: Number.isFinite(processed) && summary?.totalBytesProcessed !== undefined ? processed : null, warnings }
  }
}
