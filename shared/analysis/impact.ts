/**
 * Who the 5xx hurt, folded in as requests arrive: distinct clients that got one, search crawlers
 * that got one (and on how many URLs, over what span), POST/PATCH re-sent by the same client after
 * one (a duplicate side effect risk) and 5xx a CDN served from its cache. Memory is bounded:
 * distinct counts turn into estimates past a bound, and retry matching keeps one minute of keys.
 */
import type { RequestEvent } from '../model/evidence'
import { type CrawlerVerification, crawlerOf, verifyCrawler } from './crawlers'
import { DistinctCounter, type DistinctData, emptyDistinct, hash53 } from './distinct'

/** A POST/PATCH this soon after a 5xx, from the same client to the same path, is a re-send. */
export const RETRY_WINDOW_MS = 60_000
/** Retry keys kept (each a 5xx of the last minute): beyond this the oldest are dropped. */
const MAX_PENDING = 20_000
/** Requests of a read's first minute kept so an earlier read's last 5xx can still match them. */
const MAX_HEAD = 5_000
/**
 * CloudFront logs cached and origin 5xx alike as `Error`; an edge time this short cannot include
 * a trip to the origin (time-taken is logged in whole milliseconds).
 */
export const CACHED_EDGE_MS = 3

/**
 * Cache words for "answered from the cache": Cloudflare (hit, stale, updating, revalidated), nginx
 * (HIT, STALE…), Varnish/Fastly X-Cache (HIT) and fastly_info.state (HIT-STALE, HIT-CLUSTER; not
 * HIT-SYNTH, a response the edge made up itself), CloudFront (Hit, RefreshHit).
 */
const FROM_CACHE = new Set(['hit', 'stale', 'updating', 'revalidated', 'refreshhit', 'hit-stale', 'hit-cluster', 'hit-wait', 'hit-refresh'])

/** Whether a 5xx was served from a cache, by the cache status logged beside it. */
export function servedFromCache(cacheStatus: string | null | undefined, durationMs: number | null): boolean {
  if (cacheStatus === null || cacheStatus === undefined) return false
  // Fastly with shielding logs `MISS, HIT`: the last word is the edge that answered.
  const parts = cacheStatus.split(',')
  const word = parts[parts.length - 1].trim().toLowerCase()
  if (FROM_CACHE.has(word)) return true
  return word === 'error' && durationMs !== null && durationMs <= CACHED_EDGE_MS
}

/** "The same client": its explicit key where the log has one, else address + user agent. */
export function clientIdentity(e: Pick<RequestEvent, 'client' | 'userAgent' | 'clientKey'>): string | null {
  if (e.clientKey !== null && e.clientKey !== undefined) return `k\u0000${e.clientKey}`
  return e.client === null ? null : `a\u0000${e.client}\u0000${e.userAgent ?? ''}`
}

export interface CrawlerData {
  agent: string
  verification: CrawlerVerification
  requests5xx: number
  urls: DistinctData
  from: number | null
  to: number | null
}

/** Plain-data form, for worker threads and snapshots. */
export interface ImpactData {
  clients: DistinctData
  /** 5xx with no client address or key: who got them is unknown. */
  unidentified5xx: number
  crawlers: CrawlerData[]
  retriedNonIdempotent: number
  /** POST/PATCH 5xx of the last minute (retry key, time): what later requests are matched against. */
  pending: [key: number, time: number][]
  /** The first minute's POST/PATCH not matched as re-sends, for an earlier read's pending 5xx. */
  head: [key: number, time: number][]
  headFrom: number | null
  cached5xx: number
  /** Requests that logged a cache status, and 5xx that logged a user agent: without them, 0 cached and no crawler say nothing. */
  withCacheStatus: number
  withAgent5xx: number
}

export const emptyImpactData = (): ImpactData => ({
  clients: emptyDistinct(),
  unidentified5xx: 0,
  crawlers: [],
  retriedNonIdempotent: 0,
  pending: [],
  head: [],
  headFrom: null,
  cached5xx: 0,
  withCacheStatus: 0,
  withAgent5xx: 0
})

interface CrawlerRow {
  agent: string
  verification: CrawlerVerification
  requests5xx: number
  urls: DistinctCounter
  from: number | null
  to: number | null
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))

export class ImpactAggregate {
  private readonly clients = new DistinctCounter()
  private unidentified5xx = 0
  private readonly crawlers = new Map<string, CrawlerRow>()
  private retried = 0
  /** Retry key → time of its latest 5xx; insertion order is time order (a key is re-inserted). */
  private readonly pending = new Map<number, number>()
  private head: [number, number][] = []
  private headFrom: number | null = null
  private latest = -Infinity
  private cached5xx = 0
  private withCacheStatus = 0
  private withAgent5xx = 0

  add(e: RequestEvent): void {
    const is5xx = e.status >= 500 && e.status < 600
    if (e.cacheStatus !== null && e.cacheStatus !== undefined) this.withCacheStatus++
    const retryable = e.method === 'POST' || e.method === 'PATCH'
    if (e.time !== null) {
      this.headFrom ??= e.time
      if (e.time > this.latest) this.latest = e.time
    }
    // Most requests are neither: the identity string is only built for those that count.
    if (!is5xx && !retryable) return
    const identity = clientIdentity(e)
    if (retryable && identity !== null && e.time !== null) this.matchRetry(hash53(`${identity}\u0000${e.method} ${e.path}`), e.time, is5xx)
    if (!is5xx) return
    if (identity === null) this.unidentified5xx++
    else this.clients.addText(identity)
    if (servedFromCache(e.cacheStatus, e.durationMs)) this.cached5xx++
    if (e.userAgent !== null) this.withAgent5xx++
    const crawler = crawlerOf(e.userAgent)
    if (crawler !== null) {
      const row = this.crawlerRow(crawler.agent, verifyCrawler(crawler, e.client))
      row.requests5xx++
      row.urls.addText(e.path)
      row.from = minOf(row.from, e.time)
      row.to = maxOf(row.to, e.time)
    }
  }

  private matchRetry(key: number, time: number, is5xx: boolean): void {
    const failedAt = this.pending.get(key)
    const resent = failedAt !== undefined && time >= failedAt && time - failedAt <= RETRY_WINDOW_MS
    if (resent) this.retried++
    else if (this.headFrom !== null && time - this.headFrom <= RETRY_WINDOW_MS && this.head.length < MAX_HEAD) this.head.push([key, time])
    if (!is5xx) return
    this.pending.delete(key)
    this.pending.set(key, time)
    if (this.pending.size > MAX_PENDING) this.prune()
  }

  /** Drops 5xx older than the retry window, then the oldest if still too many. */
  private prune(): void {
    for (const [key, time] of this.pending) {
      if (this.pending.size <= MAX_PENDING / 2) break
      if (time < this.latest - RETRY_WINDOW_MS || this.pending.size > MAX_PENDING) this.pending.delete(key)
      else break
    }
  }

  private crawlerRow(agent: string, verification: CrawlerVerification): CrawlerRow {
    const id = `${agent}\u0000${verification}`
    let row = this.crawlers.get(id)
    if (row === undefined) {
      row = { agent, verification, requests5xx: 0, urls: new DistinctCounter(), from: null, to: null }
      this.crawlers.set(id, row)
    }
    return row
  }

  toData(): ImpactData {
    const since = this.latest - RETRY_WINDOW_MS
    return {
      clients: this.clients.toData(),
      unidentified5xx: this.unidentified5xx,
      crawlers: [...this.crawlers.values()].map((r) => ({ ...r, urls: r.urls.toData() })),
      retriedNonIdempotent: this.retried,
      pending: [...this.pending].filter(([, time]) => time >= since),
      head: [...this.head],
      headFrom: this.headFrom,
      cached5xx: this.cached5xx,
      withCacheStatus: this.withCacheStatus,
      withAgent5xx: this.withAgent5xx
    }
  }

  /**
   * Adds another read's impact: a later share of the same file, a tail, or another source. Its
   * first minute's POST/PATCH are matched against this read's last minute of 5xx, so a re-send
   * that crosses the boundary between two shares of a file is still counted.
   */
  merge(data: ImpactData): void {
    this.clients.merge(data.clients)
    this.unidentified5xx += data.unidentified5xx
    for (const c of data.crawlers) {
      const row = this.crawlerRow(c.agent, c.verification)
      row.requests5xx += c.requests5xx
      row.urls.merge(c.urls)
      row.from = minOf(row.from, c.from)
      row.to = maxOf(row.to, c.to)
    }
    this.retried += data.retriedNonIdempotent
    for (const [key, time] of data.head) {
      const failedAt = this.pending.get(key)
      if (failedAt !== undefined && time >= failedAt && time - failedAt <= RETRY_WINDOW_MS) this.retried++
    }
    for (const [key, time] of data.pending) {
      const mine = this.pending.get(key)
      if (mine === undefined || time > mine) {
        this.pending.delete(key)
        this.pending.set(key, time)
      }
      if (time > this.latest) this.latest = time
    }
    if (this.pending.size > MAX_PENDING) this.prune()
    if (data.headFrom !== null && (this.headFrom === null || data.headFrom < this.headFrom)) {
      this.headFrom = data.headFrom
      this.head = [...data.head]
    }
    this.cached5xx += data.cached5xx
    this.withCacheStatus += data.withCacheStatus
    this.withAgent5xx += data.withAgent5xx
  }

  /** The counts as the analysis states them. */
  summary(): ImpactSummary {
    return summarize(this.toData())
  }
}

export interface ImpactSummary {
  clients: number
  clientsEstimated: boolean
  unidentified5xx: number
  crawlers: { agent: string; verification: CrawlerVerification; requests5xx: number; urls: number; urlsEstimated: boolean; from: number | null; to: number | null }[]
  retriedNonIdempotent: number
  cached5xx: number
  cacheLogged: boolean
  agentsLogged: boolean
}

/** Counts from the plain data, crawlers with the most 5xx first. */
export function summarize(data: ImpactData): ImpactSummary {
  const clients = DistinctCounter.from(data.clients)
  return {
    clients: clients.count(),
    clientsEstimated: clients.estimated,
    unidentified5xx: data.unidentified5xx,
    crawlers: data.crawlers
      .map((c) => {
        const urls = DistinctCounter.from(c.urls)
        return { agent: c.agent, verification: c.verification, requests5xx: c.requests5xx, urls: urls.count(), urlsEstimated: urls.estimated, from: c.from, to: c.to }
      })
      .sort((a, b) => b.requests5xx - a.requests5xx || (a.agent < b.agent ? -1 : a.agent > b.agent ? 1 : 0)),
    retriedNonIdempotent: data.retriedNonIdempotent,
    cached5xx: data.cached5xx,
    cacheLogged: data.withCacheStatus > 0,
    agentsLogged: data.withAgent5xx > 0
  }
}
