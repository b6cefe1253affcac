/**
 * OpenTelemetry logs read as first-class formats: the collector's OTLP JSON export (a real one,
 * from opentelemetry-proto, with exact counts) and the flat OTel-keyed JSON records SDKs write.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLogFiles } from '../../../electron/collect/read-files'
import { detectFormat } from '../../../electron/collect/formats'
import { hasSharedData, repoRoot, sharedData } from '../../support/shared-data'

const REAL = path.join(repoRoot, 'tests', 'fixtures', 'otel', 'proto-example-logs.jsonl')

function tmpFile(name: string, lines: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 't500-otel-'))
  const file = path.join(dir, name)
  writeFileSync(file, lines.join('\n') + '\n')
  return file
}

const attr = (key: string, value: Record<string, unknown>): Record<string, unknown> => ({ key, value })
const str = (key: string, v: string): Record<string, unknown> => attr(key, { stringValue: v })

/** One collector export line: `records` under one resource. */
function exportLine(resource: Record<string, unknown>[], records: Record<string, unknown>[]): string {
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: resource }, scopeLogs: [{ scope: { name: 'io.opentelemetry.sdk' }, logRecords: records }] }] })
}

describe('OTLP JSON (collector file exporter)', () => {
  it('reads the real opentelemetry-proto example export with exact counts', async () => {
    const [reading] = await readLogFiles([REAL])
    const r = reading.result
    expect(r.format).toBe('otlp-json')
    expect(r.lines).toBe(1)
    expect(r.events).toBe(1)
    expect(r.unparsed).toBe(0)
    expect(r.timeFrom).toBe(Date.parse('2018-12-13T14:51:00.300Z'))
  })

  it('expands one export line into one event per record, counted once as a line', async () => {
    const ok = (n: number): Record<string, unknown> => ({
      timeUnixNano: String(Date.parse('2024-03-01T12:00:00Z') * 1e6 + n * 1e9),
      severityNumber: 9,
      body: { stringValue: `GET /api/items/${n} 200` },
      attributes: [str('http.request.method', 'GET'), str('url.path', `/api/items/${n}`), attr('http.response.status_code', { intValue: '200' })]
    })
    const failed = {
      timeUnixNano: String(Date.parse('2024-03-01T12:00:30Z') * 1e6),
      severityNumber: 17,
      severityText: 'ERROR',
      body: { stringValue: 'Unhandled exception' },
      attributes: [str('exception.type', 'System.InvalidOperationException'), str('exception.message', 'Sequence contains no elements'),
        str('exception.stacktrace', 'System.InvalidOperationException: Sequence contains no elements\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\n   at Shop.Api.Controllers.CartController.Get(Int32 id) in /src/Shop.Api/Controllers/CartController.cs:line 41')]
    }
    const resource = [str('service.name', 'shop-api'), str('service.version', '2024.03.1'), str('k8s.pod.name', 'shop-api-6f8d9-abcde')]
    const file = tmpFile('otel.jsonl', [
      exportLine(resource, [ok(1), ok(2), ok(3), failed]),
      exportLine(resource, [ok(4)]),
      'not json at all'
    ])
    const [reading] = await readLogFiles([file])
    const r = reading.result
    expect(r.format).toBe('otlp-json')
    expect(r.lines).toBe(3)
    expect(r.events).toBe(5)
    expect(r.unparsed).toBe(1)
    expect(r.requests.requests).toBe(4)
    expect(r.errorGroups).toHaveLength(1)
    expect(r.errorGroups[0]).toMatchObject({ type: 'System.InvalidOperationException', count: 1 })
    // service.version reached the lifecycle the deploys from logs are derived from.
    expect(r.lifecycle.runs.map((run) => run.version)).toContain('2024.03.1')
    expect(r.lifecycle.runs[0].instance).toBe('shop-api-6f8d9-abcde')
  })
})

describe.skipIf(!hasSharedData)('OTLP JSON from the research data', () => {
  it('lnav/logfile_otel_collector.jsonl: 6 export lines, 11 records, all read', async () => {
    const [reading] = await readLogFiles([sharedData('lnav', 'logfile_otel_collector.jsonl')])
    const r = reading.result
    expect(r.format).toBe('otlp-json')
    expect(r.lines).toBe(6)
    expect(r.events).toBe(11)
    expect(r.unparsed).toBe(0)
    // ERROR and FATAL records are the errors (the FATAL one is an out-of-memory failure).
    expect(r.errorEventsSeen).toBe(2)
  })
})

describe('flat OTel-keyed JSON app logs', () => {
  const lines = [
    '{"timestamp":"2024-03-01T12:00:00.000Z","severity_text":"INFO","body":"GET /api/carts/7","attributes":{"http.request.method":"GET","url.path":"/api/carts/7","http.response.status_code":200},"resource":{"service.name":"cart","service.version":"1.4.2","k8s.pod.name":"cart-5c9b7-q8k2m"}}',
    '{"timestamp":"2024-03-01T12:00:01.000Z","severity_text":"ERROR","body":"checkout failed","trace_id":"0af7651916cd43dd8448eb211c80319c","attributes":{"exception.type":"ValueError","exception.message":"invalid literal for int() with base 10: \'x\'","exception.stacktrace":"Traceback (most recent call last):\\n  File \\"/app/cart/views.py\\", line 31, in checkout\\n    qty = int(request.GET[\\"qty\\"])\\nValueError: invalid literal for int() with base 10: \'x\'"},"resource":{"service.name":"cart","service.version":"1.4.2","k8s.pod.name":"cart-5c9b7-q8k2m"}}',
    '{"timestamp":"2024-03-01T12:00:02.000Z","severity_number":13,"body":"slow query","attributes":{"db.system":"postgresql"},"resource":{"attributes":{"service.name":"cart","host.name":"node-3"}}}'
  ]

  it('reads requests, errors with their stack, instance and version from attributes and resource', async () => {
    const [reading] = await readLogFiles([tmpFile('app.jsonl', lines)])
    const r = reading.result
    expect(r.format).toMatch(/^json-(app|access)$/)
    expect(r.lines).toBe(3)
    expect(r.events).toBe(3)
    expect(r.unparsed).toBe(0)
    expect(r.requests.requests).toBe(1)
    expect(r.errorGroups[0]).toMatchObject({ type: 'ValueError', count: 1 })
    expect(r.lifecycle.runs[0]).toMatchObject({ instance: 'cart-5c9b7-q8k2m', version: '1.4.2' })
  })

  it('dotted keys at the top level read the same', () => {
    const detection = detectFormat([
      '{"time":"2024-03-01T12:00:00Z","severity_text":"WARN","body":"retrying","service.version":"1.4.2","k8s.pod.name":"cart-1"}',
      '{"time":"2024-03-01T12:00:01Z","severity_text":"ERROR","body":"gave up","exception.type":"TimeoutError","service.version":"1.4.2","k8s.pod.name":"cart-1"}'
    ])
    expect(detection.format).toBe('json-app')
    // Inference must not take the OTel keys for something else (the body is the message, severity the level).
    expect(detection.fieldMap).toMatchObject({ message: 'body', level: 'severity_text', version: 'service.version', instance: 'k8s.pod.name', errorType: 'exception.type' })
  })
})
