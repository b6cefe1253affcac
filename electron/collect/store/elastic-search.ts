/**
 * What every Elasticsearch/OpenSearch read asks the engine the same way: a `_search` (its shard
 * failures and timeouts kept as warnings), hits paged through a point in time, aggregations paged
 * with `composite`, and the index mapping flattened to the fields a query may count on.
 */
import { elasticCall, partialWarnings, type ElasticTarget } from './elastic-http'
import { StoreError, storeLabel } from './errors'
import type { StoreSpec } from './types'

export interface ElasticLimits {
  mapRows: number
  /** Failing requests fetched, in time order. */
  failingRows: number
  /** Error documents fetched: all when there are no more, else the first half and the newest half. */
  errorRows: number
  /** Distinct errors (type, stack, message, logger, endpoint, instance) counted by the engine and grouped here. */
  errorShapes: number
  /** Startup and migration lines fetched for the lifecycle (deploys, restarts). */
  bannerRows: number
  /** Hits per page (≤ the index's max_result_window, 10,000 by default). */
  pageSize: number
  /**
   * Composite buckets per page. `search.max_buckets` (65,536 on ES ≥ 7 and OpenSearch) counts
   * sub-buckets too: a second with its 6 status-class filters is 7, so 5,000 per page is 35,000.
   */
  compositePage: number
  /** Time ranges per query (OpenSearch and ES < 8 refuse more than 1,024 clauses by default). */
  rangesPerQuery: number
  /** Distinct paths per method counted by the engine; the rest is "(other routes)". */
  pathTerms: number
  timeoutMs: number
  /** Windows up to this long are counted per second, longer ones per minute plus every second with a 5xx. */
  exactSecondsMs: number
  attempts: number
  maxRetryMs: number
}

export const DEFAULT_ELASTIC_LIMITS: ElasticLimits = {
  mapRows: 200,
  failingRows: 5000,
  errorRows: 5000,
  errorShapes: 20_000,
  bannerRows: 2000,
  pageSize: 5000,
  compositePage: 5000,
  rangesPerQuery: 500,
  pathTerms: 10_000,
  timeoutMs: 30_000,
  exactSecondsMs: 3 * 3_600_000,
  attempts: 4,
  maxRetryMs: 10_000
}

export interface MappedField {
  type: string
  /** The name to aggregate and sort on (`x.keyword` for a text field with a keyword sub-field); null when the engine cannot. */
  agg: string | null
}

/** Field types the engine aggregates on as they are (doc values); text needs a keyword sub-field. */
const AGGREGATABLE = new Set(['keyword', 'constant_keyword', 'wildcard', 'version', 'ip', 'boolean', 'date', 'date_nanos', 'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'])
export const isTextType = (type: string): boolean => type === 'text' || type === 'match_only_text'

type MappingProps = Record<string, { type?: string; properties?: Record<string, unknown>; fields?: Record<string, { type?: string }> }>

/** `_mapping` of every index the pattern matched, flattened to dotted names. */
export function flattenMapping(body: Record<string, unknown>): Map<string, MappedField> {
  const out = new Map<string, MappedField>()
  const walk = (props: MappingProps, prefix: string): void => {
    for (const [name, def] of Object.entries(props)) {
      const full = `${prefix}${name}`
      if (def.properties) walk(def.properties as MappingProps, `${full}.`)
      else if (typeof def.type === 'string' && !out.has(full)) {
        const keyword = Object.entries(def.fields ?? {}).find(([, f]) => typeof f.type === 'string' && AGGREGATABLE.has(f.type))?.[0]
        out.set(full, { type: def.type, agg: AGGREGATABLE.has(def.type) ? full : keyword !== undefined ? `${full}.${keyword}` : null })
      }
    }
  }
  for (const index of Object.values(body)) {
    const props = (index as { mappings?: { properties?: unknown } }).mappings?.properties
    if (props && typeof props === 'object') walk(props as MappingProps, '')
  }
  return out
}

/** An index pattern in a URL path: commas and wildcards are the API's own syntax there. */
export const indexPath = (index: string): string => encodeURIComponent(index).replace(/%2C/g, ',')

export type Agg = Record<string, unknown>
export interface Bucket {
  key: string | number | Record<string, unknown>
  doc_count: number
  [sub: string]: unknown
}
export const buckets = (agg: unknown): Bucket[] => (agg as { buckets?: Bucket[] } | undefined)?.buckets ?? []
export const filterCount = (agg: unknown, name: string): number => (agg as { buckets?: Record<string, { doc_count?: number }> } | undefined)?.buckets?.[name]?.doc_count ?? 0
export const docCount = (agg: unknown): number => (agg as { doc_count?: number } | undefined)?.doc_count ?? 0
export const aggValue = (agg: unknown): number | null => (agg as { value?: number | null } | undefined)?.value ?? null

/** Hits as the JSON lines a shipper would have written (their `_source`). */
export function hitsAsLines(body: Record<string, unknown>): string[] {
  const hits = (body.hits as { hits?: { _source?: unknown }[] } | undefined)?.hits ?? []
  return hits.filter((h) => h._source && typeof h._source === 'object').map((h) => JSON.stringify(h._source))
}

/** One read's calls to the engine: what they moved and the partial answers they had. */
export class ElasticSession {
  bytesMoved = 0
  readonly warnings: string[] = []
  readonly label: string
  readonly where: string

  constructor(
    spec: StoreSpec,
    readonly target: ElasticTarget,
    readonly limits: ElasticLimits
  ) {
    this.label = `${storeLabel(spec.url)} ${spec.query}`
    this.where = `${target.kind} ${storeLabel(spec.url)}`
  }

  async call(method: 'GET' | 'POST' | 'DELETE', pathAndQuery: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const answer = await elasticCall(this.target, method, pathAndQuery, body, what)
    this.bytesMoved += answer.wireBytes
    return answer.body
  }

  async search(index: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const answer = await this.call('POST', index === '' ? '_search' : `${indexPath(index)}/_search`, body, what)
    this.warnings.push(...partialWarnings(answer, this.label, what))
    return answer
  }

  /**
   * Up to `limit` hits in time order (`desc`: newest first), in pages of `pageSize`, through a
   * point in time and `search_after` (ES ≥ 7.10 `_pit`, OpenSearch `_search/point_in_time`), so
   * pages agree with each other while the index is written to. One page needs no point in time.
   */
  async pagedHits(index: string, query: Agg, time: string, limit: number, what: string, order: 'asc' | 'desc' = 'asc'): Promise<string[]> {
    if (limit <= 0) return []
    if (limit <= this.limits.pageSize) return hitsAsLines(await this.search(index, { size: limit, query, sort: [{ [time]: order }] }, what))
    const os = this.target.kind === 'opensearch'
    const opened = await this.call('POST', os ? `${indexPath(index)}/_search/point_in_time?keep_alive=2m` : `${indexPath(index)}/_pit?keep_alive=2m`, undefined, `${what} (opening a point in time)`)
    const pitId = String(opened.id ?? opened.pit_id ?? '')
    if (pitId === '') throw new StoreError('unreadable', `${this.where}: ${what}: the point in time answer has no id`)
    const sort = [{ [time]: order }, { _shard_doc: order }]
    const lines: string[] = []
    try {
      let after: unknown[] | undefined
      while (lines.length < limit) {
        const size = Math.min(this.limits.pageSize, limit - lines.length)
        const body = await this.search('', { size, query, sort, pit: { id: pitId, keep_alive: '2m' }, ...(after ? { search_after: after } : {}) }, what)
        const hits = (body.hits as { hits?: { sort?: unknown[] }[] } | undefined)?.hits ?? []
        lines.push(...hitsAsLines(body))
        if (hits.length < size) break
        after = hits[hits.length - 1].sort
      }
    } finally {
      // Closing frees the engine's search context now rather than at keep_alive's end; a failure there costs nothing here.
      await elasticCall(this.target, 'DELETE', os ? '_search/point_in_time' : '_pit', os ? { pit_id: [pitId] } : { id: pitId }, 'closing the point in time').catch(() => undefined)
    }
    return lines
  }

  /**
   * Every bucket of a `composite` aggregation, page after page by `after_key`, up to `cap`
   * (then `truncated`). Composite rather than one `date_histogram`/`terms`: a week of seconds or
   * of error shapes would pass `search.max_buckets`, and the engine refuses the whole answer then.
   */
  async compositeBuckets(index: string, query: Agg, sources: Agg[], aggs: Agg, what: string, cap = Infinity, size = this.limits.compositePage): Promise<{ buckets: Bucket[]; truncated: boolean }> {
    const out: Bucket[] = []
    let after: unknown
    for (;;) {
      const body = await this.search(index, { size: 0, query, aggs: { pages: { composite: { size, sources, ...(after === undefined ? {} : { after }) }, ...(Object.keys(aggs).length > 0 ? { aggs } : {}) } } }, what)
      const pages = (body.aggregations as { pages?: { buckets?: Bucket[]; after_key?: unknown } } | undefined)?.pages
      const page = pages?.buckets ?? []
      out.push(...page)
      if (out.length > cap) return { buckets: out.slice(0, cap), truncated: true }
      if (page.length < size || pages?.after_key === undefined) return { buckets: out, truncated: false }
      after = pages.after_key
    }
  }
}
