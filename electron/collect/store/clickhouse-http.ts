/**
 * ClickHouse's HTTP interface with the poller's own GET (collect/poll/http-get.ts): no client
 * library. GET makes the engine run the query read-only whatever the user typed into the
 * condition; gzip keeps the per-second series small on the wire; redirects are followed only
 * within the store's origin, so credentials never leave it.
 */
import { httpGet, PollError } from '../poll'
import { StoreError, storeLabel } from './errors'

export interface ClickHouseTarget {
  url: string
  headers: Record<string, string>
  timeoutMs: number
  signal?: AbortSignal
}

export interface ClickHouseAnswer<T> {
  data: T[]
  /** What the engine read to answer (JSON `statistics.bytes_read`); 18.16 sends no X-ClickHouse-Summary header. */
  bytesRead: number
  wireBytes: number
}

/** A store answer can be tens of MB (a week of seconds): far above a health poll's cap. */
const MAX_ANSWER_BYTES = 512 * 1024 * 1024

const AUTH_CODES = new Set([192, 193, 194, 195, 516])
const TIMEOUT_CODES = new Set([159, 209, 210])
const BUSY_CODES = new Set([202, 203])

/** `Code: 62, e.displayText() = DB::Exception: Syntax error: …, e.what() = DB::Exception` → code and the sentence. */
export function clickhouseMessage(body: string): { code: number | null; text: string } {
  const code = /Code:\s*(\d+)/.exec(body)
  const display = /e\.displayText\(\)\s*=\s*(?:DB::Exception:\s*)?([\s\S]*?)(?:,\s*e\.what\(\)|\s*\(version|$)/.exec(body)
  const text = (display?.[1] ?? body).replace(/\s+/g, ' ').trim()
  return { code: code ? Number(code[1]) : null, text: text.length > 300 ? `${text.slice(0, 299)}…` : text }
}

/** One query's answer as text (whatever FORMAT it asked for), and its size on the wire. */
export async function clickhouseText(target: ClickHouseTarget, sql: string, what: string): Promise<{ text: string; wireBytes: number }> {
  const where = storeLabel(target.url)
  const url = new URL(target.url)
  url.username = ''
  url.password = ''
  url.searchParams.set('query', sql)
  url.searchParams.set('enable_http_compression', '1')
  url.searchParams.set('output_format_json_quote_64bit_integers', '0')
  url.searchParams.set('max_execution_time', String(Math.max(1, Math.floor(target.timeoutMs / 1000))))
  let res
  try {
    res = await httpGet(url, { timeoutMs: target.timeoutMs, headers: target.headers, accept: 'application/json', maxBodyBytes: MAX_ANSWER_BYTES, ...(target.signal ? { signal: target.signal } : {}) })
  } catch (err) {
    if (err instanceof PollError) {
      if (err.kind === 'cancelled') throw new StoreError('cancelled', `clickhouse ${where}: read cancelled`)
      if (err.kind === 'timeout') throw new StoreError('timeout', `clickhouse ${where}: ${what} ${err.message}`, true)
      if (err.kind === 'refused' || err.kind === 'dns' || err.kind === 'network') throw new StoreError('unreachable', `clickhouse ${where} unreachable: ${err.message}`, true)
      throw new StoreError('unreadable', `clickhouse ${where}: ${what}: ${err.message}`)
    }
    throw err
  }
  const body = res.body.toString('utf8')
  if (res.status !== 200) {
    if (res.status === 429 || res.status === 503) throw new StoreError('slow', `clickhouse ${where}: ${what}: HTTP ${res.status}, the store asks to come back later`, true)
    const { code, text } = clickhouseMessage(body)
    if (res.status === 401 || res.status === 403 || (code !== null && AUTH_CODES.has(code))) throw new StoreError('auth', `clickhouse ${where}: authentication failed: ${text}`)
    if (code !== null && TIMEOUT_CODES.has(code)) throw new StoreError('timeout', `clickhouse ${where}: ${what} timed out in the engine: ${text}`, true)
    if (code !== null && BUSY_CODES.has(code)) throw new StoreError('slow', `clickhouse ${where}: ${what}: ${text}`, true)
    throw new StoreError('query', `clickhouse ${where}: ${what} failed (HTTP ${res.status}${code === null ? '' : `, code ${code}`}): ${text}`)
  }
  return { text: body, wireBytes: res.wireBytes }
}

/** A `FORMAT JSON` / `JSONCompact` answer: its rows and what the engine read for it. */
export async function clickhouseQuery<T>(target: ClickHouseTarget, sql: string, what: string): Promise<ClickHouseAnswer<T>> {
  const { text: body, wireBytes } = await clickhouseText(target, sql, what)
  const where = storeLabel(target.url)
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new StoreError('unreadable', `clickhouse ${where}: ${what}: the answer is not JSON (${body.slice(0, 80).replace(/\s+/g, ' ')})`)
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { data?: unknown }).data))
    throw new StoreError('unreadable', `clickhouse ${where}: ${what}: the answer has no "data" array`)
  const answer = parsed as { data: T[]; statistics?: { bytes_read?: unknown } }
  const bytesRead = Number(answer.statistics?.bytes_read ?? 0)
  return { data: answer.data, bytesRead: Number.isFinite(bytesRead) ? bytesRead : 0, wireBytes }
}

/**
 * A numeric `FORMAT TabSeparated` answer as rows of numbers: the per-second series is the one
 * answer that grows with the window (604,800 rows for a week), and TSV is half JSON's size to
 * write, send and read. The engine says nothing of what it read for it (no statistics in TSV).
 */
export async function clickhouseNumbers(target: ClickHouseTarget, sql: string, what: string): Promise<{ rows: number[][]; wireBytes: number }> {
  const { text, wireBytes } = await clickhouseText(target, sql, what)
  const rows: number[][] = []
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    if (end > start) rows.push(text.slice(start, end).split('\t').map(Number))
    start = end + 1
  }
  return { rows, wireBytes }
}
