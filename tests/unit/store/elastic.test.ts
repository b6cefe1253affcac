/**
 * Elasticsearch/OpenSearch cannot be installed here: a loopback server (tests/support/fake-elastic.ts)
 * answers in the documented response shapes, evaluating the query DSL the adapter sends over the
 * scenario's documents held in memory, so the counts are true. `analyze` over the index
 * must reach the same verdict and counts as `analyze` over the same documents as a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { elasticAdapter } from '../../../electron/collect/store/elastic'
import type { StoreSourceSpec } from '../../../shared/contract'
import type { AnalysisV1 } from '../../../shared/contract/analysis'
import type { DeployEvent } from '../../../shared/model/evidence'
import { BUCKET } from '../../../shared/analysis/aggregate'
import { DEPLOY_AT, SCENARIO_MINUTES, SCENARIO_START, scenarioRows } from '../../support/store-scenario'
import { type Doc, type FakeElastic, type Mapping, startFakeElastic } from '../../support/fake-elastic'

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

const MAPPING: Mapping = {
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
    fake = await startFakeElastic('logs-shop-*', MAPPING, docs)
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

describe('Elasticsearch: a 7-day window', () => {
  const WEEK_START = Date.UTC(2026, 2, 3, 0, 0, 0)
  const WEEK_MS = 7 * 86_400_000
  /** Three seconds with a 5xx, each among requests that succeeded in that same second. */
  const FAILING = [WEEK_START + 2 * 86_400_000 + 3_723_000, WEEK_START + 2 * 86_400_000 + 3_724_000, WEEK_START + 5 * 86_400_000 + 41_017_000]
  let fake: FakeElastic
  let docs: Doc[]

  const request = (at: number, status: number, path: string): Doc => ({
    '@timestamp': new Date(at).toISOString(),
    http: { request: { method: 'GET' }, response: { status_code: status, body: { bytes: status === 200 ? 1830 : 150 } } },
    url: { path, original: path },
    host: { name: '10.0.3.14:8080' },
    source: { ip: '203.0.113.7' },
    user_agent: { original: 'okhttp/4.12.0' },
    event: { duration: 41_000_000 }
  })

  beforeAll(async () => {
    docs = []
    // A quiet service: one request every 50 s for a week, so nearly every minute holds one (10,080 minutes).
    for (let t = WEEK_START + 7_000; t < WEEK_START + WEEK_MS; t += 50_000) docs.push(request(t, 200, `/api/products/${10_000 + (t % 997)}`))
    for (const at of FAILING) for (let i = 0; i < 5; i++) docs.push(request(at + i * 100, i < 2 ? 500 : 200, '/api/orders/10417/invoice'))
    docs.sort((a, b) => String(a['@timestamp']).localeCompare(String(b['@timestamp'])))
    fake = await startFakeElastic('logs-shop-*', MAPPING, docs)
  })

  afterAll(async () => {
    await fake?.close()
  })

  it('moves minutes plus every second that had a 5xx, whole, in composite pages under search.max_buckets', async () => {
    const reading = await elasticAdapter('elasticsearch').read({ kind: 'elasticsearch', url: fake.url, query: 'logs-shop-*', from: WEEK_START, to: WEEK_START + WEEK_MS - 1, credential: { kind: 'none' } })
    expect(reading.warnings).toEqual([])
    const seconds = reading.result.requests.seconds
    const at = (t: number): number[] | undefined => seconds.find((r) => r[0] === t / 1000)
    for (const t of FAILING) {
      const row = at(t)
      expect(row?.[1 + BUCKET.total]).toBe(5)
      expect(row?.[1 + BUCKET.s5xx]).toBe(2)
      expect(row?.[1 + BUCKET.s500]).toBe(2)
    }
    // Every other row is a minute's: counts add up to the documents, none lost or counted twice.
    expect(seconds.filter((r) => r[0] % 60 !== 0).map((r) => r[0] * 1000)).toEqual(FAILING)
    expect(seconds.reduce((n, r) => n + r[1 + BUCKET.total], 0)).toBe(docs.length)
    expect(seconds.reduce((n, r) => n + r[1 + BUCKET.s5xx], 0)).toBe(6)
    expect(seconds.length).toBeGreaterThan(10_000)
    // One date_histogram of the week's minutes with their class filters would pass max_buckets: the pages did not.
    const pages = fake.bodies.filter((b) => JSON.stringify(b).includes('"composite"') && JSON.stringify(b).includes('"1m"'))
    expect(pages.length).toBeGreaterThan(1)
  })

  it('the engine refuses an answer past search.max_buckets, and the read says so in one line', async () => {
    fake.maxBuckets = 1000
    const failure = await elasticAdapter('elasticsearch').read({ kind: 'elasticsearch', url: fake.url, query: 'logs-shop-*', from: WEEK_START, to: WEEK_START + WEEK_MS - 1, credential: { kind: 'none' } }).catch((e: Error) => e)
    fake.maxBuckets = 65_536
    expect((failure as Error).message).toMatch(/failed \(HTTP 400\): too_many_buckets_exception: Trying to create too many buckets\. Must be less than or equal to: \[1000\] but was \[\d+\]\./)
  })
})
