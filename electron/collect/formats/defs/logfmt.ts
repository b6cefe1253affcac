/** logfmt (`time=… level=error msg="…"`), mapped like JSON records. */
import { defineParser } from '../definition'
import { LogfmtParser } from '../logfmt'

export default defineParser({
  id: 'logfmt',
  title: 'logfmt',
  family: 'app',
  multiline: 'trace',
  create: () => new LogfmtParser(),
  samples: [{
    source: 'tests/fixtures/formats/app.logfmt',
    lines: [
      'time=2024-03-01T12:00:00Z level=error msg="upstream failed: \\"gateway\\" down" err="dial tcp 10.0.0.5:5432: connect: connection refused" request_id=abc123',
      'time=2024-03-01T12:00:01Z level=info method=GET path=/api/items/42 status=200 duration=12ms'
    ],
    events: [
      { kind: 'app', time: '2024-03-01T12:00:00.000Z', level: 'error', message: 'upstream failed: "gateway" down', requestId: 'abc123' },
      { kind: 'request', method: 'GET', path: '/api/items/42', status: 200, durationMs: 12 }
    ]
  }]
})
