import type { RequestEvent } from '../model/evidence'
import { InstanceCounts, type InstanceStats } from './instances'
import { ImpactAggregate, type ImpactData } from './impact'

/** Counters kept per second of log time: index into a bucket's array. */
export const BUCKET = { total: 0, s5xx: 1, s4xx: 2, s500: 3, s502: 4, s503: 5, s504: 6, appErrors: 7 } as const
const BUCKET_WIDTH = 8

export interface RouteStats {
  method: string
  route: string
  total: number
  s5xx: number
  /** Status → count, for this route. */
  statuses: Record<number, number>
}

/** Plain-data form, for worker threads and snapshots. */
export interface RequestAggregateData {
  requests: number
  statusCounts: Record<number, number>
  seconds: [number, ...number[]][]
  routes: RouteStats[]
  failing: RequestEvent[]
  failingSeen: number
  undatedRequests: number
  /** Requests and app events per instance, as the logs name it. */
  instances: InstanceStats[]
  /** Who the 5xx hurt (clients, crawlers, re-sent POST/PATCH, cached 5xx). */
  impact: ImpactData
  /** Where the live rows changed, for readers that keep their own index of them (absent: read them whole). */
  changes?: RowChanges
}

/**
 * Which seconds of the live rows were written, period by period: a reader that remembers the
 * period it last read redoes only the seconds from the lowest one written since. Plain data
 * (it crosses threads with the rows; a copy there is simply never written again).
 */
export interface RowChanges {
  /** Lowest second written in each period, oldest first (Infinity: none); the last period is open. */
  periods: number[]
  /** Number of the period at periods[0] (older ones were dropped). */
  first: number
}

const MAX_CHANGE_PERIODS = 64

/**
 * The lowest second written since period `seen` (a reader's last `next`), -Infinity when that is
 * no longer known (read everything); closes the open period so the reader's next call starts there.
 */
export function changedSince(c: RowChanges, seen: number | null): { from: number; next: number } {
  let from = seen === null || seen < c.first ? -Infinity : Infinity
  if (from === Infinity) for (let i = (seen as number) - c.first; i < c.periods.length; i++) from = Math.min(from, c.periods[i])
  c.periods.push(Infinity)
  if (c.periods.length > MAX_CHANGE_PERIODS) {
    const drop = c.periods.length - MAX_CHANGE_PERIODS
    c.periods.splice(0, drop)
    c.first += drop
  }
  return { from, next: c.first + c.periods.length - 1 }
}

export const MAX_ROUTES = 20_000
export const MAX_FAILING_KEPT = 20_000
const OTHER_ROUTE = '(other routes)'

/** Deterministic PRNG (mulberry32) so a reservoir sample is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One second of counters: `[second, ...counts]`, counts indexed by BUCKET. */
export type SecondRow = [number, ...number[]]

/**
 * The live-evidence aggregate contract: folded event by event, merged with another of its kind
 * (a worker's share of a file, another source), and read as plain data. A new per-request
 * aggregate implements this and is fed where RequestAggregate.addRequest is.
 */
export interface LiveAggregate<E, D> {
  add(event: E): void
  merge(other: D): void
  toData(): D
}

/**
 * Request evidence folded into counters as it arrives: per status, per second, per route, and
 * a uniform sample of the failing requests. Memory depends on distinct seconds and routes,
 * never on the number of lines. Updated in place: `toData()` hands out the live rows (sorted by
 * second) without copying them, so reading it costs what changed since, not the history.
 */
export class RequestAggregate implements LiveAggregate<RequestEvent, RequestAggregateData> {
  requests = 0
  undatedRequests = 0
  readonly statusCounts = new Float64Array(1000)
  private readonly seconds = new Map<number, SecondRow>()
  /** The same rows in second order, plus rows that arrived out of order and wait to be placed. */
  private readonly rows: SecondRow[] = []
  private outOfOrder: SecondRow[] = []
  private readonly routes = new Map<string, Map<string, RouteStats>>()
  private routeCount = 0
  readonly failing: RequestEvent[] = []
  failingSeen = 0
  private readonly random = prng(0x500)
  readonly instances = new InstanceCounts()
  readonly impact = new ImpactAggregate()
  /** Rows created or counted into: the work done, for the proof that a batch costs what it holds. */
  rowWrites = 0
  private readonly changes: RowChanges = { periods: [Infinity], first: 0 }

  /** Logs are written in time order: consecutive lines mostly share their second, so the last bucket is kept at hand. */
  private lastSecond = Number.NaN
  private lastBucket: SecondRow | null = null

  /** Takes over rows of plain data nobody else will change (a finished read's), without copying them. */
  static adopt(data: RequestAggregateData): RequestAggregate {
    const agg = new RequestAggregate()
    for (const row of data.seconds) {
      if (agg.seconds.has(row[0])) {
        const mine = agg.bucket(row[0])
        for (let i = 1; i <= BUCKET_WIDTH; i++) mine[i] = (mine[i] ?? 0) + (row[i] ?? 0)
        continue
      }
      agg.place(row)
    }
    agg.mergeScalars(data)
    return agg
  }

  private place(row: SecondRow): void {
    this.touch(row[0])
    this.seconds.set(row[0], row)
    const last = this.rows[this.rows.length - 1]
    if (last === undefined || row[0] > last[0]) this.rows.push(row)
    else this.outOfOrder.push(row)
  }

  private touch(second: number): void {
    const p = this.changes.periods
    if (second < p[p.length - 1]) p[p.length - 1] = second
  }

  private bucket(second: number): SecondRow {
    this.touch(second)
    if (second === this.lastSecond && this.lastBucket !== null) return this.lastBucket
    let b = this.seconds.get(second)
    if (b === undefined) {
      b = [second, 0, 0, 0, 0, 0, 0, 0, 0]
      this.place(b)
    }
    this.lastSecond = second
    this.lastBucket = b
    return b
  }

  /** The rows in second order: late rows are placed one by one when few, by a sort when many. */
  private sortedRows(): SecondRow[] {
    const late = this.outOfOrder
    if (late.length === 0) return this.rows
    this.outOfOrder = []
    if (late.length > 64) {
      this.rows.push(...late)
      this.rows.sort((a, b) => a[0] - b[0])
      return this.rows
    }
    for (const row of late) {
      let lo = 0
      let hi = this.rows.length
      while (lo < hi) {
        const mid = (lo + hi) >>> 1
        if (this.rows[mid][0] < row[0]) lo = mid + 1
        else hi = mid
      }
      this.rows.splice(lo, 0, row)
    }
    return this.rows
  }

  add(e: RequestEvent): void {
    this.addRequest(e)
  }

  addRequest(e: RequestEvent): void {
    this.requests++
    const status = e.status
    if (status >= 0 && status < 1000) this.statusCounts[status]++
    const is5xx = status >= 500 && status < 600
    if (e.time === null) this.undatedRequests++
    else {
      const b = this.bucket(Math.floor(e.time / 1000))
      this.rowWrites++
      b[1 + BUCKET.total]++
      if (is5xx) {
        b[1 + BUCKET.s5xx]++
        if (status === 500) b[1 + BUCKET.s500]++
        else if (status === 502) b[1 + BUCKET.s502]++
        else if (status === 503) b[1 + BUCKET.s503]++
        else if (status === 504) b[1 + BUCKET.s504]++
      } else if (status >= 400 && status < 500) b[1 + BUCKET.s4xx]++
    }
    this.instances.addRequest(e.instance, is5xx)
    this.impact.add(e)
    const r = this.routeStats(e.method, e.route)
    r.total++
    r.statuses[status] = (r.statuses[status] ?? 0) + 1
    if (is5xx) {
      r.s5xx++
      this.keepFailing(e)
    }
  }

  /** Counts an application error at its second, so app errors line up with the 5xx on the timeline. */
  addAppError(time: number | null): void {
    if (time === null) return
    this.rowWrites++
    this.bucket(Math.floor(time / 1000))[1 + BUCKET.appErrors]++
  }

  private routeStats(method: string, route: string): RouteStats {
    let byRoute = this.routes.get(method)
    if (byRoute === undefined) {
      byRoute = new Map()
      this.routes.set(method, byRoute)
    }
    let r = byRoute.get(route)
    if (r === undefined) {
      if (this.routeCount >= MAX_ROUTES) {
        r = byRoute.get(OTHER_ROUTE)
        if (r) return r
        route = OTHER_ROUTE
      }
      r = { method, route, total: 0, s5xx: 0, statuses: {} }
      byRoute.set(route, r)
      this.routeCount++
    }
    return r
  }

  /** Reservoir sampling: every failing request has the same chance to be kept. */
  private keepFailing(e: RequestEvent): void {
    this.failingSeen++
    if (this.failing.length < MAX_FAILING_KEPT) this.failing.push(e)
    else {
      const j = Math.floor(this.random() * this.failingSeen)
      if (j < MAX_FAILING_KEPT) this.failing[j] = e
    }
  }

  routeList(): RouteStats[] {
    const out: RouteStats[] = []
    for (const byRoute of this.routes.values()) for (const r of byRoute.values()) out.push(r)
    return out
  }

  count5xx(): number {
    let n = 0
    for (let s = 500; s < 600; s++) n += this.statusCounts[s]
    return n
  }

  statusRecord(): Record<number, number> {
    const out: Record<number, number> = {}
    for (let s = 0; s < 1000; s++) if (this.statusCounts[s] > 0) out[s] = this.statusCounts[s]
    return out
  }

  toData(): RequestAggregateData {
    return {
      requests: this.requests,
      undatedRequests: this.undatedRequests,
      statusCounts: this.statusRecord(),
      seconds: this.sortedRows(),
      routes: this.routeList(),
      failing: this.failing,
      failingSeen: this.failingSeen,
      instances: this.instances.toData(),
      impact: this.impact.toData(),
      changes: this.changes
    }
  }

  /** Adds another aggregate's counts (a worker's share of the file, or another source). */
  merge(data: RequestAggregateData): void {
    for (const row of data.seconds) {
      const b = this.bucket(row[0])
      this.rowWrites++
      for (let i = 1; i <= BUCKET_WIDTH; i++) b[i] = (b[i] ?? 0) + (row[i] ?? 0)
    }
    this.mergeScalars(data)
  }

  /**
   * Several aggregates' data as one, without touching theirs: a second only one of them holds
   * keeps its row (shared, not copied); seconds they share get a new row. Costs a pass over the
   * rows, never a new row per second of history (the live sources' views merged for a verdict).
   */
  static mergeData(parts: RequestAggregateData[]): RequestAggregateData {
    if (parts.length === 1) return parts[0]
    const agg = new RequestAggregate()
    for (const p of parts) agg.mergeScalars(p)
    const { changes: _own, seconds: _none, ...data } = agg.toData()
    // Merged when first read: a live analysis reads the sources' rows through its own index instead.
    let rows: SecondRow[] | null = null
    return Object.defineProperty(data, 'seconds', {
      enumerable: true,
      get: (): SecondRow[] => (rows ??= mergeSortedRows(parts.map((p) => p.seconds))),
      set: (v: SecondRow[]) => {
        rows = v
      }
    }) as RequestAggregateData
  }

  /** Everything of a merge but the per-second rows. */
  private mergeScalars(data: RequestAggregateData): void {
    this.requests += data.requests
    this.undatedRequests += data.undatedRequests
    this.instances.merge(data.instances)
    for (const [s, n] of Object.entries(data.statusCounts)) this.statusCounts[Number(s)] += n
    for (const r of data.routes) {
      const mine = this.routeStats(r.method, r.route)
      mine.total += r.total
      mine.s5xx += r.s5xx
      for (const [s, n] of Object.entries(r.statuses)) mine.statuses[Number(s)] = (mine.statuses[Number(s)] ?? 0) + n
    }
    // Weighted merge of two samples: keep each side in proportion to how many it stands for.
    const total = this.failingSeen + data.failingSeen
    if (this.failing.length + data.failing.length <= MAX_FAILING_KEPT) this.failing.push(...data.failing)
    else {
      const mineShare = Math.round((MAX_FAILING_KEPT * this.failingSeen) / Math.max(total, 1))
      const kept = this.failing.slice(0, mineShare)
      kept.push(...data.failing.slice(0, MAX_FAILING_KEPT - kept.length))
      this.failing.length = 0
      this.failing.push(...kept)
    }
    this.failingSeen = total
    this.impact.merge(data.impact)
  }

  /** Earliest and latest second that holds any request. */
  span(): { from: number; to: number } | null {
    const rows = this.sortedRows()
    if (rows.length === 0) return null
    return { from: rows[0][0] * 1000, to: rows[rows.length - 1][0] * 1000 + 999 }
  }
}

/** Rows of several second-ordered lists in one second-ordered list; equal seconds are summed into a new row. */
function mergeSortedRows(lists: SecondRow[][]): SecondRow[] {
  const live = lists.filter((l) => l.length > 0)
  if (live.length === 0) return []
  if (live.length === 1) return live[0].slice()
  const heads = live.map(() => 0)
  const out: SecondRow[] = []
  for (;;) {
    let min = Infinity
    for (let k = 0; k < live.length; k++) if (heads[k] < live[k].length && live[k][heads[k]][0] < min) min = live[k][heads[k]][0]
    if (min === Infinity) return out
    let row: SecondRow | null = null
    let shared = true
    for (let k = 0; k < live.length; k++) {
      const r = heads[k] < live[k].length ? live[k][heads[k]] : undefined
      if (r === undefined || r[0] !== min) continue
      heads[k]++
      if (row === null) row = r
      else {
        if (shared) {
          row = row.slice() as SecondRow
          shared = false
        }
        for (let i = 1; i <= BUCKET_WIDTH; i++) row[i] = (row[i] ?? 0) + (r[i] ?? 0)
      }
    }
    if (row !== null) out.push(row)
  }
}
