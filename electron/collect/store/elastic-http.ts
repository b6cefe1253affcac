/**
 * Elasticsearch's and OpenSearch's REST API with Node's own fetch: no client library. The few
 * calls a read makes (`_mapping`, `_search` with aggregations, a bounded `_search` of hits) are
 * plain JSON over HTTP; a client would add a dependency and its own retry policy to what this
 * module does in a page: credentials only to the store's origin (redirects are refused, never
 * followed), TLS verified (fetch's default), back-off on 429/503 as Retry-After says.
 */
import { StoreError, storeLabel } from './errors'
import { retryAfterMs, sleep } from './http-retry'

export interface ElasticTarget {
  kind: 'elasticsearch' | 'opensearch'
  url: string
  headers: Record<string, string>
  timeoutMs: number
  signal?: AbortSignal
  /** Tries on 429/503 before the store is called slow. */
  attempts: number
  /** The longest Retry-After honoured, ms (a store asking for minutes is reported slow instead). */
  maxRetryMs: number
}

export interface ElasticAnswer {
  body: Record<string, unknown>
  wireBytes: number
}

/** `error.root_cause[0].reason` (ES and OpenSearch) or `error.reason`, else the text itself. */
export function elasticMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { reason?: unknown; type?: unknown; root_cause?: { reason?: unknown; type?: unknown }[] } | string }
    const e = parsed.error
    if (typeof e === 'string') return e
    const cause = e?.root_cause?.[0]
    const reason = cause?.reason ?? e?.reason
    const type = cause?.type ?? e?.type
    if (typeof reason === 'string') return `${typeof type === 'string' ? `${type}: ` : ''}${reason}`.replace(/\s+/g, ' ').slice(0, 300)
  } catch {
    // not JSON: the text itself
  }
  return body.replace(/\s+/g, ' ').trim().slice(0, 300)
}

/** One JSON call; `what` names it in errors ("counting requests"). */
export async function elasticCall(target: ElasticTarget, method: 'GET' | 'POST' | 'DELETE', pathAndQuery: string, body: unknown, what: string): Promise<ElasticAnswer> {
  const where = `${target.kind} ${storeLabel(target.url)}`
  const base = new URL(target.url)
  base.username = ''
  base.password = ''
  const url = new URL(pathAndQuery.replace(/^\//, ''), base.toString().endsWith('/') ? base : `${base.toString()}/`)
  for (let attempt = 1; ; attempt++) {
    if (target.signal?.aborted) throw new StoreError('cancelled', `${where}: read cancelled`)
    const signals = [AbortSignal.timeout(target.timeoutMs), ...(target.signal ? [target.signal] : [])]
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...target.headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        // A redirect would carry the credentials elsewhere: refused, reported.
        redirect: 'manual',
        signal: AbortSignal.any(signals)
      })
    } catch (err) {
      if (target.signal?.aborted) throw new StoreError('cancelled', `${where}: read cancelled`)
      if ((err as Error).name === 'TimeoutError') throw new StoreError('timeout', `${where}: ${what} took over ${Math.round(target.timeoutMs / 1000)} s`, true)
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
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
      throw new StoreError('slow', `${where}: ${what}: HTTP ${res.status}, the store asks to come back later`, true)
    }
    if (res.status >= 300 && res.status < 400) throw new StoreError('unreadable', `${where}: ${what}: redirected (HTTP ${res.status}) to ${storeLabel(res.headers.get('location') ?? '?')}; not followed with credentials, use that URL`)
    if (res.status === 401 || res.status === 403) throw new StoreError('auth', `${where}: authentication failed (HTTP ${res.status}): ${elasticMessage(text)}`)
    if (res.status !== 200) throw new StoreError('query', `${where}: ${what} failed (HTTP ${res.status}): ${elasticMessage(text)}`)
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      throw new StoreError('unreadable', `${where}: ${what}: the answer is not JSON (${text.slice(0, 80).replace(/\s+/g, ' ')})`)
    }
    if (typeof parsed !== 'object' || parsed === null) throw new StoreError('unreadable', `${where}: ${what}: the answer is not a JSON object`)
    return { body: parsed as Record<string, unknown>, wireBytes }
  }
}

/** Shard failures and timeouts of a `_search` answer, one line each: the answer stands, partial. */
export function partialWarnings(body: Record<string, unknown>, label: string, what: string): string[] {
  const out: string[] = []
  if (body.timed_out === true) out.push(`${label}: ${what} timed out in the store; counts are partial`)
  const shards = body._shards as { total?: number; failed?: number; failures?: { reason?: { reason?: string; type?: string } }[] } | undefined
  if (shards && typeof shards.failed === 'number' && shards.failed > 0) {
    const reason = shards.failures?.[0]?.reason
    out.push(`${label}: ${what}: ${shards.failed} of ${shards.total ?? '?'} shards failed${reason?.reason ? ` (${reason.type ? `${reason.type}: ` : ''}${reason.reason})` : ''}; counts are partial`)
  }
  return out
}
