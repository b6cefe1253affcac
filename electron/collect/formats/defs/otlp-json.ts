/**
 * OTLP JSON, as the OpenTelemetry collector's file exporter writes it: one export per line, each
 * holding many records (resource → scope → logRecords). The line is expanded into one logical
 * line per record (LineJoin), so every record is an event of its own while the physical line is
 * counted once: its first record carries the line, the others span none. Records are read through
 * the semantic-convention keys (otel.ts → RecordMapper): requests when they carry method, path and
 * status; the instance from `k8s.pod.name` / `service.instance.id` / `host.name`; the version from
 * `service.version`, which feeds the deploys seen in logs.
 */
import { defineParser } from '../definition'
import type { EvidenceEvent, FieldMap } from '../../../../shared/model/evidence'
import type { LineJoin, LineParser, LogicalLine } from '../parser'
import { otlpRecords, looksLikeOtlpLogs } from '../otel'
import { RecordMapper, type Record_ } from '../records'

/** Marks a logical line as one flattened record (never the start of a real JSON line). */
const RECORD = '\u0000otlp\u0000'
/** An export that holds no record: read, and no event. */
const EMPTY = '\u0000otlp-empty\u0000'

function exportOf(line: string): Record_[] | null {
  if (!looksLikeOtlpLogs(line)) return null
  try {
    return otlpRecords(JSON.parse(line))
  } catch {
    return null
  }
}

class OtlpJoin implements LineJoin {
  push(line: string, lineNo: number, offset: number): LogicalLine[] {
    const records = exportOf(line)
    // Not an export (a line cut at the reader's cap, another JSON): left as it is, so it counts unparsed.
    if (records === null) return [{ text: line, line: lineNo, offset, lines: 1 }]
    if (records.length === 0) return [{ text: EMPTY, line: lineNo, offset, lines: 1 }]
    return records.map((r, i) => ({ text: RECORD + JSON.stringify(r), line: lineNo, offset, lines: i === 0 ? 1 : 0 }))
  }

  flush(): LogicalLine[] {
    return []
  }
}

class OtlpParser implements LineParser {
  readonly format = 'otlp-json'
  readonly multiline = 'single'
  private readonly mapper: RecordMapper

  constructor(fieldMap?: FieldMap) {
    this.mapper = new RecordMapper(fieldMap)
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    if (line.startsWith(RECORD)) return this.mapper.toEvent(JSON.parse(line.slice(RECORD.length)) as Record_, lineNo, offset)
    // A physical line (detection asks about those): an export reads as its first record.
    const first = exportOf(line)?.[0]
    return first === undefined ? null : this.mapper.toEvent(first, lineNo, offset)
  }

  directive(line: string): boolean {
    return line === EMPTY
  }

  joinLines(): LineJoin {
    return new OtlpJoin()
  }
}

export default defineParser({
  id: 'otlp-json',
  title: 'OpenTelemetry OTLP JSON (collector file exporter)',
  family: 'app',
  multiline: 'single',
  specificity: 2,
  create: (fieldMap) => new OtlpParser(fieldMap),
  samples: [{
    source: 'open-telemetry/opentelemetry-proto@36ea555013eacfbe68fc479014d3532e4650af8e:examples/logs.json (one line, as tests/fixtures/otel/proto-example-logs.jsonl)',
    lines: [
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeLogs":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},"logRecords":[{"timeUnixNano":1544712660300000000,"observedTimeUnixNano":1544712660300000000,"severityText":"Information","traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","body":{"stringValue":"Example log record"},"attributes":[{"key":"string.attribute","value":{"stringValue":"some string"}},{"key":"boolean.attribute","value":{"boolValue":true}},{"key":"int.attribute","value":{"intValue":10}},{"key":"double.attribute","value":{"doubleValue":637.704}},{"key":"array.attribute","value":{"arrayValue":{"values":[{"stringValue":"many"},{"stringValue":"values"}]}}},{"key":"map.attribute","value":{"kvlistValue":{"values":[{"key":"some.map.key","value":{"stringValue":"some value"}}]}}}]}]}]}]}'
    ],
    events: [
      { kind: 'app', time: '2018-12-13T14:51:00.300Z', level: 'info', message: 'Example log record', requestId: '5B8EFFF798038103D269B633813FC60C', instance: null }
    ]
  }, {
    source: 'written for this definition (invented values): how the collector exports a Spring service\'s records, with the current and the older HTTP keys',
    lines: [
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},{"key":"service.version","value":{"stringValue":"3.8.1"}},{"key":"k8s.pod.name","value":{"stringValue":"orders-7d9c6b5f4-x2lqp"}},{"key":"host.name","value":{"stringValue":"ip-10-0-3-14"}}]},"scopeLogs":[{"scope":{"name":"org.springframework.web.servlet.DispatcherServlet"},"logRecords":[{"timeUnixNano":"1709294400120000000","observedTimeUnixNano":"1709294400121000000","severityNumber":9,"severityText":"INFO","body":{"stringValue":"GET /api/orders/42 200"},"attributes":[{"key":"http.request.method","value":{"stringValue":"GET"}},{"key":"url.path","value":{"stringValue":"/api/orders/42"}},{"key":"http.response.status_code","value":{"intValue":"200"}}],"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"},{"timeUnixNano":"1709294401500000000","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"Request processing failed"},"attributes":[{"key":"http.request.method","value":{"stringValue":"POST"}},{"key":"url.path","value":{"stringValue":"/api/orders"}},{"key":"http.response.status_code","value":{"intValue":"500"}},{"key":"exception.type","value":{"stringValue":"java.lang.IllegalStateException"}},{"key":"exception.message","value":{"stringValue":"Connection pool exhausted"}},{"key":"exception.stacktrace","value":{"stringValue":"java.lang.IllegalStateException: Connection pool exhausted\\n\\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)\\n\\tat com.example.orders.OrderService.create(OrderService.java:57)"}}],"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174"}]}]}]}',
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}},{"key":"service.instance.id","value":{"stringValue":"orders-1"}}]},"scopeLogs":[{"scope":{"name":"io.opentelemetry.http"},"logRecords":[{"timeUnixNano":"1709294402000000000","severityNumber":13,"body":{"stringValue":"upstream slow"},"attributes":[{"key":"http.method","value":{"stringValue":"GET"}},{"key":"http.target","value":{"stringValue":"/health"}},{"key":"http.status_code","value":{"intValue":"503"}}]}]}]}]}',
      '{"resourceLogs":[]}',
      '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stri'
    ],
    unparsed: 1,
    directives: 1,
    events: [
      { kind: 'request', time: '2024-03-01T12:00:00.120Z', method: 'GET', path: '/api/orders/42', status: 200, instance: 'orders-7d9c6b5f4-x2lqp', requestId: '4bf92f3577b34da6a3ce929d0e0e4736' },
      { kind: 'app', time: '2024-03-01T12:00:01.500Z', level: 'error', message: 'Request processing failed', errorType: 'java.lang.IllegalStateException', errorMessage: 'Connection pool exhausted', hasStack: true, method: 'POST', path: '/api/orders', status: 500, instance: 'orders-7d9c6b5f4-x2lqp' },
      { kind: 'request', time: '2024-03-01T12:00:02.000Z', method: 'GET', path: '/health', status: 503, instance: 'orders-1' }
    ]
  }]
})
