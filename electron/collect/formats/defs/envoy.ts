/**
 * Envoy's default access log format (also Ambassador / Emissary, which prefix `ACCESS `):
 * `[start] "METHOD path PROTO" status flags rx tx duration upstream-time "xff" "ua" "id" "authority" "upstream"`.
 * A TCP proxy entry (`"- - -" 0`) is no request: an app event.
 */
import { definePattern } from '../definition'

export default definePattern({
  id: 'envoy',
  title: 'Envoy access log',
  family: 'access',
  specificity: 1,
  pattern: /^(?:ACCESS )?\[(?<time>[^\]]+)\] "(?<request>[^"]*)" (?<status>\d+) \S+ \d+ (?<bytes>\d+) (?<duration>\d+|-) \S+ "(?<client>[^"]*)" "(?<agent>[^"]*)" "(?<requestId>[^"]*)" "[^"]*" "(?<instance>[^"]*)"/,
  time: 'iso',
  durationUnit: 'ms',
  samples: [{
    source: 'tests/fixtures/logs/envoy/elastic-integrations-envoy-logfile.log (lines 1, 2, 3, 5)',
    lines: [
      '[2019-04-08T16:50:12.533Z] "- - -" 0 - 87 254 4 - "-" "-" "-" "-" "172.27.0.2:80"',
      '[2019-04-08T16:16:55.931Z] "GET /service/1 HTTP/1.1" 200 - 0 89 5 4 "-" "curl/7.54.0" "c219f6da-2b7f-483e-9ced-ec323d9330a9" "localhost:8000" "172.27.0.3:80"',
      '[2019-04-11T00:31:55.439Z] "GET /elastic HTTP/1.1" 404 NR 0 0 0 - "172.17.0.3" "curl/7.59.0" "58436667-bf70-4fd0-9fe9-cdadadecfd55" "192.168.99.107:30901" "-"',
      'ACCESS [2024-04-25T17:51:55.294Z] "GET /backend/ HTTP/1.1" 200 - 0 141 0 0 "192.168.0.9" "curl/8.4.0" "b7ba9b4c-f4b7-47c2-9718-c23aa1465f49" "localhost:9001" "192.168.96.113:80"'
    ],
    events: [
      { kind: 'app', time: '2019-04-08T16:50:12.533Z', instance: '172.27.0.2:80' },
      { kind: 'request', time: '2019-04-08T16:16:55.931Z', method: 'GET', path: '/service/1', status: 200, bytes: 89, durationMs: 5, client: null, userAgent: 'curl/7.54.0', requestId: 'c219f6da-2b7f-483e-9ced-ec323d9330a9', instance: '172.27.0.3:80' },
      { kind: 'request', method: 'GET', path: '/elastic', status: 404, durationMs: 0, client: '172.17.0.3', instance: null },
      { kind: 'request', time: '2024-04-25T17:51:55.294Z', path: '/backend/', status: 200, instance: '192.168.96.113:80' }
    ]
  }]
})
