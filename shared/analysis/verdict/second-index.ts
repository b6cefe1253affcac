/**
 * The per-second counters of every source merged into one second-ordered list, with a running
 * sum per counter: any window's counts are two look-ups, and a timeline bucket two binary
 * searches. Kept across live analyses: a source's rows that changed since the last analysis
 * (RowChanges) are merged again from the lowest changed second on, so an analysis costs the
 * seconds that moved, not the days of history before them.
 */
import { BUCKET, changedSince, type RequestAggregateData, type SecondRow } from '../aggregate'

const WIDTH = 8
/** Running sums kept: the BUCKET counters, then requests + app errors (the failed-requests trials). */
const SUMS = WIDTH + 1
const TOTAL_AND_APP_ERRORS = WIDTH

export interface IndexedSource {
  requests: RequestAggregateData
  /** Counts only this source's app errors (another source's access log counts its requests). */
  appErrorsOnly: boolean
}

interface Tracked {
  rows: SecondRow[]
  appErrorsOnly: boolean
  /** The source's change periods already read (null: never). */
  seen: number | null
}

export class SecondIndex {
  /** Seconds that hold counts, ascending; only the first `length` are meaningful. */
  secs = new Float64Array(1024)
  /** sums[c][k]: counter c summed over secs[0..k) (length + 1 meaningful entries). */
  sums: Float64Array[] = Array.from({ length: SUMS }, () => new Float64Array(1025))
  length = 0
  /** Seconds merged again by the last update: the work done, for the proof that it follows the change. */
  remerged = 0
  private tracked: Tracked[] = []

  /** An index of rows read once (a finished read, a test's data): sorted here if they are not. */
  static of(sources: IndexedSource[]): SecondIndex {
    const index = new SecondIndex()
    index.update(sources.map((s) => ({ requests: { ...s.requests, seconds: sorted(s.requests.seconds), changes: undefined }, appErrorsOnly: s.appErrorsOnly })))
    return index
  }

  /**
   * Brings the index to the sources' current rows. The same sources as last time (same rows,
   * same roles) with change periods: only the seconds from the lowest changed one are merged
   * again; anything else: everything is.
   */
  update(sources: IndexedSource[]): void {
    const same =
      sources.length === this.tracked.length &&
      sources.every((s, i) => s.requests.changes !== undefined && s.requests.seconds === this.tracked[i].rows && s.appErrorsOnly === this.tracked[i].appErrorsOnly)
    if (!same) this.tracked = sources.map((s) => ({ rows: s.requests.seconds, appErrorsOnly: s.appErrorsOnly, seen: null }))
    let from = Infinity
    for (let i = 0; i < sources.length; i++) {
      const c = sources[i].requests.changes
      if (c === undefined) {
        from = -Infinity
        continue
      }
      const changed = changedSince(c, this.tracked[i].seen)
      this.tracked[i].seen = changed.next
      from = Math.min(from, changed.from)
    }
    if (!same) from = -Infinity
    this.remerged = 0
    if (from !== Infinity) this.rebuildFrom(from)
  }

  /** Index of the first second ≥ `second`. */
  lowerBound(second: number): number {
    const secs = this.secs
    let lo = 0
    let hi = this.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (secs[mid] < second) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  /** Counter `field` (a BUCKET index) summed over secs[a..b). */
  sum(field: number, a: number, b: number): number {
    return this.sums[field][b] - this.sums[field][a]
  }

  /** Running sums of requests + app errors. */
  get totalAndAppErrors(): Float64Array {
    return this.sums[TOTAL_AND_APP_ERRORS]
  }

  private rebuildFrom(second: number): void {
    let k = second === -Infinity ? 0 : this.lowerBound(second)
    const startK = k
    const lists = this.tracked.map((t) => t.rows)
    const heads = lists.map((rows) => (second === -Infinity ? 0 : rowBound(rows, second)))
    const acc = new Float64Array(WIDTH)
    for (;;) {
      let min = Infinity
      for (let s = 0; s < lists.length; s++) {
        const rows = lists[s]
        // A source counted for its app errors only holds no second where it has none.
        while (this.tracked[s].appErrorsOnly && heads[s] < rows.length && (rows[heads[s]][1 + BUCKET.appErrors] ?? 0) === 0) heads[s]++
        if (heads[s] < rows.length && rows[heads[s]][0] < min) min = rows[heads[s]][0]
      }
      if (min === Infinity) break
      acc.fill(0)
      for (let s = 0; s < lists.length; s++) {
        const row = lists[s][heads[s]]
        if (row === undefined || row[0] !== min) continue
        heads[s]++
        if (this.tracked[s].appErrorsOnly) acc[BUCKET.appErrors] += row[1 + BUCKET.appErrors] ?? 0
        else for (let c = 0; c < WIDTH; c++) acc[c] += row[1 + c] ?? 0
      }
      this.ensure(k + 1)
      this.secs[k] = min
      for (let c = 0; c < WIDTH; c++) this.sums[c][k + 1] = this.sums[c][k] + acc[c]
      this.sums[TOTAL_AND_APP_ERRORS][k + 1] = this.sums[TOTAL_AND_APP_ERRORS][k] + acc[BUCKET.total] + acc[BUCKET.appErrors]
      k++
    }
    this.length = k
    this.remerged = k - startK
  }

  private ensure(n: number): void {
    if (n <= this.secs.length) return
    const cap = Math.max(n, this.secs.length * 2)
    const secs = new Float64Array(cap)
    secs.set(this.secs)
    this.secs = secs
    this.sums = this.sums.map((old) => {
      const grown = new Float64Array(cap + 1)
      grown.set(old)
      return grown
    })
  }
}

function sorted(rows: SecondRow[]): SecondRow[] {
  for (let i = 1; i < rows.length; i++) if (rows[i][0] < rows[i - 1][0]) return [...rows].sort((a, b) => a[0] - b[0])
  return rows
}

/** Index of the first row whose second is ≥ `second`. */
function rowBound(rows: SecondRow[], second: number): number {
  let lo = 0
  let hi = rows.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (rows[mid][0] < second) lo = mid + 1
    else hi = mid
  }
  return lo
}
