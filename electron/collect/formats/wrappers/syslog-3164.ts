/**
 * BSD syslog (RFC 3164) as rsyslog/syslog-ng write it to files, and `journalctl -o short`:
 * `<13>Mar  1 12:00:00 host app[123]: msg` (PRI optional). HAProxy and nginx (`access_log
 * syslog:`) log this way; the payload is their own line. The year is not written: the most
 * recent such date not after `now` is taken.
 */
import { syslogSeverityLevel } from '../events'
import { monthIndex, parseSyslogTime } from '../time'
import type { UnwrapContext, Unwrapped } from './types'
import { defineWrapper } from './types'

export const RFC3164_RE = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/

export function unwrapRfc3164(line: string, ctx?: UnwrapContext): Unwrapped | null {
  const m = RFC3164_RE.exec(line)
  if (m === null) return null
  const month = monthIndex(m[2])
  if (month < 0) return null
  const time = parseSyslogTime(month, Number(m[3]), m[4], ctx?.now ?? Date.now())
  if (time === null) return null
  return {
    payload: m[8],
    time,
    instance: m[5],
    partial: false,
    level: m[1] === undefined ? null : syslogSeverityLevel(Number(m[1]) % 8),
    logger: m[6]
  }
}

export default defineWrapper({
  id: 'syslog',
  title: 'Syslog (RFC 3164, journalctl short)',
  plainFormat: 'syslog',
  unwrap: unwrapRfc3164,
  samples: [
    {
      // tests/fixtures/logs/wrappers/syslog-haproxy.log, line 3 (elastic/beats haproxy module test)
      line: 'Jun 22 12:02:53 node2 haproxy[23034]: -:47625 [22/Jun/2021:12:02:53.473] www-https~ app/app-node2 app.domain.com 0/0/1/17/18 302 291 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"',
      expect: {
        payload: '-:47625 [22/Jun/2021:12:02:53.473] www-https~ app/app-node2 app.domain.com 0/0/1/17/18 302 291 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"',
        // parseSyslogTime picks the year; samples are checked with now = 2021-07-01
        time: Date.UTC(2021, 5, 22, 12, 2, 53),
        instance: 'node2',
        partial: false,
        level: null,
        logger: 'haproxy'
      }
    },
    { line: '2017-09-12T22:32:21.212861448Z stdout F x', expect: null }
  ]
})
