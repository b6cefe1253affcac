import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EvidenceEvent, RequestEvent } from '../../../shared/model/evidence'
import { createParser, detectFormat, EventFolder, FORMAT_DEFINITIONS } from '../../../electron/collect/formats'
import { inferFieldMap } from '../../../electron/collect/formats/infer'
import { parseJsonRecord } from '../../../electron/collect/formats/json'
import { RecordMapper } from '../../../electron/collect/formats/records'
import formatTextAccess from '../../../electron/collect/formats/defs/text-access'

const FIXTURES = join(__dirname, '../../fixtures/logs/inferred')
const lines = (name: string): string[] => readFileSync(join(FIXTURES, name), 'utf8').split('\n').filter((l) => l !== '')
const jsonLines = (records: readonly object[]): string[] => records.map((r) => JSON.stringify(r))

/** Detection and reading as the app does; `without` leaves definitions out, to show what inference reads when none knows the format. */
function read(sample: readonly string[], without: readonly string[] = []): { format: string; events: EvidenceEvent[]; unparsed: number } {
  const detection = detectFormat(sample, FORMAT_DEFINITIONS.filter((d) => !without.includes(d.id)))
  const folder = new EventFolder(createParser(detection.format, detection.fieldMap))
  const items = sample.flatMap((line, i) => folder.push(line, i + 1, 0)).concat(folder.flush())
  const events = items.filter((item): item is EvidenceEvent => item.kind !== 'unparsed')
  return { format: detection.format, events, unparsed: items.length - events.length }
}

const requests = (events: readonly EvidenceEvent[]): RequestEvent[] => events.filter((e): e is RequestEvent => e.kind === 'request')

// Synthetic records (made up for these unit tests, not real logs).
const METHODS = ['GET', 'POST', 'GET', 'PUT', 'GET', 'DELETE']
const STATUSES = [200, 201, 404, 500, 503, 200]
function synthetic(fields: (i: number) => Record<string, unknown>): string[] {
  return jsonLines(Array.from({ length: 6 }, (_, i) => fields(i)))
}

describe('inferFieldMap: names and shapes per role (synthetic records)', () => {
  it('is null when most lines are neither JSON nor logfmt', () => {
    expect(inferFieldMap(['hello there', 'general kenobi', '{"a":1}'])).toBeNull()
    expect(inferFieldMap([])).toBeNull()
  })

  it('status by name: response_code holding statuses', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ response_code: STATUSES[i], verb: METHODS[i], target: `/a/${i}` })))
    expect(inferred?.map).toMatchObject({ status: 'response_code', method: 'verb', path: 'target' })
    expect(inferred?.family).toBe('access')
  })

  it('status by shape alone: an unnamed key of 100–599 integers in every record', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ rc: STATUSES[i], m: METHODS[i], p: `/x/${i}` })))
    expect(inferred?.map).toMatchObject({ status: 'rc', method: 'm', path: 'p' })
  })

  it('a key called status holding "ok"/"error" is not the HTTP status; a code key holding 500s is', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ status: i % 2 === 0 ? 'ok' : 'error', code: STATUSES[i], method: METHODS[i], path: '/p' })))
    expect(inferred?.map.status).toBe('code')
  })

  it('an id key of record numbers is not a status, nor a pid that happens to be in range', () => {
    const inferred = inferFieldMap(jsonLines(Array.from({ length: 12 }, (_, i) => ({ id: 101 + i, seq: 300 + i, pid: 321, msg: `step ${i} done`, level: 'info' }))))
    expect(inferred?.map.status).toBeUndefined()
    expect(inferred?.family).toBe('app')
    expect(inferred?.map).toMatchObject({ message: 'msg', level: 'level' })
  })

  it('a counter with no name is not a status even when its values are in range', () => {
    const inferred = inferFieldMap(jsonLines(Array.from({ length: 12 }, (_, i) => ({ n: 200 + i * 7, msg: 'tick tock' }))))
    expect(inferred?.map.status).toBeUndefined()
  })

  it('time by name and shape: Traefik-style StartUTC, epoch ms, CLF text', () => {
    expect(inferFieldMap(synthetic((i) => ({ StartUTC: `2024-03-01T12:00:0${i}Z`, msg: 'a b' })))?.map.time).toBe('StartUTC')
    expect(inferFieldMap(synthetic((i) => ({ started_at: 1709294400000 + i, msg: 'a b' })))?.map.time).toBe('started_at')
    expect(inferFieldMap(synthetic((i) => ({ when: `01/Mar/2024:12:00:0${i} +0000`, msg: 'a b' })))?.map.time).toBe('when')
  })

  it('a duration-named key of small numbers is a duration, not a time', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ ts: `2024-03-01T12:00:0${i}Z`, latency_ms: 10 + i, msg: 'served it' })))
    expect(inferred?.map).toMatchObject({ time: 'ts', duration: 'latency_ms:ms' })
    expect(inferred?.durationUnit).toBe('ms')
  })

  it('duration unit by name (Traefik Duration is ns, request_time s) and by magnitude', () => {
    const unit = (key: string, values: readonly number[]): string | null | undefined =>
      inferFieldMap(jsonLines(values.map((v, i) => ({ [key]: v, method: 'GET', path: '/x', status: STATUSES[i % 6] }))))?.durationUnit
    expect(unit('Duration', [100000, 24814, 486767])).toBe('ns')
    expect(unit('request_time', [0.012, 0.3, 1.5])).toBe('s')
    expect(unit('elapsed', [0.012, 0.3, 1.5])).toBe('s')
    expect(unit('elapsed', [12, 30, 150])).toBe('ms')
  })

  it('a numeric field with no duration name is not taken as a duration by shape', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ method: 'GET', path: '/x', status: 200, retries: i })))
    expect(inferred?.map.duration).toBeUndefined()
  })

  it('client by IP shape, agent by UA shape, request id by unique UUIDs', () => {
    const inferred = inferFieldMap(synthetic((i) => ({
      peer: `10.0.0.${i + 1}`,
      browser: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0',
      xid: `0432d33a-0ffb-94fc-98fc-b9b322d5eaa${i}`,
      msg: 'request served'
    })))
    expect(inferred?.map).toMatchObject({ client: 'peer', agent: 'browser', requestId: 'xid' })
  })

  it('a repeated id is not a request id by shape', () => {
    const inferred = inferFieldMap(synthetic(() => ({ xid: '0432d33a-0ffb-94fc-98fc-b9b322d5eaa3', msg: 'hello world' })))
    expect(inferred?.map.requestId).toBeUndefined()
  })

  it('instance needs a name: upstream_host with host:port values; a bare hostname field is not taken', () => {
    expect(inferFieldMap(synthetic((i) => ({ upstream_host: `10.244.1.${i}:8080`, msg: 'a b' })))?.map.instance).toBe('upstream_host')
    expect(inferFieldMap(synthetic(() => ({ box: 'web-1.internal', msg: 'a b' })))?.map.instance).toBeUndefined()
  })

  it('level words and bunyan numbers, never a count', () => {
    expect(inferFieldMap(synthetic((i) => ({ sev: ['info', 'warn', 'error'][i % 3], msg: 'a b' })))?.map.level).toBe('sev')
    expect(inferFieldMap(synthetic(() => ({ level: 30, msg: 'a b' })))?.map.level).toBe('level')
    expect(inferFieldMap(synthetic((i) => ({ response_duration: String(10 + i), msg: 'a b' })))?.map.level).toBeUndefined()
  })

  it('message: the longest free-text field when no name says so', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ kind: 'x', note: `payment ${i} failed after three retries`, tag: 'a b' })))
    expect(inferred?.map.message).toBe('note')
  })

  it('error type and stack by OTel names (exception.type, exception.stacktrace)', () => {
    const inferred = inferFieldMap(synthetic((i) => ({
      body: 'charge failed',
      'exception.type': 'java.lang.IllegalStateException',
      'exception.stacktrace': `java.lang.IllegalStateException: boom ${i}\n\tat a.B.c(B.java:1)`,
      'service.version': '1.4.2'
    })))
    expect(inferred?.map).toMatchObject({ errorType: 'exception.type', stack: 'exception.stacktrace', version: 'service.version', message: 'body' })
  })

  it('OTel HTTP semantic conventions, nested or flat', () => {
    const inferred = inferFieldMap(synthetic((i) => ({
      'http.request.method': METHODS[i],
      url: { path: `/v1/items/${i}` },
      'http.response.status_code': STATUSES[i],
      'k8s.pod.name': 'checkout-7d9f8b6c5d-x2x9q'
    })))
    expect(inferred?.map).toMatchObject({ method: 'http.request.method', path: 'url.path', status: 'http.response.status_code', instance: 'k8s.pod.name' })
  })

  it('never one key for two roles, and a bounded sample', () => {
    const inferred = inferFieldMap(synthetic((i) => ({ status: STATUSES[i], method: METHODS[i], path: '/x' })))
    const keys = inferred?.judged.map((j) => j.key) ?? []
    expect(new Set(keys).size).toBe(keys.length)
    const many = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ status: 200, method: 'GET', path: `/x/${i}` }))
    many.push('not json at all')
    expect(inferFieldMap(many)?.family).toBe('access')
  })

  it('logfmt without level or msg keys (Heroku router style, synthetic)', () => {
    const sample = Array.from({ length: 4 }, (_, i) =>
      `at=info method=${METHODS[i]} path="/apps/${i}" host=example.herokuapp.com fwd="10.1.2.${i}" dyno=web.1 connect=1ms service=${12 + i}ms status=${STATUSES[i]} bytes=${300 + i}`)
    const inferred = inferFieldMap(sample)
    expect(inferred?.map).toMatchObject({ method: 'method', path: 'path', status: 'status', client: 'fwd', instance: 'dyno', level: 'at' })
    expect(inferred?.map.duration).toBe('service:ms')
  })
})

describe('inferred maps on real records', () => {
  it('Traefik JSON (elastic/integrations test log): json-access with every request read, Duration in ns', () => {
    const sample = lines('traefik.jsonl')
    const inferred = inferFieldMap(sample)
    expect(inferred?.map).toMatchObject({ status: 'DownstreamStatus', method: 'RequestMethod', path: 'RequestPath', duration: 'Duration:ns', upstreamStatus: 'OriginStatus', agent: 'request_User-Agent' })
    // traefik-json reads this file by definition; without it, inference must read it all the same.
    expect(read(sample).format).toBe('traefik-json')
    const { format, events, unparsed } = read(sample, ['traefik-json'])
    expect(format).toBe('json-access')
    expect(unparsed).toBe(0)
    const reqs = requests(events)
    expect(reqs).toHaveLength(sample.length)
    expect(reqs[0]).toMatchObject({ method: 'GET', path: '/', status: 200, durationMs: 0.1, userAgent: 'curl/7.64.1', upstreamStatus: 200 })
    expect(reqs[2]).toMatchObject({ path: '/foo/bar/baz.php', status: 404, instance: '10.10.10.40:1234', time: Date.parse('2024-02-02T17:07:08Z') })
  })

  it('Istio/Envoy JSON access records with string values: json-access, status ← response_code', () => {
    const sample = lines('istio-envoy.jsonl')
    expect(detectFormat(sample)).toMatchObject({ format: 'json-access', fieldMap: { status: 'response_code', time: 'start_time', instance: 'upstream_host', requestId: 'request_id' } })
    const { events } = read(sample)
    const reqs = requests(events)
    expect(reqs.map((r) => r.status)).toEqual([200, 200, 503, 503])
    expect(reqs[2]).toMatchObject({ path: '/status/503', durationMs: 56, instance: '10.244.2.11:8080', time: Date.parse('2025-12-28T12:47:37.317Z') })
  })

  it('Kong file-log record: nested request/response/latencies', () => {
    const sample = lines('kong-file-log.jsonl')
    const inferred = inferFieldMap(sample)
    expect(inferred?.map).toMatchObject({ status: 'response.status', method: 'request.method', path: 'request.uri', duration: 'latencies.request:ms', client: 'client_ip', time: 'started_at' })
    const reqs = requests(read(sample).events)
    expect(reqs[0]).toMatchObject({ path: '/get', status: 200, durationMs: 1921, client: '127.0.0.1', time: 1433209822425 })
  })

  it('GCP load balancer records: httpRequest.*', () => {
    const sample = lines('gcp-load-balancer.jsonl')
    expect(inferFieldMap(sample)?.map).toMatchObject({ status: 'httpRequest.status', method: 'httpRequest.requestMethod', path: 'httpRequest.requestUrl', agent: 'httpRequest.userAgent', level: 'severity' })
    const reqs = requests(read(sample).events)
    expect(reqs).toHaveLength(2)
    expect(reqs[1]).toMatchObject({ path: '/static/us/three-cats.jpg', status: 304, client: '89.160.20.156:9989' })
  })
})

describe('a field map given to the parser', () => {
  it('reads the mapped key first and keeps the common names for the rest', () => {
    const mapper = new RecordMapper({ status: 'response_code', duration: 'Duration:ns' })
    const record = parseJsonRecord('{"time":"2024-03-01T12:00:00Z","method":"GET","path":"/x","response_code":"502","Duration":2500000,"request_id":"r1"}')
    expect(record).not.toBeNull()
    expect(mapper.toEvent(record ?? {}, 1, 0)).toMatchObject({ kind: 'request', status: 502, durationMs: 2.5, requestId: 'r1', time: Date.parse('2024-03-01T12:00:00Z') })
  })

  it('a mapped key whose value does not convert falls back to the common names', () => {
    const record = parseJsonRecord('{"method":"GET","path":"/x","status":200,"rc":"n/a"}') ?? {}
    expect(new RecordMapper({ status: 'rc' }).toEvent(record, 1, 0)).toMatchObject({ kind: 'request', status: 200 })
  })

  it('a mapped request line gives the method and path', () => {
    const record = parseJsonRecord('{"RequestLine":"POST /api/v1/orders HTTP/1.1","code":201,"ts":1709294400}') ?? {}
    expect(new RecordMapper({ request: 'RequestLine', status: 'code' }).toEvent(record, 1, 0)).toMatchObject({ kind: 'request', method: 'POST', path: '/api/v1/orders', status: 201 })
  })
})

describe('text-access: request lines no definition knows', () => {
  const parse = (line: string): EvidenceEvent | null => formatTextAccess.create().parse(line, 1, 0)

  it('reads Envoy default-format lines (elastic/integrations test log)', () => {
    const sample = lines('envoy-default.log')
    // The envoy definition reads these; without it, the generic text access reading must.
    expect(read(sample).format).toBe('envoy')
    const { format, events, unparsed } = read(sample, ['envoy'])
    expect(format).toBe('text-access')
    expect(unparsed).toBe(0)
    expect(requests(events).map((r) => [r.method, r.path, r.status])).toEqual([['GET', '/service/1', 200], ['GET', '/elastic', 404], ['GET', '/elastic/', 301]])
  })

  it('reads a custom nginx log_format with the time after the request (synthetic lines)', () => {
    const line = '10.0.0.7 api.example.com "GET /api/items/42?x=1 HTTP/1.1" 503 512 0.120 upstream=10.1.0.5:8080 time=2024-03-01T12:00:00+02:00'
    expect(parse(line)).toMatchObject({ kind: 'request', method: 'GET', path: '/api/items/42?x=1', status: 503, client: '10.0.0.7', time: Date.parse('2024-03-01T10:00:00Z') })
  })

  it('reads an unquoted method and path followed by a status, with syslog or epoch times (synthetic lines)', () => {
    expect(parse('Mar  1 12:00:00 web1 app[42]: POST /login 401 3ms')).toMatchObject({ method: 'POST', path: '/login', status: 401 })
    expect(parse('1709294400.123 GET /health status=200')).toMatchObject({ method: 'GET', path: '/health', status: 200, time: 1709294400123 })
    expect(parse('2024-03-01 12:00:00,123 INFO "GET /v2/servers HTTP/1.1" status: 200 len: 1893 time: 0.24')).toMatchObject({ status: 200, path: '/v2/servers' })
  })

  it('needs a request, a status and a time', () => {
    expect(parse('2024-03-01T12:00:00Z GET /x')).toBeNull()
    expect(parse('"GET /x HTTP/1.1" 200 12')).toBeNull()
    expect(parse('2024-03-01T12:00:00Z user got 200 apples')).toBeNull()
  })

  it('does not take nginx combined lines from their own definition', () => {
    expect(detectFormat(['1.2.3.4 - - [01/Mar/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "curl/8"']).format).toBe('nginx-combined')
  })
})
