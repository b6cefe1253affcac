/**
 * Elasticsearch and OpenSearch as an evidence source (one module: the calls used here are the
 * same in both). For a request log the engine counts with `_search` of `size: 0` and
 * aggregations (statuses, method × path × status, instances; seconds by status class in
 * `composite` pages); only bounded hits move: a sample to map the fields and a sample of failing
 * requests. An application log is read by ./elastic-app.ts. Hits are read by the same
 * format code a file's JSON line is (detection, field inference: ECS names first), so an index
 * gives the verdict the same evidence the same documents would as a JSON-lines file.
 */
import type { RequestAggregateData, SecondRow } from '../../../shared/analysis/aggregate'
import { emptyImpactData } from '../../../shared/analysis/impact'
import { MAX_INSTANCES } from '../../../shared/analysis/instances'
import type { FieldMap, RequestEvent } from '../../../shared/model/evidence'
import { createParser, detectFormat, formatFamily, type LineParser } from '../formats'
import type { IngestResult } from '../ingest'
import { credentialHeaders } from './credentials'
import { readAppLog } from './elastic-app'
import { type Agg, type Bucket, buckets, DEFAULT_ELASTIC_LIMITS, docCount, ElasticSession, filterCount, flattenMapping, hitsAsLines, indexPath, type ElasticLimits, type MappedField } from './elastic-search'
import { StoreError } from './errors'
import { emptyResult, instanceStats, readSample } from './result'
import { OTHER_ROUTE, routeStats, type RouteKeyCount } from './routes'
import { CLASS_NAMES, minutesWithFailingSeconds, secondRow } from './series'
import type { StoreAdapter, StoreReading, StoreSpec } from './types'

export { DEFAULT_ELASTIC_LIMITS, type ElasticLimits } from './elastic-search'

/** ECS first, then what common shippers write: the time field when the sample names none. */
const TIME_FIELDS = ['@timestamp', 'timestamp', 'time', 'ts']

/** `logs-*` or `logs-* <query string>`: the index pattern, then an optional Lucene query. */
export function parseIndexQuery(query: string): { index: string; q: string | null } {
  const m = /^\s*([^\s]+)\s*([\s\S]*)$/.exec(query)
  if (!m || /[/?#]/.test(m[1])) throw new StoreError('query', `query must name an index pattern ("logs-*", optionally followed by a query string), got "${query.slice(0, 80)}"`)
  return { index: m[1], q: m[2].trim() === '' ? null : m[2].trim() }
}

type Classes = Record<(typeof CLASS_NAMES)[number], Agg>

/** A composite page's time key (`t`, epoch ms) as epoch seconds. */
const bucketSecond = (b: Bucket): number => Math.floor(Number((b.key as { t?: unknown }).t) / 1000)

/** Consecutive seconds as [from, to) ranges, epoch ms. */
function secondRanges(seconds: number[]): [number, number][] {
  const out: [number, number][] = []
  for (const s of [...seconds].sort((a, b) => a - b)) {
    const last = out[out.length - 1]
    if (last !== undefined && last[1] === s * 1000) last[1] += 1000
    else out.push([s * 1000, s * 1000 + 1000])
  }
  return out
}

class ElasticRead {
  constructor(
    private readonly spec: StoreSpec,
    private readonly es: ElasticSession
  ) {}

  async read(): Promise<IngestResult> {
    const { index, q } = parseIndexQuery(this.spec.query)
    const fields = flattenMapping(await this.es.call('GET', `${indexPath(index)}/_mapping`, undefined, 'reading the mapping'))
    if (fields.size === 0) throw new StoreError('query', `${this.es.where}: index ${index} has no mapped fields`)
    const dateField = [...TIME_FIELDS.filter((f) => fields.get(f)?.type === 'date'), ...[...fields].filter(([, f]) => f.type === 'date' || f.type === 'date_nanos').map(([n]) => n)][0]
    if (dateField === undefined) throw new StoreError('query', `${this.es.where}: no date field in ${index}; name it with --map time=FIELD`)
    const userQuery = q === null ? [] : [{ query_string: { query: q } }]
    const windowOn = (time: string): Agg[] => [{ range: { [time]: { gte: this.spec.from, lte: this.spec.to, format: 'epoch_millis' } } }, ...userQuery]
    const sampleBody = await this.es.search(index, { size: this.es.limits.mapRows, query: { bool: { filter: windowOn(dateField) } } }, 'sampling documents to map fields')
    const sample = hitsAsLines(sampleBody)
    const detection = detectFormat(sample)
    const fieldMap: FieldMap = { ...detection.fieldMap, ...this.spec.fieldMap }
    const time = fieldMap.time !== undefined && fields.get(fieldMap.time)?.type.startsWith('date') ? fieldMap.time : dateField
    const filter = windowOn(time)
    const format = detection.format
    const family = formatFamily(format)
    const parser = family === null ? null : createParser(format, fieldMap)

    const totals = await this.es.search(index, { size: 0, track_total_hits: true, query: { bool: { filter } }, aggs: { first: { min: { field: time } }, last: { max: { field: time } } } }, 'counting documents')
    // ES ≥ 7 and OpenSearch answer {value, relation}; ES 6 a bare number.
    const total = (totals.hits as { total?: number | { value?: number } } | undefined)?.total
    const rows = typeof total === 'number' ? total : (total?.value ?? 0)
    const aggs = totals.aggregations as Record<string, { value?: number | null }> | undefined
    const base = emptyResult(format, fieldMap, rows, rows > 0 ? (aggs?.first?.value ?? null) : null, rows > 0 ? (aggs?.last?.value ?? null) : null)
    if (!readSample(base, sample, parser, 'documents', this.es.label, this.es.warnings) || parser === null) return base
    if (family !== 'access') return readAppLog({ es: this.es, index, filter, window: { from: this.spec.from, to: this.spec.to }, time, fieldMap, fields, parser, base })
    return this.readRequests(index, filter, time, fieldMap, fields, parser, base)
  }

  private async readRequests(index: string, filter: Agg[], time: string, fieldMap: FieldMap, fields: Map<string, MappedField>, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    const { label, limits, warnings } = this.es
    const field = (role: keyof FieldMap): string | null => (fieldMap[role] !== undefined ? (fields.get(fieldMap[role])?.agg ?? null) : null)
    const s = field('status')
    const method = field('method')
    const pathF = field('path') ?? field('url')
    if (s === null || method === null || pathF === null) {
      warnings.push(`${label}: no status/method/path fields the engine can count requests by; map them (--map status=…, method=…, path=…)`)
      return base
    }
    const range = (gte: number, lt: number): Agg => ({ range: { [s]: { gte, lt } } })
    const classes: Classes = { total: { match_all: {} }, s5xx: range(500, 600), s4xx: range(400, 500), s500: { term: { [s]: 500 } }, s502: { term: { [s]: 502 } }, s503: { term: { [s]: 503 } }, s504: { term: { [s]: 504 } } }
    const instance = field('instance')
    const counted: Agg[] = [...filter, { exists: { field: s } }]
    const body = await this.es.search(
      index,
      {
        size: 0,
        query: { bool: { filter: counted } },
        aggs: {
          statuses: { terms: { field: s, size: 1000 } },
          methods: { terms: { field: method, size: 100 }, aggs: { paths: { terms: { field: pathF, size: limits.pathTerms }, aggs: { statuses: { terms: { field: s, size: 100 } } } } } },
          ...(instance === null ? {} : { instances: { terms: { field: instance, size: MAX_INSTANCES }, aggs: { s5xx: { filter: classes.s5xx } } } })
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
    if (truncated) warnings.push(`${label}: more than ${limits.pathTerms} distinct paths; the rest is counted as ${OTHER_ROUTE}`)
    const failing = (await this.es.pagedHits(index, { bool: { filter: [...filter, classes.s5xx] } }, time, limits.failingRows, 'sampling failing requests'))
      .map((line, i) => parser.parse(line, i + 1, 0))
      .filter((e): e is RequestEvent => e?.kind === 'request')
    if (failingSeen > failing.length) warnings.push(`${label}: ${failing.length} of ${failingSeen} failing requests sampled`)
    const data: RequestAggregateData = {
      requests,
      undatedRequests: 0,
      statusCounts,
      seconds: await this.series(index, counted, time, classes),
      routes,
      failing,
      failingSeen,
      instances: instanceStats(
        buckets(aggs.instances)
          .filter((b) => b.key !== '' && b.key !== '-')
          .map((b) => ({ name: String(b.key), requests: b.doc_count, s5xx: docCount(b.s5xx), appEvents: 0, appErrors: 0 }))
      ),
      impact: emptyImpactData()
    }
    return { ...base, requests: data, events: requests, eventLines: requests, unparsed: base.lines - requests }
  }

  /**
   * Requests per second by status class. Short windows get every second; longer ones minutes
   * plus every second that held a 5xx (./series.ts says why). Both through `composite` pages,
   * not one `date_histogram`: three hours of seconds with their class filters is 75,600
   * buckets, past `search.max_buckets` (65,536), and the engine refuses the whole answer then.
   * A failing second's counts are of all its requests: its seconds are found first (5xx only),
   * then counted whole over their time ranges (consecutive seconds one range).
   */
  private async series(index: string, counted: Agg[], time: string, classes: Classes): Promise<SecondRow[]> {
    const per = (interval: string): Agg[] => [{ t: { date_histogram: { field: time, fixed_interval: interval } } }]
    const classAggs = { classes: { filters: { filters: classes } } }
    const toRow = (b: Bucket, second: number): SecondRow => secondRow(second, Object.fromEntries(CLASS_NAMES.map((name) => [name, filterCount(b.classes, name)])))
    const seconds = async (query: Agg[], what: string): Promise<SecondRow[]> =>
      (await this.es.compositeBuckets(index, { bool: { filter: query } }, per('1s'), classAggs, what)).buckets.map((b) => toRow(b, bucketSecond(b)))
    if (this.spec.to - this.spec.from <= this.es.limits.exactSecondsMs) return seconds(counted, 'counting requests per second')
    const minutes = (await this.es.compositeBuckets(index, { bool: { filter: counted } }, per('1m'), classAggs, 'counting requests per minute')).buckets.map((b) => toRow(b, bucketSecond(b)))
    const failingAt = (await this.es.compositeBuckets(index, { bool: { filter: [...counted, classes.s5xx] } }, per('1s'), {}, 'finding the seconds with a 5xx')).buckets.map(bucketSecond)
    const ranges = secondRanges(failingAt)
    const failing: SecondRow[] = []
    for (let i = 0; i < ranges.length; i += this.es.limits.rangesPerQuery) {
      const should = ranges.slice(i, i + this.es.limits.rangesPerQuery).map(([gte, lt]) => ({ range: { [time]: { gte, lt, format: 'epoch_millis' } } }))
      failing.push(...(await seconds([...counted, { bool: { should, minimum_should_match: 1 } }], 'counting requests in the seconds with a 5xx')))
    }
    return minutesWithFailingSeconds(minutes, failing)
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
      const es = new ElasticSession(spec, { kind, url: spec.url, headers, timeoutMs: limits.timeoutMs, attempts: limits.attempts, maxRetryMs: limits.maxRetryMs, ...(signal ? { signal } : {}) }, limits)
      const result = await new ElasticRead(spec, es).read()
      // Neither engine says per search how many bytes it read for the answer.
      return { result, bytesMoved: es.bytesMoved, scannedBytes: null, warnings: es.warnings }
    }
  }
}
