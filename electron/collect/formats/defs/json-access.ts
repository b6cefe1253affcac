/** JSON-lines access logs read with the generic JSON mapping (pino-http, Caddy, Cloudflare); detection reaches it through json-app's variant. */
import { defineParser } from '../definition'
import { JsonLineParser } from '../json'

export default defineParser({
  id: 'json-access',
  title: 'JSON lines (access)',
  family: 'access',
  multiline: 'single',
  detectable: false,
  create: () => new JsonLineParser('json-access'),
  samples: [{
    source: 'tests/fixtures/formats/app.jsonl',
    lines: ['{"level":30,"time":1709294400000,"pid":1,"hostname":"api-1","req":{"id":"req-1","method":"GET","url":"/api/reports/8812/export?x=1","remoteAddress":"10.0.0.7","headers":{"user-agent":"curl/8.5.0"}},"res":{"statusCode":200},"responseTime":12,"msg":"request completed"}'],
    events: [{ kind: 'request', time: '2024-03-01T12:00:00.000Z', method: 'GET', path: '/api/reports/8812/export?x=1', status: 200, durationMs: 12, requestId: 'req-1', client: '10.0.0.7', userAgent: 'curl/8.5.0' }]
  }]
})
