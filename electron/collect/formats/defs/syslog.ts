/** Syslog RFC 3164 and RFC 5424 whose payload is plain text (a payload of a known format is read by the wrapper). */
import { defineParser } from '../definition'
import { SyslogParser } from '../syslog'

export default defineParser({
  id: 'syslog',
  title: 'syslog (RFC 3164 / 5424)',
  family: 'app',
  multiline: 'trace',
  create: () => new SyslogParser(),
  samples: [{
    source: 'tests/fixtures/formats/syslog.log',
    lines: [
      '<165>1 2024-03-01T12:00:02.003Z web-1 app 123 ID47 [exampleSDID@32473 iut="3" eventSource="Application"] worker restarted',
      '<14>1 2024-03-01T12:00:03+01:00 web-1 app - - - plain message'
    ],
    events: [
      { kind: 'app', time: '2024-03-01T12:00:02.003Z', level: 'info', message: 'worker restarted', logger: 'app' },
      { kind: 'app', time: '2024-03-01T11:00:03.000Z', message: 'plain message' }
    ]
  }]
})
