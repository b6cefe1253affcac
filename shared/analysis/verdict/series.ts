/**
 * The failure signal over time, from the per-second counters of the aggregate: requests and
 * 5xx when an access log is there, app errors otherwise. Everything downstream (change points,
 * deploy windows, overlaps) asks this module for counts, never the raw events.
 */
import type { TimelineBucket } from '../../contract/analysis'
import type { AppEvent } from '../../model/evidence'
import { BUCKET, type RequestAggregateData } from '../aggregate'

/**
 * - `requests`: failures are 5xx responses out of the requests of the access log(s).
 * - `failed-requests`: the access lines carry no 5xx but the app logs each failed request as an
 *   error event (pino-http, structlog…): failures are those error events, out of requests + them.
 * - `app-errors`: no request log at all; failures are app error events per unit of time.
 */
export type SignalMode = 'requests' | 'failed-requests' | 'app-errors'

export interface Series {
  mode: SignalMode
  /** How a failure is named in reasons. */
  failureLabel: string
  /** The evidence window, epoch ms (inclusive start, exclusive end). */
  from: number
  to: number
  bucketMs: number
  buckets: TimelineBucket[]
  /** Per bucket: requests (or seconds of exposure in `app-errors` mode) and failures. */
  trials: Float64Array
  fails: Float64Array
  totalTrials: number
  totalFails: number
  /** Sorted seconds that hold counts, and prefix sums over them, for exact window queries. */
  secs: Float64Array
  cumTrials: Float64Array
  cumFails: Float64Array
}

/** Bucket widths the timeline snaps to, in seconds. */
const BUCKET_SIZES = [1, 5, 10, 30, 60, 300, 900, 1800, 3600, 10_800, 21_600, 43_200, 86_400, 604_800]
const MAX_BUCKETS = 240

export function chooseBucketMs(spanMs: number): number {
  for (const s of BUCKET_SIZES) if (spanMs / (s * 1000) <= MAX_BUCKETS) return s * 1000
  return Math.ceil(spanMs / MAX_BUCKETS / 86_400_000) * 86_400_000
}

type Row = [number, ...number[]]
const col = (row: Row, field: number): number => row[1 + field] ?? 0

function chooseMode(rows: Row[], errorEvents: AppEvent[]): SignalMode {
  let requests = 0
  let s5xx = 0
  let appErrors = 0
  for (const r of rows) {
    requests += col(r, BUCKET.total)
    s5xx += col(r, BUCKET.s5xx)
    appErrors += col(r, BUCKET.appErrors)
  }
  if (requests === 0) return appErrors > 0 ? 'app-errors' : 'requests'
  if (s5xx > 0 || appErrors === 0 || errorEvents.length === 0) return 'requests'
  // Errors that name a request or a 5xx status are failed requests the access lines left out.
  let requestErrors = 0
  for (const e of errorEvents) if ((e.status !== null && e.status >= 500) || e.path !== null) requestErrors++
  return requestErrors * 2 >= errorEvents.length ? 'failed-requests' : 'requests'
}

const LABELS: Record<SignalMode, string> = { requests: '5xx', 'failed-requests': 'failed requests', 'app-errors': 'app errors' }

export function buildSeries(requests: RequestAggregateData, errorEvents: AppEvent[], timeFrom: number | null, timeTo: number | null): Series | null {
  const rows = [...requests.seconds].sort((a, b) => a[0] - b[0])
  let from = timeFrom
  let to = timeTo === null ? null : timeTo + 1
  if (rows.length > 0) {
    const first = rows[0][0] * 1000
    const last = rows[rows.length - 1][0] * 1000 + 1000
    from = from === null ? first : Math.min(from, first)
    to = to === null ? last : Math.max(to, last)
  }
  if (from === null || to === null) return null
  const mode = chooseMode(rows, errorEvents)
  const bucketMs = chooseBucketMs(Math.max(to - from, 1000))
  const start = Math.floor(from / bucketMs) * bucketMs
  const n = Math.max(1, Math.ceil((to - start) / bucketMs))
  const buckets: TimelineBucket[] = []
  for (let i = 0; i < n; i++) buckets.push({ t: start + i * bucketMs, total: 0, s5xx: 0, s4xx: 0, s500: 0, s502: 0, s503: 0, s504: 0, appErrors: 0 })
  const trials = new Float64Array(n)
  const fails = new Float64Array(n)
  const secs = new Float64Array(rows.length)
  const cumTrials = new Float64Array(rows.length + 1)
  const cumFails = new Float64Array(rows.length + 1)
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]
    const b = buckets[Math.min(n - 1, Math.floor((r[0] * 1000 - start) / bucketMs))]
    b.total += col(r, BUCKET.total)
    b.s5xx += col(r, BUCKET.s5xx)
    b.s4xx += col(r, BUCKET.s4xx)
    b.s500 += col(r, BUCKET.s500)
    b.s502 += col(r, BUCKET.s502)
    b.s503 += col(r, BUCKET.s503)
    b.s504 += col(r, BUCKET.s504)
    b.appErrors += col(r, BUCKET.appErrors)
    const { t, f } = rowSignal(mode, r)
    secs[k] = r[0]
    cumTrials[k + 1] = cumTrials[k] + t
    cumFails[k + 1] = cumFails[k] + f
  }
  for (let i = 0; i < n; i++) {
    const b = buckets[i]
    if (mode === 'app-errors') {
      trials[i] = (Math.min(to, b.t + bucketMs) - Math.max(from, b.t)) / 1000
      fails[i] = b.appErrors
    } else if (mode === 'failed-requests') {
      trials[i] = b.total + b.appErrors
      fails[i] = b.appErrors
    } else {
      trials[i] = b.total
      fails[i] = b.s5xx
    }
  }
  const totalFails = cumFails[rows.length]
  const totalTrials = mode === 'app-errors' ? (to - from) / 1000 : cumTrials[rows.length]
  return { mode, failureLabel: LABELS[mode], from, to, bucketMs, buckets, trials, fails, totalTrials, totalFails, secs, cumTrials, cumFails }
}

function rowSignal(mode: SignalMode, r: Row): { t: number; f: number } {
  if (mode === 'requests') return { t: col(r, BUCKET.total), f: col(r, BUCKET.s5xx) }
  if (mode === 'failed-requests') return { t: col(r, BUCKET.total) + col(r, BUCKET.appErrors), f: col(r, BUCKET.appErrors) }
  return { t: 0, f: col(r, BUCKET.appErrors) }
}

/** Index of the first second ≥ `second`. */
function lowerBound(secs: Float64Array, second: number): number {
  let lo = 0
  let hi = secs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (secs[mid] < second) lo = mid + 1
    else hi = mid
  }
  return lo
}

export interface Counts {
  trials: number
  fails: number
}

/** Trials and failures in [fromMs, toMs), exact to the second. */
export function countsIn(s: Series, fromMs: number, toMs: number): Counts {
  if (toMs <= fromMs) return { trials: 0, fails: 0 }
  const a = lowerBound(s.secs, Math.ceil(fromMs / 1000))
  const b = lowerBound(s.secs, Math.ceil(toMs / 1000))
  const fails = s.cumFails[b] - s.cumFails[a]
  const trials = s.mode === 'app-errors' ? Math.max(0, Math.min(toMs, s.to) - Math.max(fromMs, s.from)) / 1000 : s.cumTrials[b] - s.cumTrials[a]
  return { trials, fails }
}

export const rate = (c: Counts): number => (c.trials > 0 ? c.fails / c.trials : 0)

/** A rate as reported: a fraction of requests, or app errors per minute. */
export const reportedRate = (s: Series, r: number): number => (s.mode === 'app-errors' ? r * 60 : r)

/** Seconds that hold failures in [fromMs, toMs), with their counts, for refining an onset. */
export function failingSeconds(s: Series, fromMs: number, toMs: number): { second: number; trials: number; fails: number }[] {
  const a = lowerBound(s.secs, Math.ceil(fromMs / 1000))
  const b = lowerBound(s.secs, Math.ceil(toMs / 1000))
  const out: { second: number; trials: number; fails: number }[] = []
  for (let k = a; k < b; k++) out.push({ second: s.secs[k], trials: s.cumTrials[k + 1] - s.cumTrials[k], fails: s.cumFails[k + 1] - s.cumFails[k] })
  return out
}
