/**
 * Elasticsearch/OpenSearch cannot be installed here: a loopback node:http server answers
 * `_mapping` and `_search` in the documented response shapes (hits.total.value, aggregations
 * with buckets/doc_count/sum_other_doc_count, _shards, error.root_cause), computing every count
 * from the scenario's documents held in memory, so the counts are true. `analyze` over the index
 * must reach the same verdict and counts as `analyze` over the same documents as a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { elasticAdapter } from '../../../electron/collect/store/elastic'
import type { StoreSourceSpec } from '../../../shared/contract'
import type { AnalysisV1 } from '../../../shared/contract/analysis'
import type { DeployEvent } from '../../../shared/model/evidence'
import { DEPLOY_AT, SCENARIO_MINUTES, SCENARIO_START, scenarioRows } from '../../support/store-scenario'

type Doc = Record<string, unknown>

/** The scenario's nginx rows as an ECS document a Filebeat/Elastic Agent pipeline would index. */
function ecsDocs(): Doc[] {
  return scenarioRows().access.map((r) => {
    const uri = String(r.request_uri)
    return {
      '@timestamp': new Date(String(r.time_iso8601)).toISOString(),
      http: { request: { method: r.request_method }, response: { status_code: Number(r.status), body: { bytes: Number(r.body_bytes_sent) } } },
      url: { path: uri.split('?')[0], original: uri },
      host: { name: r.upstream_addr },
      source: { ip: r.remote_addr },
      user_agent: { original: r.http_user_agent },
      event: { duration: Math.round(Number(r.request_time) * 1e9) }
    }
  })
}

const MAPPING = {
  'logs-shop-2026.03': {
    mappings: {
      properties: {
        '@timestamp': { type: 'date' },
        http: { properties: { request: { properties: { method: { type: 'keyword' } } }, response: { properties: { status_code: { type: 'long' }, body: { properties: { bytes: { type: 'long' } } } } } } },
        url: { properties: { path: { type: 'keyword' }, original: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } } } },
        host: { properties: { name: { type: 'keyword' } } },
        source: { properties: { ip: { type: 'ip' } } },
        user_agent: { properties: { original: { type: 'keyword' } } },
        event: { properties: { duration: { type: 'long' } } }
      }
    }
  }
}

const get = (doc: Doc, field: string): unknown => field.replace(/\.keyword$/, '').split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Doc)[k] : undefined), doc)
const millis = (v: unknown): number => (typeof v === 'number' ? v : Date.parse(String(v)))

/** The query clauses the adapter sends, as Elasticsearch reads them. */
function matches(doc: Doc, clause: Doc): boolean {
  const [kind, arg] = Object.entries(clause)[0] as [string, Doc]
  if (kind === 'bool') return ((arg.filter as Doc[] | undefined) ?? []).every((c) => matches(doc, c))
  if (kind === 'range') {
    const [field, r] = Object.entries(arg)[0] as [string, { gte?: number; lt?: number; lte?: number; format?: string }]
    const raw = get(doc, field)
    const v = r.format === 'epoch_millis' || field === '@timestamp' ? millis(raw) : Number(raw)
    return (r.gte === undefined || v >= r.gte) && (r.lt === undefined || v < r.lt) && (r.lte === undefined || v <= r.lte)
  }
  if (kind === 'term') {
    const [field, value] = Object.entries(arg)[0]
    return get(doc, field) === value
  }
  if (kind === 'exists') return get(doc, String(arg.field)) !== undefined
  if (kind === 'query_string') {
    // The one form the tests send: field:value.
    const m = /^([\w.]+):([\w.-]+)$/.exec(String(arg.query))
    if (!m) throw new BadQuery(`Failed to parse query [${String(arg.query)}]`)
    return String(get(doc, m[1])) === m[2]
  }
  throw new Error(`fake server: unknown clause ${kind}`)
}

class BadQuery extends Error {}

function aggregate(docs: Doc[], aggs: Record<string, Doc>): Doc {
  const out: Doc = {}
  for (const [name, def] of Object.entries(aggs)) {
    const sub = def.aggs as Record<string, Doc> | undefined
    const withSub = (bucket: Doc, inBucket: Doc[]): Doc => ({ ...bucket, doc_count: inBucket.length, ...(sub ? aggregate(inBucket, sub) : {}) })
    if (def.min || def.max) {
      const field = String(((def.min ?? def.max) as Doc).field)
      const values = docs.map((d) => millis(get(d, field)))
      out[name] = { value: values.length === 0 ? null : def.min ? Math.min(...values) : Math.max(...values) }
    } else if (def.terms) {
      const { field, size } = def.terms as { field: string; size: number }
      const groups = new Map<unknown, Doc[]>()
      for (const d of docs) {
        const v = get(d, field)
        if (v === undefined) continue
        groups.set(v, [...(groups.get(v) ?? []), d])
      }
      const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length)
      const kept = sorted.slice(0, size)
      out[name] = {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: sorted.slice(size).reduce((n, [, g]) => n + g.length, 0),
        buckets: kept.map(([key, g]) => withSub({ key }, g))
      }
    } else if (def.date_histogram) {
      const { field, fixed_interval } = def.date_histogram as { field: string; fixed_interval: string }
      const step = fixed_interval === '1s' ? 1000 : fixed_interval === '1m' ? 60_000 : NaN
      const groups = new Map<number, Doc[]>()
      for (const d of docs) {
        const t = Math.floor(millis(get(d, field)) / step) * step
        groups.set(t, [...(groups.get(t) ?? []), d])
      }
      out[name] = { buckets: [...groups.entries()].sort((a, b) => a[0] - b[0]).map(([key, g]) => withSub({ key, key_as_string: new Date(key).toISOString() }, g)) }
    } else if (def.filters) {
      const filters = (def.filters as { filters: Record<string, Doc> }).filters
      const b: Doc = {}
      for (const [key, clause] of Object.entries(filters)) {
        const g = docs.filter((d) => matches(d, clause))
        b[key] = withSub({}, g)
      }
      out[name] = { buckets: b }
    } else if (def.filter) out[name] = withSub({}, docs.filter((d) => matches(d, def.filter as Doc)))
    else throw new Error(`fake server: unknown aggregation ${JSON.stringify(def)}`)
  }
  return out
}

interface FakeElastic {
  url: string
  /** What the next _search answers instead of its result. */
  next: ('429' | 'shard-failure' | 'timed-out')[]
  searches: number
  pits: string[]
  close(): Promise<void>
}

async function startFakeElastic(docs: Doc[]): Promise<FakeElastic> {
  const fake: FakeElastic = { url: '', next: [], searches: 0, pits: [], close: async () => {} }
  const server = http.createServer((req, res) => {
    let raw = ''
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')))
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(JSON.stringify(body))
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      if (url.pathname === '/logs-shop-*/_mapping' && req.method === 'GET') return send(200, MAPPING)
      // Points in time: ES ≥ 7.10 `_pit` answers {id}, OpenSearch `_search/point_in_time` {pit_id}.
      if (url.pathname === '/logs-shop-*/_pit' && req.method === 'POST') return fake.pits.push('open es'), send(200, { id: 'pit-es-1' })
      if (url.pathname === '/logs-shop-*/_search/point_in_time' && req.method === 'POST') return fake.pits.push('open os'), send(200, { pit_id: 'pit-os-1', _shards: { total: 2, successful: 2, skipped: 0, failed: 0 }, creation_time: Date.now() })
      if ((url.pathname === '/_pit' || url.pathname === '/_search/point_in_time') && req.method === 'DELETE') return fake.pits.push(`close ${raw}`), send(200, { succeeded: true, num_freed: 1 })
      const withPit = url.pathname === '/_search' && req.method === 'POST' && (JSON.parse(raw) as { pit?: unknown }).pit !== undefined
      if (!withPit && (url.pathname !== '/logs-shop-*/_search' || req.method !== 'POST')) return send(404, { error: { root_cause: [{ type: 'index_not_found_exception', reason: `no such index [${url.pathname.split('/')[1]}]` }], type: 'index_not_found_exception', reason: 'no such index' }, status: 404 })
      fake.searches++
      const mode = fake.next.shift()
      if (mode === '429') return send(429, { error: { root_cause: [{ type: 'es_rejected_execution_exception', reason: 'rejected execution' }], type: 'es_rejected_execution_exception', reason: 'rejected execution' }, status: 429 }, { 'retry-after': '0' })
      const body = JSON.parse(raw) as { size?: number; query?: Doc; aggs?: Record<string, Doc>; sort?: Record<string, string>[]; search_after?: [number, number] }
      let hits: Doc[]
      try {
        hits = docs.filter((d) => (body.query ? matches(d, body.query) : true))
      } catch (err) {
        if (!(err instanceof BadQuery)) throw err
        return send(400, { error: { root_cause: [{ type: 'query_shard_exception', reason: err.message, index: 'logs-shop-2026.03' }], type: 'search_phase_execution_exception', reason: 'all shards failed', phase: 'query' }, status: 400 })
      }
      // Sorted by time, then the document's place (what `_shard_doc` stands for): search_after resumes after that pair.
      const order = new Map(docs.map((d, i) => [d, i]))
      const sortKey = (d: Doc): [number, number] => [millis(get(d, '@timestamp')), order.get(d) ?? 0]
      if (body.sort) hits = [...hits].sort((a, b) => sortKey(a)[0] - sortKey(b)[0] || sortKey(a)[1] - sortKey(b)[1])
      const after = body.search_after
      if (after) hits = hits.filter((d) => sortKey(d)[0] > after[0] || (sortKey(d)[0] === after[0] && sortKey(d)[1] > after[1]))
      const shards = mode === 'shard-failure' ? { total: 2, successful: 1, skipped: 0, failed: 1, failures: [{ shard: 1, index: 'logs-shop-2026.03', node: 'n1', reason: { type: 'node_not_connected_exception', reason: '[n2][127.0.0.1:9300] Node not connected' } }] } : { total: 2, successful: 2, skipped: 0, failed: 0 }
      send(200, {
        took: 3,
        timed_out: mode === 'timed-out',
        _shards: shards,
        hits: { total: { value: hits.length, relation: 'eq' }, max_score: null, hits: hits.slice(0, body.size ?? 10).map((d, i) => ({ _index: 'logs-shop-2026.03', _id: String(i), _score: null, _source: d, ...(body.sort ? { sort: sortKey(d) } : {}) })) },
        ...(body.aggs ? { aggregations: aggregate(hits, body.aggs) } : {})
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () => new Promise((resolve) => server.close(() => resolve()))
  return fake
}

const deploys: DeployEvent[] = [{ version: 'v2.8.0', at: DEPLOY_AT, commit: null, source: 'given' }]
const window = { from: SCENARIO_START, to: SCENARIO_START + SCENARIO_MINUTES * 60_000 - 1 }

function essentials(v1: AnalysisV1): unknown {
  return { verdict: v1.verdict?.playbook ?? null, requests: v1.requests, statusCounts: v1.statusCounts, suspectDeploy: v1.suspectDeploy, endpoint: v1.endpoint, window: v1.window, instance: v1.instance }
}

describe('Elasticsearch / OpenSearch store (documented shapes on loopback)', () => {
  let fake: FakeElastic
  let dir: string
  let fromFiles: AnalysisV1
  const docs = ecsDocs()

  beforeAll(async () => {
    fake = await startFakeElastic(docs)
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-elastic-'))
    const file = path.join(dir, 'access-ecs.json')
    writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n')
    fromFiles = (await analyzeOnce({ paths: [file], format: null, fieldMap: null, deploys, health: [] })).snapshot.v1
  }, 120_000)

  afterAll(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const spec = (kind: 'elasticsearch' | 'opensearch', query = 'logs-shop-*'): StoreSourceSpec & { to: number } => ({ kind, url: fake.url, query, ...window, credential: { kind: 'none' } })

  it('the documents as a file show the incident (the reference is not empty)', () => {
    expect(fromFiles.verdict?.playbook).toBe('rollback')
    expect(fromFiles.statusCounts['500']).toBeGreaterThan(300)
  })

  it('an index gives the same verdict and counts as the same documents as a file, for both kinds', async () => {
    for (const kind of ['elasticsearch', 'opensearch'] as const) {
      const { snapshot } = await analyzeOnce({ paths: [], stores: [spec(kind)], format: null, fieldMap: null, deploys, health: [] })
      expect(essentials(snapshot.v1)).toEqual(essentials(fromFiles))
    }
  })

  it('only aggregations and bounded samples move; requests per instance are counted by the engine', async () => {
    const reading = await elasticAdapter('elasticsearch').read(spec('elasticsearch'))
    const raw = docs.map((d) => JSON.stringify(d)).join('\n').length
    expect(reading.bytesMoved).toBeLessThan(raw / 2)
    expect(reading.result.requests.instances.reduce((n, i) => n + i.requests, 0)).toBe(docs.length)
    expect(reading.warnings).toEqual([])
  })

  it('429 with Retry-After is retried; a shard failure and a timeout are warnings, the counts stand', async () => {
    fake.next = ['429', 'shard-failure', 'timed-out']
    const reading = await elasticAdapter('elasticsearch').read(spec('elasticsearch'))
    expect(reading.result.requests.requests).toBe(docs.length)
    expect(reading.warnings).toEqual([expect.stringMatching(/1 of 2 shards failed \(node_not_connected_exception: .*\); counts are partial$/), expect.stringMatching(/timed out in the store; counts are partial$/)])
  })

  it('a store that keeps answering 429 is slow, in one line', async () => {
    fake.next = ['429', '429']
    const failure = await elasticAdapter('opensearch', { limits: { attempts: 2 } }).read(spec('opensearch')).catch((e: Error) => e)
    fake.next = []
    expect((failure as Error).message).toMatch(/^opensearch http:\/\/127\.0\.0\.1:\d+: sampling documents to map fields: HTTP 429, the store asks to come back later$/)
  })

  it('a bad query string is one clear line with the engine reason; an unknown index too', async () => {
    const bad = await elasticAdapter('elasticsearch').read(spec('elasticsearch', 'logs-shop-* status:>>')).catch((e: Error) => e)
    expect((bad as Error).message).toMatch(/^elasticsearch http:\/\/127\.0\.0\.1:\d+: sampling documents to map fields failed \(HTTP 400\): query_shard_exception: Failed to parse query \[status:>>\]$/)
    const missing = await elasticAdapter('elasticsearch').read(spec('elasticsearch', 'nope')).catch((e: Error) => e)
    expect((missing as Error).message).toMatch(/failed \(HTTP 404\): index_not_found_exception: no such index \[nope\]$/)
  })

  it('failing requests past one page come through a point in time and search_after, in order, and the point in time is closed', async () => {
    const onePage = await elasticAdapter('elasticsearch').read(spec('elasticsearch'))
    for (const kind of ['elasticsearch', 'opensearch'] as const) {
      fake.pits = []
      const paged = await elasticAdapter(kind, { limits: { pageSize: 100 } }).read(spec(kind))
      expect(paged.result.requests.failing.map((e) => [e.time, e.path])).toEqual(onePage.result.requests.failing.map((e) => [e.time, e.path]))
      expect(paged.result.requests.failing.length).toBeGreaterThan(300)
      expect(fake.pits).toEqual(kind === 'elasticsearch' ? ['open es', 'close {"id":"pit-es-1"}'] : ['open os', 'close {"pit_id":["pit-os-1"]}'])
    }
  })
})
