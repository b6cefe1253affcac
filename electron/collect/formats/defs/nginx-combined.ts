/** nginx/Apache combined (and its nginx extensions); detection names common and ingress-nginx files too. */
import { AccessLineParser } from '../access'
import { defineParser } from '../definition'

export default defineParser({
  id: 'nginx-combined',
  title: 'nginx / Apache combined',
  family: 'access',
  multiline: 'single',
  specificity: 1,
  create: () => new AccessLineParser('nginx-combined'),
  // The access parser reads all three layouts; the file is named by the one most lines had.
  variant: (parser) => {
    if (!(parser instanceof AccessLineParser)) return 'nginx-combined'
    const seen = parser.variantsSeen
    const total = seen.common + seen.combined + seen.ingress
    if (seen.ingress > 0 && seen.ingress * 2 >= total) return 'ingress-nginx'
    return seen.combined * 2 >= total ? 'nginx-combined' : 'common'
  },
  samples: [{
    source: 'tests/fixtures/formats/combined-extras.log',
    lines: [
      '203.0.113.9 - alice [01/Mar/2024:12:00:00 +0100] "GET /api/reports/8812/export?format=csv HTTP/1.1" 500 512 "https://app.example.com/reports" "Mozilla/5.0 (X11; Linux x86_64)" 0.532 0.530 "f3b1c2d4e5f60718293a4b5c6d7e8f90"',
      '2001:db8::1 - - [01/Mar/2024:12:00:02 +0100] "GET / HTTP/1.1" 200 1024 "-" "-"'
    ],
    events: [
      { kind: 'request', time: '2024-03-01T11:00:00.000Z', method: 'GET', path: '/api/reports/8812/export?format=csv', status: 500, bytes: 512, durationMs: 532, client: '203.0.113.9', requestId: 'f3b1c2d4e5f60718293a4b5c6d7e8f90' },
      { kind: 'request', method: 'GET', path: '/', status: 200, client: '2001:db8::1', userAgent: null }
    ]
  }]
})
