/** ingress-nginx's upstream-info layout. Detection reaches it through nginx-combined's variant. */
import { AccessLineParser } from '../access'
import { defineParser } from '../definition'

export default defineParser({
  id: 'ingress-nginx',
  title: 'ingress-nginx (upstreaminfo)',
  family: 'access',
  multiline: 'single',
  detectable: false,
  create: () => new AccessLineParser('ingress-nginx'),
  samples: [{
    source: 'kubernetes/ingress-nginx docs, log-format-upstream default',
    lines: ['10.0.0.7 - - [01/Mar/2024:12:00:00 +0000] "GET /api/orders/42 HTTP/1.1" 502 150 "-" "curl/8.5.0" 120 0.004 [default-api-80] [] 10.244.1.5:8080 0 0.004 502 6f1c2b3a1d2e4f508a9b0c1d2e3f4a5b'],
    events: [{ kind: 'request', method: 'GET', path: '/api/orders/42', status: 502, upstreamStatus: 502, durationMs: 4, requestId: '6f1c2b3a1d2e4f508a9b0c1d2e3f4a5b' }]
  }]
})
