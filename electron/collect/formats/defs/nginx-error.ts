/** nginx's error_log: why it could not reach an upstream, and FastCGI stderr folded into its line. */
import { defineParser } from '../definition'
import { NginxErrorParser } from '../proxy-error'

export default defineParser({
  id: 'nginx-error',
  title: 'nginx error log',
  family: 'proxy-error',
  multiline: 'text',
  specificity: 1,
  create: () => new NginxErrorParser(),
  samples: [{
    source: 'tests/fixtures/formats/nginx-upstream-error.log',
    lines: ['2024/03/01 12:00:01 [error] 123#0: *45 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/reports/8812/export HTTP/1.1", upstream: "http://127.0.0.1:8080/api/reports/8812/export", host: "api.example.com"'],
    events: [{ kind: 'proxy-error', time: '2024-03-01T12:00:01.000Z', level: 'error', reason: 'refused', method: 'GET', path: '/api/reports/8812/export', client: '10.0.0.7', upstream: 'http://127.0.0.1:8080/api/reports/8812/export' }]
  }]
})
