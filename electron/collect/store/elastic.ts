/**
 * Elasticsearch and OpenSearch as an evidence source (one module: the calls used here are the
 * same in both). The engine counts with one `_search` of `size: 0` and aggregations (statuses,
 * a `date_histogram` by status class, method × path × status, instances); only bounded hits
 * move: a sample to map the fields and a sample of failing requests. Hits are read by the same
 * format code a file's JSON line is (detection, field inference: ECS names first), so an index
 * gives the verdict the same evidence the same documents would as a JSON-lines file.
 */
import { BUCKET, type RequestAggregateData } from '../../../shared/analysis/aggregate'
import { emptyImpactData } from '../../../shared/analysis/impact'
import { MAX_INSTANCES } from '../../../shared/analysis/instances'
import type { FieldMap, RequestEvent } from '../../../shared/model/evidence'
import { createParser, detectFormat, formatFamily, type LineParser } from '../formats'
import type { IngestResult } from '../ingest'
import { credentialHeaders } from './credentials'
import { elasticCall, partialWarnings, type ElasticTarget } from './elastic-http'
import { StoreError, storeLabel } from './errors'
import { emptyResult, instanceStats, readSample } from './result'
import { OTHER_ROUTE, routeStats, type RouteKeyCount } from './routes'
import type { StoreAdapter, StoreReading, StoreSpec } from './types'

export interface ElasticLimits {
  mapRows: number
  /** Failing requests fetched, in time order. */
  failingRows: number
  /** Hits per page (≤ the index's max_result_window, 10,000 by default). */
  pageSize: number
  /** Distinct paths per method counted by the engine; the rest is "(other routes)". */
  pathTerms: number
  timeoutMs: number
  /** Windows up to this long are counted per second, longer ones per minute. */
  exactSecondsMs: number
  attempts: number
  maxRetryMs: number
}

export const DEFAULT_ELASTIC_LIMITS: ElasticLimits = {
  mapRows: 200,
  failingRows: 5000,
  pageSize: 5000,
  pathTerms: 10_000,
  timeoutMs: 30_000,
  exactSecondsMs: 3 * 3_600_000,
  attempts: 4,
  maxRetryMs: 10_000
}

/** ECS first, then what common shippers write: the time field when the sample names none. */
const TIME_FIELDS = ['@timestamp', 'timestamp', 'time', 'ts']

interface MappedField {
  type: string
  /** The name to aggregate on: `x.keyword` for a text field with a keyword sub-field. */
  agg: string
}

/** `_mapping` of every index the pattern matched, flattened to dotted names. */
function flattenMapping(body: Record<string, unknown>): Map<string, MappedField> {
  const out = new Map<string, MappedField>()
  const walk = (props: Record<string, { type?: string; properties?: Record<string, unknown>; fields?: Record<string, { type?: string }> }>, prefix: string): void => {
    for (const [name, def] of Object.entries(props)) {
      const full = `${prefix}${name}`
      if (def.properties) walk(def.properties as typeof props, `${full}.`)
      else if (typeof def.type === 'string' && !out.has(full)) {
        const keyword = def.type === 'text' ? Object.entries(def.fields ?? {}).find(([, f]) => f.type === 'keyword')?.[0] : undefined
        out.set(full, { type: def.type, agg: keyword !== undefined ? `${full}.${keyword}` : full })
      }
    }
  }
  for (const index of Object.values(body)) {
    const props = (index as { mappings?: { properties?: unknown } }).mappings?.properties
    if (props && typeof props === 'object') walk(props as Parameters<typeof walk>[0], '')
  }
  return out
}

/** `logs-*` or `logs-* <query string>`: the index pattern, then an optional Lucene query. */
export function parseIndexQuery(query: string): { index: string; q: string | null } {
  const m = /^\s*([^\s]+)\s*([\s\S]*)$/.exec(query)
  if (!m || /[/?#]/.test(m[1])) throw new StoreError('query', `query must name an index pattern ("logs-*", optionally followed by a query string), got "${query.slice(0, 80)}"`)
  return { index: m[1], q: m[2].trim() === '' ? null : m[2].trim() }
}

/** An index pattern in a URL path: commas and wildcards are the API's own syntax there. */
const indexPath = (index: string): string => encodeURIComponent(index).replace(/%2C/g, ',')

type Agg = Record<string, unknown>
interface Bucket {
  key: string | number
  doc_count: number
  [sub: string]: unknown
}
const buckets = (agg: unknown): Bucket[] => ((agg as { buckets?: Bucket[] } | undefined)?.buckets ?? [])
const filterCount = (agg: unknown, name: string): number => ((agg as { buckets?: Record<string, { doc_count?: number }> } | undefined)?.buckets?.[name]?.doc_count ?? 0)

class ElasticRead {
  bytesMoved = 0
  readonly warnings: string[] = []
  private readonly label: string
  private readonly where: string

  constructor(
    private readonly spec: StoreSpec,
    private readonly target: ElasticTarget,
    private readonly limits: ElasticLimits
  ) {
    this.label = `${storeLabel(spec.url)} ${spec.query}`
    this.where = `${target.kind} ${storeLabel(spec.url)}`
  }

  private async search(index: string, body: unknown, what: string): Promise<Record<string, unknown>> {
    const answer = await elasticCall(this.target, 'POST', index === '' ? '_search' : `${indexPath(index)}/_search`, body, what)
    this.bytesMoved += answer.wireBytes
    this.warnings.push(...partialWarnings(answer.body, this.label, what))
    return answer.body
  }

  /**
   * Up to `limit` hits in time order, in pages of `pageSize`, through a point in time and
   * `search_after` (ES ≥ 7.10 `_pit`, OpenSearch `_search/point_in_time`), so pages agree with
   * each other while the index is written to. One page needs no point in time.
   */
  private async pagedHits(index: string, query: Agg, time: string, limit: number, what: string): Promise<string[]> {
    const sort = [{ [time]: 'asc' }, { _shard_doc: 'asc' }]
    if (limit <= this.limits.pageSize) return this.hitsAsLines(await this.search(index, { size: limit, query, sort: [{ [time]: 'asc' }] }, what))
    const opened = await elasticCall(this.target, 'POST', this.target.kind === 'opensearch' ? `${indexPath(index)}/_search/point_in_time?keep_alive=2m` : `${indexPath(index)}/_pit?keep_alive=2m`, undefined, `${what} (opening a point in time)`)
    this.bytesMoved += opened.wireBytes
    const pitId = String(opened.body.id ?? opened.body.pit_id ?? '')
    if (pitId === '') throw new StoreError('unreadable', `${this.where}: ${what}: the point in time answer has no id`)
    const lines: string[] = []
    try {
      let after: unknown[] | undefined
      while (lines.length < limit) {
        const body = await this.search('', { size: Math.min(this.limits.pageSize, limit - lines.length), query, sort, pit: { id: pitId, keep_alive: '2m' }, ...(after ? { search_after: after } : {}) }, what)
        const hits = (body.hits as { hits?: { sort?: unknown[] }[] } | undefined)?.hits ?? []
        lines.push(...this.hitsAsLines(body))
        if (hits.length === 0 || hits.length < Math.min(this.limits.pageSize, limit - lines.length + hits.length)) break
        after = hits[hits.length - 1].sort
      }
    } finally {
      // Closing frees the engine's search context now rather than at keep_alive's end; a failure there costs nothing here.
      await elasticCall(this.target, 'DELETE', this.target.kind === 'opensearch' ? '_search/point_in_time' : '_pit', this.target.kind === 'opensearch' ? { pit_id: [pitId] } : { id: pitId }, 'closing the point in time').catch(() => undefined)
    }
    return lines
  }

  private hitsAsLines(body: Record<string, unknown>): string[] {
    const hits = (body.hits as { hits?: { _source?: unknown }[] } | undefined)?.hits ?? []
    return hits.filter((h) => h._source && typeof h._source === 'object').map((h) => JSON.stringify(h._source))
  }

  async read(): Promise<IngestResult> {
    const { index, q } = parseIndexQuery(this.spec.query)
    const mappingAnswer = await elasticCall(this.target, 'GET', `${indexPath(index)}/_mapping`, undefined, 'reading the mapping')
    this.bytesMoved += mappingAnswer.wireBytes
    const fields = flattenMapping(mappingAnswer.body)
    if (fields.size === 0) throw new StoreError('query', `${this.where}: index ${index} has no mapped fields`)
    const dateField = [...TIME_FIELDS.filter((f) => fields.get(f)?.type === 'date'), ...[...fields].filter(([, f]) => f.type === 'date' || f.type === 'date_nanos').map(([n]) => n)][0]
    if (dateField === undefined) throw new StoreError('query', `${this.where}: no date field in ${index}; name it with --map time=FIELD`)
    const userQuery = q === null ? [] : [{ query_string: { query: q } }]
    const windowOn = (time: string): Agg[] => [{ range: { [time]: { gte: this.spec.from, lte: this.spec.to, format: 'epoch_millis' } } }, ...userQuery]
    const sampleBody = await this.search(index, { size: this.limits.mapRows, query: { bool: { filter: windowOn(dateField) } } }, 'sampling documents to map fields')
    const sample = this.hitsAsLines(sampleBody)
    const detection = detectFormat(sample)
    const fieldMap: FieldMap = { ...detection.fieldMap, ...this.spec.fieldMap }
    const time = fieldMap.time !== undefined && fields.get(fieldMap.time)?.type.startsWith('date') ? fieldMap.time : dateField
    const filter = windowOn(time)
    const format = detection.format
    const family = formatFamily(format)
    const parser = family === null ? null : createParser(format, fieldMap)

    const totals = await this.search(index, { size: 0, track_total_hits: true, query: { bool: { filter } }, aggs: { first: { min: { field: time } }, last: { max: { field: time } } } }, 'counting documents')
    // ES ≥ 7 and OpenSearch answer {value, relation}; ES 6 a bare number.
    const total = (totals.hits as { total?: number | { value?: number } } | undefined)?.total
    const rows = typeof total === 'number' ? total : (total?.value ?? 0)
    const aggs = totals.aggregations as Record<string, { value?: number | null }> | undefined
    const base = emptyResult(format, fieldMap, rows, rows > 0 ? (aggs?.first?.value ?? null) : null, rows > 0 ? (aggs?.last?.value ?? null) : null)
    if (!readSample(base, sample, parser, 'documents', this.label, this.warnings) || parser === null) return base
    if (family !== 'access') {
      this.warnings.push(`${this.label}: application-log indices are not counted yet (only request logs); add the app log as a file`)
      return { ...base, appEvents: base.lines }
    }
    return this.readRequests(index, filter, time, fieldMap, fields, parser, base)
  }

  private async readRequests(index: string, filter: Agg[], time: string, fieldMap: FieldMap, fields: Map<string, MappedField>, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    const field = (role: keyof FieldMap): MappedField | null => (fieldMap[role] !== undefined ? (fields.get(fieldMap[role]) ?? null) : null)
    const status = field('status')
    const method = field('method')
    const pathF = field('path') ?? field('url')
    if (status === null || method === null || pathF === null) {
      this.warnings.push(`${this.label}: no status/method/path fields to count requests by; map them (--map status=…, method=…, path=…)`)
      return base
    }
    const s = status.agg
    const range = (gte: number, lt: number): Agg => ({ range: { [s]: { gte, lt } } })
    const classes = { s5xx: range(500, 600), s4xx: range(400, 500), s500: { term: { [s]: 500 } }, s502: { term: { [s]: 502 } }, s503: { term: { [s]: 503 } }, s504: { term: { [s]: 504 } } }
    const interval = this.spec.to - this.spec.from <= this.limits.exactSecondsMs ? '1s' : '1m'
    const instance = field('instance')
    const body = await this.search(
      index,
      {
        size: 0,
        query: { bool: { filter: [...filter, { exists: { field: s } }] } },
        aggs: {
          statuses: { terms: { field: s, size: 1000 } },
          series: { date_histogram: { field: time, fixed_interval: interval, min_doc_count: 1 }, aggs: { classes: { filters: { filters: classes } } } },
          methods: { terms: { field: method.agg, size: 100 }, aggs: { paths: { terms: { field: pathF.agg, size: this.limits.pathTerms }, aggs: { statuses: { terms: { field: s, size: 100 } } } } } },
          ...(instance === null ? {} : { instances: { terms: { field: instance.agg, size: MAX_INSTANCES }, aggs: { s5xx: { filter: classes.s5xx } } } })
        }
      },
      'counting requests'
    )
    const aggs = (body.aggregations ?? {}) as Record<string, unknown>
    const statusCounts: Record<number, number> = {}
    let requests = 0
    let failingSeen = 0
    for (const b of buckets(aggs.statuses)) {
      const code = Number(b.key)
      if (!(code > 0 && code < 1000)) continue
      statusCounts[code] = b.doc_count
      requests += b.doc_count
      if (code >= 500 && code < 600) failingSeen += b.doc_count
    }
    const seconds = buckets(aggs.series).map((b) => {
      const row = [Math.floor(Number(b.key) / 1000), 0, 0, 0, 0, 0, 0, 0, 0] as [number, ...number[]]
      row[1 + BUCKET.total] = b.doc_count
      for (const name of ['s5xx', 's4xx', 's500', 's502', 's503', 's504'] as const) row[1 + BUCKET[name]] = filterCount(b.classes, name)
      return row
    })
    const keys: RouteKeyCount[] = []
    let truncated = false
    for (const m of buckets(aggs.methods)) {
      const paths = buckets(m.paths)
      if (((m.paths as { sum_other_doc_count?: number } | undefined)?.sum_other_doc_count ?? 0) > 0) truncated = true
      for (const p of paths) for (const st of buckets(p.statuses)) keys.push({ m: String(m.key), p: String(p.key), s: Number(st.key), n: st.doc_count })
    }
    const routes = routeStats(keys, requests, (row) => {
      const record: Record<string, unknown> = {}
      setPath(record, time, new Date(0).toISOString())
      setPath(record, fieldMap.status ?? 'status', row.s)
      setPath(record, fieldMap.method ?? 'method', row.m)
      setPath(record, fieldMap.path ?? fieldMap.url ?? 'path', row.p)
      const event = parser.parse(JSON.stringify(record), 0, 0)
      return event?.kind === 'request' ? event : null
    })
    if (truncated) this.warnings.push(`${this.label}: more than ${this.limits.pathTerms} distinct paths; the rest is counted as ${OTHER_ROUTE}`)
    const failing = (await this.pagedHits(index, { bool: { filter: [...filter, classes.s5xx] } }, time, this.limits.failingRows, 'sampling failing requests'))
      .map((line, i) => parser.parse(line, i + 1, 0))
      .filter((e): e is RequestEvent => e?.kind === 'request')
    if (failingSeen > failing.length) this.warnings.push(`${this.label}: ${failing.length} of ${failingSeen} failing requests sampled`)
    const data: RequestAggregateData = {
      requests,
      undatedRequests: 0,
      statusCounts,
      seconds,
      routes,
      failing,
      failingSeen,
      instances: instanceStats(
        buckets(aggs.instances)
          .filter((b) => b.key !== '' && b.key !== '-')
          .map((b) => ({ name: String(b.key), requests: b.doc_count, s5xx: (b.s5xx as { doc_count?: number }).doc_count ?? 0, appEvents: 0, appErrors: 0 }))
      ),
      impact: emptyImpactData()
    }
    return { ...base, requests: data, events: requests, eventLines: requests, unparsed: base.lines - requests }
  }
}

/** `a.b.c` set as nested objects, as a shipper writes ECS documents. */
function setPath(record: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.')
  let at = record
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {}
    at = at[part] as Record<string, unknown>
  }
  at[parts[parts.length - 1]] = value
}

export interface ElasticAdapterOptions {
  limits?: Partial<ElasticLimits>
  keychain?: (id: string) => Promise<string | null>
}

export function elasticAdapter(kind: 'elasticsearch' | 'opensearch', options: ElasticAdapterOptions = {}): StoreAdapter {
  const limits = { ...DEFAULT_ELASTIC_LIMITS, ...options.limits }
  return {
    kind,
    async read(spec: StoreSpec, signal?: AbortSignal): Promise<StoreReading> {
      const headers = await credentialHeaders(spec.credential, options.keychain)
      const read = new ElasticRead(spec, { kind, url: spec.url, headers, timeoutMs: limits.timeoutMs, attempts: limits.attempts, maxRetryMs: limits.maxRetryMs, ...(signal ? { signal } : {}) }, limits)
      const result = await read.read()
      // Neither engine says per search how many bytes it read for the answer.
      return { result, bytesMoved: read.bytesMoved, scannedBytes: null, warnings: read.warnings }
    }
  }
}
