/**
 * Text access lines no definition knows (a custom nginx `log_format`, Envoy's default format,
 * uWSGI, app servers that log requests): a request line — `"GET /x HTTP/1.1"` quoted, or a method
 * and a path — followed by a 3-digit status, and a timestamp in any common layout anywhere on the
 * line. The narrowest fallback: every specific access definition wins on equal coverage, and it
 * beats text-app only where each line is a request.
 */
import type { LogFormatId, RequestEvent } from '../../../../shared/model/evidence'
import { normalizeRoute } from '../../../../shared/analysis/route'
import { defineParser, type LineParser } from '../definition'
import { pathOnly } from '../records'
import { TimeReader } from '../time-layouts'

const METHODS = 'GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|CONNECT|TRACE|PROPFIND|PURGE'
/** A quoted request line, or a bare method and path; then, within a few tokens, the status. */
const REQUEST_RE = new RegExp(
  String.raw`(?:"(?<qm>${METHODS}) (?<qp>[^\s"]+)(?: HTTP/[\d.]+)?"|(?:^|\s)(?<m>${METHODS}) (?<p>/\S*|https?://\S+)(?: HTTP/[\d.]+)?)` +
  String.raw`(?:\s+(?:[\w-]+[:=]\s*)?\S+?){0,3}?\s+(?:status[:=]\s*)?\(?(?<status>[1-5]\d\d)\)?(?=\s|$|,)`
)
/** Timestamps in the common layouts TimeReader reads (tried in this order, anywhere on the line). */
const TIME_RE = new RegExp([
  String.raw`\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?: ?(?:Z|[+-]\d{2}:?\d{2}))?`,
  String.raw`\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2}(?: [+-]\d{4})?`,
  String.raw`\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`,
  String.raw`(?:[A-Z][a-z]{2} )?[A-Z][a-z]{2} {1,2}\d{1,2} \d{2}:\d{2}:\d{2}(?:\.\d+)?(?: \d{4})?`,
  String.raw`\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?`,
  String.raw`(?<![\d.])1\d{9}(?:\.\d{1,9})?(?![\d.])`
].map((p) => `(?:${p})`).join('|'))
const LEADING_IP_RE = /^\s*(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})\s/

class TextAccessParser implements LineParser {
  readonly format: LogFormatId = 'text-access'
  readonly multiline = 'single'
  private readonly times = new TimeReader('auto')

  parse(line: string, lineNo: number, offset: number): RequestEvent | null {
    const request = REQUEST_RE.exec(line)
    const groups = request?.groups
    if (request === null || groups === undefined) return null
    const stamp = TIME_RE.exec(line)
    const time = stamp === null ? null : this.times.read(stamp[0])
    if (time === null) return null
    const method = groups.qm ?? groups.m
    const path = pathOnly(groups.qp ?? groups.p)
    return {
      kind: 'request',
      line: lineNo,
      lines: 1,
      offset,
      time,
      method,
      path,
      route: normalizeRoute(path),
      status: Number(groups.status),
      bytes: null,
      durationMs: null,
      requestId: null,
      client: LEADING_IP_RE.exec(line)?.[1] ?? null,
      userAgent: null,
      upstreamStatus: null,
      instance: null
    }
  }
}

export default defineParser({
  id: 'text-access',
  title: 'Text access lines (request and status)',
  family: 'access',
  multiline: 'single',
  // Below every specific access format (0 and up), above text-app (-1).
  specificity: -0.5,
  create: () => new TextAccessParser(),
  samples: [{
    source: 'tests/fixtures/logs/inferred/envoy-default.log',
    detectedAs: 'envoy',
    lines: [
      '[2019-04-08T16:16:55.931Z] "GET /service/1 HTTP/1.1" 200 - 0 89 5 4 "-" "curl/7.54.0" "c219f6da-2b7f-483e-9ced-ec323d9330a9" "localhost:8000" "172.27.0.3:80"',
      '[2019-04-11T00:31:55.439Z] "GET /elastic HTTP/1.1" 404 NR 0 0 0 - "172.17.0.3" "curl/7.59.0" "58436667-bf70-4fd0-9fe9-cdadadecfd55" "192.168.99.107:30901" "-"'
    ],
    events: [
      { kind: 'request', time: '2019-04-08T16:16:55.931Z', method: 'GET', path: '/service/1', status: 200, client: null },
      { kind: 'request', time: '2019-04-11T00:31:55.439Z', method: 'GET', path: '/elastic', status: 404 }
    ]
  }]
})
