/**
 * Elasticsearch/OpenSearch cannot be installed here: a loopback node:http server answers
 * `_mapping`, `_search` and the point-in-time calls in the documented response shapes
 * (hits.total.value, aggregations with buckets/doc_count/sum_other_doc_count/after_key, _shards,
 * error.root_cause), EVALUATING the subset of the query DSL the adapter sends over documents held
 * in memory, so every count is true. As the engine does, it refuses to aggregate on a text field
 * (no fielddata) and refuses an answer of more than `maxBuckets` buckets (`search.max_buckets`).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Doc = Record<string, unknown>
type MappingProps = Record<string, { type?: string; properties?: MappingProps; fields?: Record<string, { type?: string; ignore_above?: number }> }>
export type Mapping = Record<string, { mappings: { properties: MappingProps } }>

export interface FakeElastic {
  url: string
  /** What the next _search answers instead of its result. */
  next: ('429' | 'shard-failure' | 'timed-out')[]
  searches: number
  /** Every _search body, in order. */
  bodies: Doc[]
  pits: string[]
  maxBuckets: number
  close(): Promise<void>
}

class BadRequest extends Error {
  constructor(
    readonly type: string,
    message: string
  ) {
    super(message)
  }
}

/** Value at a dotted path, flat keys (`"log.level"`, as ECS encoders write them) or nested objects: the engine reads both. */
export function get(doc: unknown, field: string): unknown {
  if (doc === null || typeof doc !== 'object') return undefined
  const obj = doc as Doc
  if (field in obj) return obj[field]
  for (let i = field.indexOf('.'); i > 0; i = field.indexOf('.', i + 1)) {
    const head = field.slice(0, i)
    if (head in obj) {
      const v = get(obj[head], field.slice(i + 1))
      if (v !== undefined) return v
    }
  }
  return undefined
}

const millis = (v: unknown): number => (typeof v === 'number' ? v : Date.parse(String(v)))
/** `1s`, `30s`, `1m`, `2h`: a fixed_interval in ms. */
const intervalMs = (text: string): number => {
  const m = /^(\d+)(s|m|h)$/.exec(text)
  if (!m) throw new Error(`fake server: unknown fixed_interval ${text}`)
  return Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 's' | 'm' | 'h']
}
const tokens = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '')
const AGGREGATABLE = new Set(['keyword', 'constant_keyword', 'wildcard', 'long', 'integer', 'double', 'float', 'date', 'ip', 'boolean'])

function flatTypes(mapping: Mapping): Map<string, string> {
  const out = new Map<string, string>()
  const walk = (props: MappingProps, prefix: string): void => {
    for (const [name, def] of Object.entries(props)) {
      if (def.properties) walk(def.properties, `${prefix}${name}.`)
      else if (def.type) {
        out.set(`${prefix}${name}`, def.type)
        for (const [sub, f] of Object.entries(def.fields ?? {})) if (f.type) out.set(`${prefix}${name}.${sub}`, f.type)
      }
    }
  }
  for (const index of Object.values(mapping)) walk(index.mappings.properties, '')
  return out
}

export async function startFakeElastic(pattern: string, mapping: Mapping, docs: Doc[]): Promise<FakeElastic> {
  const fake: FakeElastic = { url: '', next: [], searches: 0, bodies: [], pits: [], maxBuckets: 65_536, close: async () => {} }
  const types = flatTypes(mapping)
  const indexName = Object.keys(mapping)[0]
  const order = new Map(docs.map((d, i) => [d, i]))
  /** A field's value as the engine indexes it: `x.keyword` is x's text, dates are epoch ms. */
  const value = (d: Doc, field: string): unknown => {
    const raw = get(d, field.replace(/\.keyword$/, ''))
    if (raw === undefined || raw === null) return undefined
    return types.get(field) === 'date' ? millis(raw) : raw
  }
  const needAggregatable = (field: string): void => {
    const type = types.get(field)
    if (type === undefined || !AGGREGATABLE.has(type))
      throw new BadRequest('illegal_argument_exception', `Field [${field}] of type [${type ?? 'unmapped'}] is not supported for aggregation [terms]`)
  }

  const matches = (doc: Doc, clause: Doc): boolean => {
    const [kind, arg] = Object.entries(clause)[0] as [string, Doc]
    switch (kind) {
      case 'match_all':
        return true
      case 'bool': {
        const all = (list: unknown): Doc[] => (list === undefined ? [] : Array.isArray(list) ? (list as Doc[]) : [list as Doc])
        const should = all(arg.should)
        const min = Number(arg.minimum_should_match ?? (should.length > 0 && all(arg.filter).length === 0 ? 1 : 0))
        return all(arg.filter).every((c) => matches(doc, c)) && all(arg.must).every((c) => matches(doc, c)) && !all(arg.must_not).some((c) => matches(doc, c)) && should.filter((c) => matches(doc, c)).length >= min
      }
      case 'range': {
        const [field, r] = Object.entries(arg)[0] as [string, { gte?: number; lt?: number; lte?: number }]
        const raw = value(doc, field)
        if (raw === undefined) return false
        const v = types.get(field) === 'date' ? millis(raw) : Number(raw)
        return (r.gte === undefined || v >= r.gte) && (r.lt === undefined || v < r.lt) && (r.lte === undefined || v <= r.lte)
      }
      case 'term': {
        const [field, v] = Object.entries(arg)[0]
        return value(doc, field) === v
      }
      case 'terms': {
        const [field, list] = Object.entries(arg)[0] as [string, unknown[]]
        return list.includes(value(doc, field))
      }
      case 'exists':
        return value(doc, String(arg.field)) !== undefined
      case 'match': {
        const [field, q] = Object.entries(arg)[0] as [string, { query: string; operator?: string }]
        const v = value(doc, field)
        if (typeof v !== 'string') return false
        const have = new Set(tokens(v))
        const want = tokens(q.query)
        return q.operator === 'and' ? want.every((t) => have.has(t)) : want.some((t) => have.has(t))
      }
      case 'query_string': {
        // The one form the tests send: field:value.
        const m = /^([\w.]+):([\w.-]+)$/.exec(String(arg.query))
        if (!m) throw new BadRequest('query_shard_exception', `Failed to parse query [${String(arg.query)}]`)
        return String(value(doc, m[1])) === m[2]
      }
      default:
        throw new Error(`fake server: unknown clause ${kind}`)
    }
  }

  const sortDocs = (list: Doc[], sort: Doc[] | undefined): { docs: Doc[]; key: (d: Doc) => unknown[] } => {
    const specs = (sort ?? []).map((s) => Object.entries(s)[0] as [string, string | { order: string }]).map(([f, o]) => ({ f, desc: (typeof o === 'string' ? o : o.order) === 'desc' }))
    const key = (d: Doc): unknown[] => specs.map(({ f }) => (f === '_shard_doc' ? order.get(d) : value(d, f)))
    const cmp = (a: Doc, b: Doc): number => {
      for (const [i, { f, desc }] of specs.entries()) {
        const x = key(a)[i] as number
        const y = key(b)[i] as number
        if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1)
        if (f === '_shard_doc') return 0
      }
      return (order.get(a) ?? 0) - (order.get(b) ?? 0)
    }
    return { docs: specs.length === 0 ? list : [...list].sort(cmp), key }
  }

  const hitsOf = (list: Doc[], size: number, sort: Doc[] | undefined): Doc => {
    const sorted = sortDocs(list, sort)
    return {
      total: { value: list.length, relation: 'eq' },
      max_score: null,
      hits: sorted.docs.slice(0, size).map((d) => ({ _index: indexName, _id: String(order.get(d)), _score: null, _source: d, ...(sort ? { sort: sorted.key(d) } : {}) }))
    }
  }

  const aggregate = (list: Doc[], aggs: Record<string, Doc>): Doc => {
    const out: Doc = {}
    for (const [name, def] of Object.entries(aggs)) {
      const sub = def.aggs as Record<string, Doc> | undefined
      const withSub = (bucket: Doc, inBucket: Doc[]): Doc => ({ ...bucket, doc_count: inBucket.length, ...(sub ? aggregate(inBucket, sub) : {}) })
      const group = (keyOf: (d: Doc) => unknown): Map<unknown, Doc[]> => {
        const groups = new Map<unknown, Doc[]>()
        for (const d of list) {
          const k = keyOf(d)
          if (k === undefined) continue
          const g = groups.get(k)
          if (g) g.push(d)
          else groups.set(k, [d])
        }
        return groups
      }
      if (def.min || def.max) {
        const field = String(((def.min ?? def.max) as Doc).field)
        const values = list.map((d) => value(d, field)).filter((v) => v !== undefined).map(Number)
        out[name] = { value: values.length === 0 ? null : def.min ? Math.min(...values) : Math.max(...values) }
      } else if (def.terms) {
        const { field, size } = def.terms as { field: string; size: number }
        needAggregatable(field)
        const sorted = [...group((d) => value(d, field)).entries()].sort((a, b) => b[1].length - a[1].length || String(a[0]).localeCompare(String(b[0])))
        out[name] = { doc_count_error_upper_bound: 0, sum_other_doc_count: sorted.slice(size).reduce((n, [, g]) => n + g.length, 0), buckets: sorted.slice(0, size).map(([key, g]) => withSub({ key }, g)) }
      } else if (def.date_histogram) {
        const { field, fixed_interval } = def.date_histogram as { field: string; fixed_interval: string }
        const step = intervalMs(fixed_interval)
        const groups = group((d) => Math.floor(millis(value(d, field)) / step) * step)
        out[name] = { buckets: [...groups.entries()].sort((a, b) => Number(a[0]) - Number(b[0])).map(([key, g]) => withSub({ key, key_as_string: new Date(Number(key)).toISOString() }, g)) }
      } else if (def.composite) {
        const { size, sources, after } = def.composite as { size: number; sources: Record<string, Doc>[]; after?: Doc }
        const names = sources.map((s) => Object.keys(s)[0])
        const keyOf = (d: Doc): unknown[] | undefined => {
          const key: unknown[] = []
          for (const s of sources) {
            const [kind, arg] = Object.entries(Object.values(s)[0])[0] as [string, { field: string; fixed_interval?: string; missing_bucket?: boolean }]
            let v: unknown
            if (kind === 'terms') {
              needAggregatable(arg.field)
              v = value(d, arg.field)
            } else if (kind === 'date_histogram') {
              const step = intervalMs(arg.fixed_interval ?? '')
              const t = value(d, arg.field)
              v = t === undefined ? undefined : Math.floor(Number(t) / step) * step
            } else throw new Error(`fake server: unknown composite source ${kind}`)
            if (v === undefined && !arg.missing_bucket) return undefined
            key.push(v ?? null)
          }
          return key
        }
        // Missing values first, as the engine orders ascending sources.
        const cmp = (a: unknown[], b: unknown[]): number => {
          for (let i = 0; i < a.length; i++) {
            if (a[i] === b[i]) continue
            if (a[i] === null) return -1
            if (b[i] === null) return 1
            return (a[i] as number) < (b[i] as number) ? -1 : 1
          }
          return 0
        }
        const groups = new Map<string, { key: unknown[]; docs: Doc[] }>()
        for (const d of list) {
          const key = keyOf(d)
          if (key === undefined) continue
          const id = JSON.stringify(key)
          const g = groups.get(id)
          if (g) g.docs.push(d)
          else groups.set(id, { key, docs: [d] })
        }
        const afterKey = after === undefined ? null : names.map((n) => after[n] ?? null)
        const page = [...groups.values()].sort((a, b) => cmp(a.key, b.key)).filter((g) => afterKey === null || cmp(g.key, afterKey) > 0).slice(0, size)
        const asKey = (key: unknown[]): Doc => Object.fromEntries(names.map((n, i) => [n, key[i]]))
        out[name] = { ...(page.length > 0 ? { after_key: asKey(page[page.length - 1].key) } : {}), buckets: page.map((g) => withSub({ key: asKey(g.key) }, g.docs)) }
      } else if (def.filters) {
        const filters = (def.filters as { filters: Record<string, Doc> }).filters
        const b: Doc = {}
        for (const [key, clause] of Object.entries(filters)) b[key] = withSub({}, list.filter((d) => matches(d, clause)))
        out[name] = { buckets: b }
      } else if (def.filter) out[name] = withSub({}, list.filter((d) => matches(d, def.filter as Doc)))
      else if (def.top_hits) {
        const { size, sort } = def.top_hits as { size: number; sort?: Doc[] }
        out[name] = { hits: hitsOf(list, size, sort) }
      } else throw new Error(`fake server: unknown aggregation ${JSON.stringify(def)}`)
    }
    return out
  }

  /** Buckets in an answer, sub-buckets included, as `search.max_buckets` counts them. */
  const countBuckets = (aggs: unknown): number => {
    if (aggs === null || typeof aggs !== 'object') return 0
    let n = 0
    for (const agg of Object.values(aggs as Doc)) {
      const list = (agg as { buckets?: unknown } | null)?.buckets
      const all = Array.isArray(list) ? (list as Doc[]) : list && typeof list === 'object' ? (Object.values(list) as Doc[]) : []
      n += all.length
      for (const b of all) n += countBuckets(b)
      if (!list && agg && typeof agg === 'object' && 'doc_count' in agg) n += countBuckets(agg)
    }
    return n
  }

  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(body))
      }
      const error = (status: number, type: string, reason: string, top = type, topReason = reason): void =>
        send(status, { error: { root_cause: [{ type, reason, index: indexName }], type: top, reason: topReason }, status })
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const base = `/${encodeURIComponent(pattern).replace(/%2C/g, ',')}`
      if (url.pathname === `${base}/_mapping` && req.method === 'GET') return send(200, mapping)
      // Points in time: ES ≥ 7.10 `_pit` answers {id}, OpenSearch `_search/point_in_time` {pit_id}.
      if (url.pathname === `${base}/_pit` && req.method === 'POST') return (fake.pits.push('open es'), send(200, { id: 'pit-es-1' }))
      if (url.pathname === `${base}/_search/point_in_time` && req.method === 'POST') return (fake.pits.push('open os'), send(200, { pit_id: 'pit-os-1', _shards: { total: 2, successful: 2, skipped: 0, failed: 0 }, creation_time: Date.now() }))
      if ((url.pathname === '/_pit' || url.pathname === '/_search/point_in_time') && req.method === 'DELETE') return (fake.pits.push(`close ${raw}`), send(200, { succeeded: true, num_freed: 1 }))
      const withPit = url.pathname === '/_search' && req.method === 'POST' && (JSON.parse(raw) as { pit?: unknown }).pit !== undefined
      if (!withPit && (url.pathname !== `${base}/_search` || req.method !== 'POST')) return error(404, 'index_not_found_exception', `no such index [${decodeURIComponent(url.pathname.split('/')[1])}]`, 'index_not_found_exception', 'no such index')
      fake.searches++
      const body = JSON.parse(raw) as { size?: number; query?: Doc; aggs?: Record<string, Doc>; sort?: Doc[]; search_after?: unknown[] }
      fake.bodies.push(body)
      const mode = fake.next.shift()
      if (mode === '429') return send(429, { error: { root_cause: [{ type: 'es_rejected_execution_exception', reason: 'rejected execution' }], type: 'es_rejected_execution_exception', reason: 'rejected execution' }, status: 429 }, { 'retry-after': '0' })
      let hits: Doc[]
      let aggregations: Doc | undefined
      try {
        hits = docs.filter((d) => (body.query ? matches(d, body.query) : true))
        aggregations = body.aggs ? aggregate(hits, body.aggs) : undefined
      } catch (err) {
        if (!(err instanceof BadRequest)) throw err
        return error(400, err.type, err.message, 'search_phase_execution_exception', 'all shards failed')
      }
      const buckets = countBuckets(aggregations)
      if (buckets > fake.maxBuckets)
        return error(400, 'too_many_buckets_exception', `Trying to create too many buckets. Must be less than or equal to: [${fake.maxBuckets}] but was [${buckets}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`, 'search_phase_execution_exception', 'all shards failed')
      const sorted = sortDocs(hits, body.sort)
      let list = sorted.docs
      const after = body.search_after
      if (after) {
        const i = list.findIndex((d) => JSON.stringify(sorted.key(d)) === JSON.stringify(after))
        list = list.slice(i + 1)
      }
      const shards = mode === 'shard-failure' ? { total: 2, successful: 1, skipped: 0, failed: 1, failures: [{ shard: 1, index: indexName, node: 'n1', reason: { type: 'node_not_connected_exception', reason: '[n2][127.0.0.1:9300] Node not connected' } }] } : { total: 2, successful: 2, skipped: 0, failed: 0 }
      send(200, {
        took: 3,
        timed_out: mode === 'timed-out',
        _shards: shards,
        hits: { ...hitsOf(list, body.size ?? 10, body.sort), total: { value: hits.length, relation: 'eq' } },
        ...(aggregations ? { aggregations } : {})
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return fake
}
