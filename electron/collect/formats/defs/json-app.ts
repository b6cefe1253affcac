/**
 * JSON-lines application logs of any common library (pino, bunyan, winston, structlog,
 * logstash-logback, zap, slog, ECS…): each field is looked up under the names those libraries use.
 * A file whose records are mostly requests (pino-http, Caddy, Cloudflare) is named json-access.
 */
import { defineParser } from '../definition'
import { JsonLineParser } from '../json'

export default defineParser({
  id: 'json-app',
  title: 'JSON lines (application)',
  family: 'app',
  multiline: 'trace',
  create: () => new JsonLineParser('json-app'),
  variant: (_parser, events) => {
    const requests = events.filter((e) => e.kind === 'request').length
    return requests * 2 > events.length ? 'json-access' : 'json-app'
  },
  samples: [{
    source: 'tests/fixtures/formats/app.jsonl',
    lines: [
      '{"level":"error","ts":1709294403.5,"caller":"api/handler.go:88","msg":"query failed","error":"pq: password authentication failed"}',
      '{"name":"billing","hostname":"b1","pid":7,"level":50,"time":"2024-03-01T12:00:02.000Z","msg":"db down","err":{"message":"connect ECONNREFUSED 10.0.0.5:5432","name":"Error","stack":"Error: connect ECONNREFUSED 10.0.0.5:5432\\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)"}}'
    ],
    events: [
      { kind: 'app', time: '2024-03-01T12:00:03.500Z', level: 'error', message: 'query failed', errorMessage: 'pq: password authentication failed' },
      { kind: 'app', level: 'error', errorType: 'Error', errorMessage: 'connect ECONNREFUSED 10.0.0.5:5432', hasStack: true, instance: 'b1' }
    ]
  }]
})
