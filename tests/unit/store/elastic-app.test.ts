/**
 * An application-log index in Elasticsearch/OpenSearch (a loopback fake that evaluates the query
 * DSL over the documents: tests/support/fake-elastic.ts). A generated incident (not real logs) in
 * the shape a Spring Boot app writes through co.elastic.logging's logback EcsEncoder (flat dotted
 * keys, `host.name` added by the shipper) under the ECS index template's types (`message` is
 * match_only_text, `error.stack_trace` wildcard): three pods run v2.7.3, a rolling deploy brings
 * v2.8.0 (new pods logging Spring's banners), and the new pods throw a NullPointerException that
 * was never seen before; a payment-gateway timeout and a Kafka publish failure hum along.
 * `analyze` over the index must give the same verdict, deploys, groups and counts as over the
 * same documents as a file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { elasticAdapter } from '../../../electron/collect/store/elastic'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { BUCKET } from '../../../shared/analysis/aggregate'
import { BANNERS } from '../../../shared/analysis/deploys/banners'
import { LIFECYCLE_WORDS } from '../../../shared/analysis/deploys/lifecycle'
import { MIGRATIONS } from '../../../shared/analysis/deploys/migrations'
import type { StoreSourceSpec } from '../../../shared/contract'
import type { AnalysisSnapshot } from '../../../shared/contract/analysis'
import { type Doc, type FakeElastic, type Mapping, startFakeElastic } from '../../support/fake-elastic'

const START = Date.UTC(2026, 2, 10, 14, 0, 0)
const MINUTES = 20
const DEPLOY_AT = START + 12 * 60_000

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

const NPE_STACK = [
  'java.lang.NullPointerException: Cannot invoke "com.shop.billing.TaxRate.apply(java.math.BigDecimal)" because "rate" is null',
  '\tat com.shop.billing.InvoiceService.render(InvoiceService.java:88)',
  '\tat com.shop.orders.OrderController.invoice(OrderController.java:142)',
  '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)'
].join('\n')
const TIMEOUT_STACK = [
  'java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
  '\tat com.shop.payments.GatewayClient.capture(GatewayClient.java:57)',
  '\tat com.shop.orders.CheckoutService.pay(CheckoutService.java:119)'
].join('\n')

const OLD = ['shop-api-6c8f7d9b5-kx7pq', 'shop-api-6c8f7d9b5-w2n4d', 'shop-api-6c8f7d9b5-zr9tb']
const NEW = ['shop-api-7d9f8b6c4-x2kqp', 'shop-api-7d9f8b6c4-m8wzt', 'shop-api-7d9f8b6c4-q4hjn']

/** What EcsEncoder writes for one event (its own keys, flat), with the shipper's host.name. */
function ecs(at: number, host: string, version: string, level: string, logger: string, message: string, error?: { type: string; message: string; stack: string }): Doc {
  return {
    '@timestamp': new Date(at).toISOString(),
    'log.level': level,
    message,
    'ecs.version': '1.2.0',
    'service.name': 'shop-api',
    'service.version': version,
    'event.dataset': 'shop-api',
    'process.thread.name': level === 'INFO' && logger === 'com.shop.ShopApplication' ? 'main' : `http-nio-8080-exec-${1 + Math.floor(at / 7) % 20}`,
    'log.logger': logger,
    ...(error ? { 'error.type': error.type, 'error.message': error.message, 'error.stack_trace': error.stack } : {}),
    'host.name': host
  }
}

function appDocs(): Doc[] {
  const random = prng(41)
  const docs: Doc[] = []
  const end = START + MINUTES * 60_000
  NEW.forEach((host, i) => {
    const boot = DEPLOY_AT + i * 40_000
    docs.push(ecs(boot, host, '2.8.0', 'INFO', 'com.shop.ShopApplication', 'Starting ShopApplication v2.8.0 using Java 17.0.10 with PID 1 (/app/app.jar started by app in /app)'))
    docs.push(ecs(boot + 7412, host, '2.8.0', 'INFO', 'com.shop.ShopApplication', 'Started ShopApplication in 7.412 seconds (process running for 8.023)'))
  })
  for (let second = START; second < end; second += 1000) {
    for (let i = 0; i < 3; i++) {
      const ready = DEPLOY_AT + i * 40_000 + 8000
      const [host, version] = second < ready ? [OLD[i], '2.7.3'] : [NEW[i], '2.8.0']
      const at = second + Math.floor(random() * 1000)
      const pick = random()
      if (version === '2.8.0' && pick < 0.35) {
        docs.push(ecs(at, host, version, 'ERROR', 'org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]',
          'Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.NullPointerException] with root cause',
          { type: 'java.lang.NullPointerException', message: 'Cannot invoke "com.shop.billing.TaxRate.apply(java.math.BigDecimal)" because "rate" is null', stack: NPE_STACK }))
      } else {
        const other = random()
        if (other < 0.02) {
          const order = 10_000 + Math.floor(random() * 5000)
          docs.push(ecs(at, host, version, 'ERROR', 'com.shop.orders.CheckoutService', `Payment capture failed for order ${order}: gateway did not answer within 3000 ms`, { type: 'java.net.SocketTimeoutException', message: 'Read timed out', stack: TIMEOUT_STACK }))
        } else if (other < 0.03) {
          docs.push(ecs(at, host, version, 'ERROR', 'com.shop.events.OrderEventPublisher', `Failed to publish OrderPlaced for order ${10_000 + Math.floor(random() * 5000)} to topic orders.v1 after 3 attempts`))
        }
      }
      // The bulk: the request filter's INFO lines.
      for (let k = 0; k < 3; k++) {
        if (random() < 0.8) docs.push(ecs(second + Math.floor(random() * 1000), host, version, 'INFO', 'com.shop.web.RequestLoggingFilter', `Completed GET /api/products/${10_000 + Math.floor(random() * 5000)} in ${5 + Math.floor(random() * 40)} ms`))
      }
    }
  }
  return docs.sort((a, b) => String(a['@timestamp']).localeCompare(String(b['@timestamp'])))
}

/** The ECS index template's types for these fields (ES 8: message match_only_text, error.stack_trace wildcard). */
const MAPPING: Mapping = {
  '.ds-logs-shop-api-default-2026.03.10-000001': {
    mappings: {
      properties: {
        '@timestamp': { type: 'date' },
        message: { type: 'match_only_text' },
        ecs: { properties: { version: { type: 'keyword' } } },
        service: { properties: { name: { type: 'keyword' }, version: { type: 'keyword' } } },
        event: { properties: { dataset: { type: 'keyword' } } },
        process: { properties: { thread: { properties: { name: { type: 'keyword' } } } } },
        log: { properties: { level: { type: 'keyword' }, logger: { type: 'keyword' } } },
        error: { properties: { type: { type: 'keyword' }, message: { type: 'match_only_text' }, stack_trace: { type: 'wildcard', fields: { text: { type: 'match_only_text' } } } } },
        host: { properties: { name: { type: 'keyword' } } }
      }
    }
  }
}

const PATTERN = 'logs-shop-api-*'
const window = { from: START, to: START + MINUTES * 60_000 - 1 }

/** What must agree between files and the index. */
function essentials(s: AnalysisSnapshot): unknown {
  const v1 = s.v1
  return {
    verdict: v1.verdict?.playbook ?? null,
    suspectDeploy: v1.suspectDeploy,
    deploys: s.deploys,
    instance: v1.instance,
    errorGroups: v1.errorGroups.map((g) => ({ id: g.id, type: g.type, message: g.message, count: g.count, firstSeen: g.firstSeen, lastSeen: g.lastSeen, endpoints: g.endpoints, newSinceDeploy: g.newSinceDeploy })),
    appErrors: s.timeline.buckets.map((b) => b.appErrors),
    groupDetails: s.groupDetails,
    sources: v1.sources.map((x) => ({ format: x.format, events: x.events, unparsed: x.unparsed }))
  }
}

describe('Elasticsearch / OpenSearch application-log index', () => {
  const docs = appDocs()
  let fake: FakeElastic
  let dir: string
  let fromFile: AnalysisSnapshot

  beforeAll(async () => {
    fake = await startFakeElastic(PATTERN, MAPPING, docs)
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-elastic-app-'))
    const file = path.join(dir, 'shop-api.json')
    writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n')
    fromFile = (await analyzeOnce({ paths: [file], format: null, fieldMap: null, deploys: [], health: [] })).snapshot
  }, 120_000)

  afterAll(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const spec = (kind: 'elasticsearch' | 'opensearch'): StoreSourceSpec & { to: number } => ({ kind, url: fake.url, query: PATTERN, ...window, credential: { kind: 'none' } })

  it('the documents as a file show the incident: a deploy from the logs and a new exception after it', () => {
    expect(fromFile.v1.verdict?.playbook).toBe('rollback')
    expect(fromFile.deploys.map((d) => [d.version, d.previousVersion])).toEqual([['2.8.0', '2.7.3']])
    const npe = fromFile.v1.errorGroups.find((g) => g.type === 'java.lang.NullPointerException')
    expect(npe?.newSinceDeploy).toBe(true)
    expect(fromFile.v1.errorGroups.length).toBeGreaterThanOrEqual(3)
    expect(Object.values(fromFile.groupDetails).some((d) => d.buckets.filter((n) => n > 0).length > 1 && d.versions.length > 0)).toBe(true)
  })

  it('the index gives the same verdict, deploys, groups and counts as the file, for both kinds', async () => {
    for (const kind of ['elasticsearch', 'opensearch'] as const) {
      const { snapshot } = await analyzeOnce({ paths: [], stores: [spec(kind)], format: null, fieldMap: null, deploys: [], health: [] })
      expect(essentials(snapshot)).toEqual(essentials(fromFile))
    }
  })

  it('the engine counts: errors per second and per instance, versions; only one document per distinct error and the error documents move', async () => {
    const reading = await elasticAdapter('elasticsearch').read(spec('elasticsearch'))
    const errors = docs.filter((d) => d['log.level'] === 'ERROR')
    const r = reading.result
    expect(reading.warnings).toEqual([])
    expect(r.appEvents).toBe(docs.length)
    expect(r.errorEventsSeen).toBe(errors.length)
    expect(r.requests.seconds.reduce((n, row) => n + row[1 + BUCKET.appErrors], 0)).toBe(errors.length)
    const perInstance = Object.fromEntries(r.requests.instances.map((i) => [i.name, [i.appEvents, i.appErrors]]))
    for (const host of [...OLD, ...NEW]) expect(perInstance[host]).toEqual([docs.filter((d) => d['host.name'] === host).length, errors.filter((d) => d['host.name'] === host).length])
    expect(r.lifecycle.runs.map((x) => [x.instance, x.version])).toEqual(expect.arrayContaining([[NEW[0], '2.8.0'], [OLD[0], '2.7.3']]))
    expect(r.lifecycle.starts.map((s) => [s.instance, s.version])).toEqual(NEW.map((h) => [h, '2.8.0']))
    // No document of the bulk (INFO request lines) moves: only error documents, one per distinct error, the first of each version and the banners.
    const raw = docs.map((d) => JSON.stringify(d)).join('\n').length
    const errorBytes = errors.map((d) => JSON.stringify(d)).join('\n').length
    console.log(`app index: ${raw} bytes of documents, ${errorBytes} of them errors; ${reading.bytesMoved} bytes moved`)
    // Beyond the error documents themselves (all of them: fewer than the bound), under a tenth of the index moves.
    expect(reading.bytesMoved).toBeLessThan(errorBytes + raw * 0.1)
  })

  it('past the error bound, the first, the newest and a spread of error documents are fetched, and every error still counted', async () => {
    const errors = docs.filter((d) => d['log.level'] === 'ERROR')
    const reading = await elasticAdapter('opensearch', { limits: { errorRows: 150, pageSize: 30 } }).read(spec('opensearch'))
    const times = reading.result.errorEvents.map((e) => e.time)
    const all = errors.map((d) => Date.parse(String(d['@timestamp'])))
    expect(times.slice(0, 50)).toEqual(all.slice(0, 50))
    expect(times.slice(-50)).toEqual(all.slice(-50))
    // The middle of the window is sampled too: every minute that had an error has one in the sample.
    const minutes = (list: (number | null)[]): number[] => [...new Set(list.map((t) => Math.floor((t ?? 0) / 60_000)))]
    expect(minutes(times)).toEqual(minutes(all))
    expect(times).toEqual([...times].sort((a, b) => (a ?? 0) - (b ?? 0)))
    expect(times.length).toBeLessThanOrEqual(150)
    expect(reading.result.errorEventsSeen).toBe(errors.length)
    expect(reading.warnings).toEqual([expect.stringMatching(new RegExp(`: ${times.length} of ${errors.length} error documents fetched \\(the first, the newest and a spread over the window\\); every one is counted$`))])
  })

  it('a shard failure and a timeout are warnings on an app-log index too; the counts stand', async () => {
    fake.next = ['shard-failure', 'timed-out']
    const reading = await elasticAdapter('elasticsearch').read(spec('elasticsearch'))
    expect(reading.result.appEvents).toBe(docs.length)
    expect(reading.warnings).toEqual([expect.stringMatching(/1 of 2 shards failed \(node_not_connected_exception: .*\); counts are partial$/), expect.stringMatching(/timed out in the store; counts are partial$/)])
  })

  it('a store is asked for the lifecycle lines by words every banner and migration sample holds', () => {
    const words = new Set<string>(LIFECYCLE_WORDS)
    const tokens = (text: string): string[] => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((t) => t !== '')
    for (const sample of [...BANNERS.map((b) => b.sample), ...MIGRATIONS.map((m) => m.sample)]) expect({ sample, hit: tokens(sample).some((t) => words.has(t)) }).toEqual({ sample, hit: true })
  })
})

/**
 * A Django app through ecs-logging-python's StdlibFormatter (flat `log.level`, nested `log.origin`
 * and `error`), gunicorn workers on two hosts: v1.42.0 replaces v1.41.0 and `/api/orders/:id/invoice`
 * starts raising ZeroDivisionError; a payment provider's timeouts are logged with no exception (only
 * the logger and the code location tell them apart: `message` is match_only_text).
 */
function djangoDocs(): Doc[] {
  const random = prng(7)
  const docs: Doc[] = []
  const hosts = ['web-1.shop.internal', 'web-2.shop.internal']
  const doc = (at: number, host: string, version: string, level: string, logger: string, origin: [string, string, number], message: string, error?: Doc): Doc => ({
    '@timestamp': new Date(at).toISOString(),
    'log.level': level,
    message,
    'ecs.version': '1.6.0',
    log: { logger, origin: { file: { name: origin[0], line: origin[2] }, function: origin[1] } },
    process: { name: 'MainProcess', pid: 41, thread: { id: 140_231_234, name: 'MainThread' } },
    service: { name: 'shop', version },
    host: { name: host },
    ...(error ? { error } : {})
  })
  const trace = (id: number): string =>
    ['Traceback (most recent call last):', '  File "/app/.venv/lib/python3.12/site-packages/django/core/handlers/exception.py", line 55, in inner', '    response = get_response(request)',
      '  File "/app/shop/orders/views.py", line 88, in invoice', `    share = order.total / order.tax_lines.count()  # order ${id}`, 'ZeroDivisionError: division by zero'].join('\n')
  for (let second = START; second < START + MINUTES * 60_000; second += 1000) {
    hosts.forEach((host, i) => {
      const version = second < DEPLOY_AT + i * 60_000 ? '1.41.0' : '1.42.0'
      const at = second + Math.floor(random() * 1000)
      const pick = random()
      if (version === '1.42.0' && pick < 0.3) {
        const id = 10_000 + Math.floor(random() * 5000)
        docs.push(doc(at, host, version, 'error', 'django.request', ['log.py', 'log_response', 241], `Internal Server Error: /api/orders/${id}/invoice`, { type: 'ZeroDivisionError', message: 'division by zero', stack_trace: trace(id) }))
      } else if (pick < 0.33) docs.push(doc(at, host, version, 'error', 'shop.payments', ['gateway.py', 'capture', 117], `Payment provider did not answer for order ${10_000 + Math.floor(random() * 5000)} after 5.0 s`))
      if (random() < 0.9) docs.push(doc(second + Math.floor(random() * 1000), host, version, 'info', 'shop.access', ['middleware.py', '__call__', 32], `GET /api/products/${10_000 + Math.floor(random() * 5000)} 200`))
    })
  }
  return docs.sort((a, b) => String(a['@timestamp']).localeCompare(String(b['@timestamp'])))
}

const DJANGO_MAPPING: Mapping = {
  '.ds-logs-shop-django-default-2026.03.10-000001': {
    mappings: {
      properties: {
        '@timestamp': { type: 'date' },
        message: { type: 'match_only_text' },
        ecs: { properties: { version: { type: 'keyword' } } },
        log: { properties: { level: { type: 'keyword' }, logger: { type: 'keyword' }, origin: { properties: { file: { properties: { name: { type: 'keyword' }, line: { type: 'long' } } }, function: { type: 'keyword' } } } } },
        process: { properties: { name: { type: 'keyword' }, pid: { type: 'long' }, thread: { properties: { id: { type: 'long' }, name: { type: 'keyword' } } } } },
        service: { properties: { name: { type: 'keyword' }, version: { type: 'keyword' } } },
        host: { properties: { name: { type: 'keyword' } } },
        error: { properties: { type: { type: 'keyword' }, message: { type: 'match_only_text' }, stack_trace: { type: 'wildcard' } } }
      }
    }
  }
}

describe('Elasticsearch: a Django ECS index', () => {
  const docs = djangoDocs()
  let fake: FakeElastic
  let dir: string

  beforeAll(async () => {
    fake = await startFakeElastic('logs-shop-django-*', DJANGO_MAPPING, docs)
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-elastic-django-'))
  })

  afterAll(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('gives the same verdict, deploys, groups and counts as the same documents as a file', async () => {
    const file = path.join(dir, 'shop-django.json')
    writeFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n')
    const fromFile = (await analyzeOnce({ paths: [file], format: null, fieldMap: null, deploys: [], health: [] })).snapshot
    expect(fromFile.deploys.map((d) => [d.version, d.previousVersion])).toEqual([['1.42.0', '1.41.0']])
    expect(fromFile.v1.errorGroups.map((g) => g.type)).toEqual(expect.arrayContaining(['ZeroDivisionError']))
    const { snapshot } = await analyzeOnce({ paths: [], stores: [{ kind: 'elasticsearch', url: fake.url, query: 'logs-shop-django-*', ...window, credential: { kind: 'none' } }], format: null, fieldMap: null, deploys: [], health: [] })
    expect(essentials(snapshot)).toEqual(essentials(fromFile))
  })
})
