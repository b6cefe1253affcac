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

/**
 * Request evidence folded into counters as it arrives: per status, per second, per route, and
 * a uniform sample of the failing requests. Memory depends on distinct seconds and routes,
 * never on the number of lines.
 */
export class RequestAggregate {
  requests = 0
  undatedRequests = 0
  readonly statusCounts = new Float64Array(1000)
  readonly seconds = new Map<number, Float64Array>()
  private readonly routes = new Map<string, Map<string, RouteStats>>()
  private routeCount = 0
  readonly failing: RequestEvent[] = []
  failingSeen = 0
  private readonly random = prng(0x500)
  readonly instances = new InstanceCounts()
  readonly impact = new ImpactAggregate()

  /** Logs are written in time order: consecutive lines mostly share their second, so the last bucket is kept at hand. */
  private lastSecond = Number.NaN
  private lastBucket: Float64Array | null = null

  private bucket(second: number): Float64Array {
    if (second === this.lastSecond && this.lastBucket !== null) return this.lastBucket
    let b = this.seconds.get(second)
    if (b === undefined) {
      b = new Float64Array(BUCKET_WIDTH)
      this.seconds.set(second, b)
    }
    this.lastSecond = second
    this.lastBucket = b
    return b
  }

  addRequest(e: RequestEvent): void {
    this.requests++
    const status = e.status
    if (status >= 0 && status < 1000) this.statusCounts[status]++
    const is5xx = status >= 500 && status < 600
    if (e.time === null) this.undatedRequests++
    else {
      const b = this.bucket(Math.floor(e.time / 1000))
      b[BUCKET.total]++
      if (is5xx) {
        b[BUCKET.s5xx]++
        if (status === 500) b[BUCKET.s500]++
        else if (status === 502) b[BUCKET.s502]++
        else if (status === 503) b[BUCKET.s503]++
        else if (status === 504) b[BUCKET.s504]++
      } else if (status >= 400 && status < 500) b[BUCKET.s4xx]++
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
    if (time !== null) this.bucket(Math.floor(time / 1000))[BUCKET.appErrors]++
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
      seconds: [...this.seconds].map(([s, b]) => [s, ...b] as [number, ...number[]]),
      routes: this.routeList(),
      failing: this.failing,
      failingSeen: this.failingSeen,
      instances: this.instances.toData(),
      impact: this.impact.toData()
    }
  }

  /** Adds another aggregate's counts (a worker's share of the file, or another source). */
  merge(data: RequestAggregateData): void {
    this.requests += data.requests
    this.undatedRequests += data.undatedRequests
    this.instances.merge(data.instances)
    for (const [s, n] of Object.entries(data.statusCounts)) this.statusCounts[Number(s)] += n
    for (const [second, ...counts] of data.seconds) {
      const b = this.bucket(second)
      for (let i = 0; i < BUCKET_WIDTH; i++) b[i] += counts[i] ?? 0
    }
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
    let from = Infinity
    let to = -Infinity
    for (const s of this.seconds.keys()) {
      if (s < from) from = s
      if (s > to) to = s
    }
    return from === Infinity ? null : { from: from * 1000, to: to * 1000 + 999 }
  }
}
