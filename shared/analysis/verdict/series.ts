/**
 * The failure signal over time, from the per-second counters of the aggregate: requests and
 * 5xx when an access log is there, app errors otherwise. Everything downstream (change points,
 * deploy windows, overlaps) asks this module for counts, never the raw events.
 */
import type { TimelineBucket } from '../../contract/analysis'
import type { AppEvent } from '../../model/evidence'
import { BUCKET, type RequestAggregateData } from '../aggregate'
import { SecondIndex } from './second-index'

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

function chooseMode(index: SecondIndex, errorEvents: AppEvent[]): SignalMode {
  const n = index.length
  const requests = index.sum(BUCKET.total, 0, n)
  const s5xx = index.sum(BUCKET.s5xx, 0, n)
  const appErrors = index.sum(BUCKET.appErrors, 0, n)
  if (requests === 0) return appErrors > 0 ? 'app-errors' : 'requests'
  if (s5xx > 0 || appErrors === 0 || errorEvents.length === 0) return 'requests'
  // Errors that name a request or a 5xx status are failed requests the access lines left out.
  let requestErrors = 0
  for (const e of errorEvents) if ((e.status !== null && e.status >= 500) || e.path !== null) requestErrors++
  return requestErrors * 2 >= errorEvents.length ? 'failed-requests' : 'requests'
}

const LABELS: Record<SignalMode, string> = { requests: '5xx', 'failed-requests': 'failed requests', 'app-errors': 'app errors' }

/**
 * The series of the merged requests. `index`, when given, holds the same rows already merged
 * and summed (the live sources' index, kept between analyses); without it the rows are indexed here.
 */
export function buildSeries(requests: RequestAggregateData, errorEvents: AppEvent[], timeFrom: number | null, timeTo: number | null, index?: SecondIndex): Series | null {
  const ix = index ?? SecondIndex.of([{ requests, appErrorsOnly: false }])
  const rows = ix.length
  let from = timeFrom
  let to = timeTo === null ? null : timeTo + 1
  if (rows > 0) {
    const first = ix.secs[0] * 1000
    const last = ix.secs[rows - 1] * 1000 + 1000
    from = from === null ? first : Math.min(from, first)
    to = to === null ? last : Math.max(to, last)
  }
  if (from === null || to === null) return null
  const mode = chooseMode(ix, errorEvents)
  const bucketMs = chooseBucketMs(Math.max(to - from, 1000))
  const start = Math.floor(from / bucketMs) * bucketMs
  const n = Math.max(1, Math.ceil((to - start) / bucketMs))
  const buckets: TimelineBucket[] = []
  const trials = new Float64Array(n)
  const fails = new Float64Array(n)
  // Bucket i holds the seconds s with start + i·bucketMs ≤ s·1000 < start + (i+1)·bucketMs; the last takes the rest.
  let a = 0
  for (let i = 0; i < n; i++) {
    const t = start + i * bucketMs
    const b = i === n - 1 ? rows : ix.lowerBound(Math.ceil((t + bucketMs) / 1000))
    const bucket: TimelineBucket = {
      t,
      total: ix.sum(BUCKET.total, a, b),
      s5xx: ix.sum(BUCKET.s5xx, a, b),
      s4xx: ix.sum(BUCKET.s4xx, a, b),
      s500: ix.sum(BUCKET.s500, a, b),
      s502: ix.sum(BUCKET.s502, a, b),
      s503: ix.sum(BUCKET.s503, a, b),
      s504: ix.sum(BUCKET.s504, a, b),
      appErrors: ix.sum(BUCKET.appErrors, a, b)
    }
    buckets.push(bucket)
    if (mode === 'app-errors') {
      trials[i] = (Math.min(to, t + bucketMs) - Math.max(from, t)) / 1000
      fails[i] = bucket.appErrors
    } else if (mode === 'failed-requests') {
      trials[i] = bucket.total + bucket.appErrors
      fails[i] = bucket.appErrors
    } else {
      trials[i] = bucket.total
      fails[i] = bucket.s5xx
    }
    a = b
  }
  // Views on the index's running sums: valid for this analysis (the next live update writes them).
  const cumFails = ix.sums[mode === 'requests' ? BUCKET.s5xx : BUCKET.appErrors].subarray(0, rows + 1)
  const cumTrials = mode === 'requests' ? ix.sums[BUCKET.total].subarray(0, rows + 1) : mode === 'failed-requests' ? ix.totalAndAppErrors.subarray(0, rows + 1) : new Float64Array(rows + 1)
  const totalFails = cumFails[rows]
  const totalTrials = mode === 'app-errors' ? (to - from) / 1000 : cumTrials[rows]
  return { mode, failureLabel: LABELS[mode], from, to, bucketMs, buckets, trials, fails, totalTrials, totalFails, secs: ix.secs.subarray(0, rows), cumTrials, cumFails }
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
