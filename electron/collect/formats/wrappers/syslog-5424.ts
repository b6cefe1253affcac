/**
 * IETF syslog (RFC 5424): `<34>1 2003-10-11T22:14:15.003Z host app procid msgid [sd] msg`.
 * The MSG part (after structured data; a UTF-8 BOM dropped) is the payload.
 */
import { syslogSeverityLevel } from '../events'
import { parseIsoTime } from '../time'
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

export const RFC5424_RE = /^(?:<(\d{1,3})>)?1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/

export function unwrapRfc5424(line: string): Unwrapped | null {
  const c = line.charCodeAt(0)
  if (c !== 60 && c !== 49) return null
  const m = RFC5424_RE.exec(line)
  if (m === null) return null
  const time = m[2] === '-' ? null : parseIsoTime(m[2])
  if (time === null && m[2] !== '-') return null
  let payload = m[8]
  if (payload.charCodeAt(0) === 0xfeff) payload = payload.slice(1)
  return {
    payload,
    time,
    instance: m[3] === '-' ? null : m[3],
    partial: false,
    level: m[1] === undefined ? null : syslogSeverityLevel(Number(m[1]) % 8),
    logger: m[4] === '-' ? null : m[4]
  }
}

export default defineWrapper({
  id: 'syslog5424',
  title: 'Syslog (RFC 5424)',
  plainFormat: 'syslog',
  unwrap: unwrapRfc5424,
  samples: [
    {
      // tests/fixtures/logs/wrappers/syslog5424.log, line 2 (Roguelazer/rust-syslog-rfc5424 parser test)
      line: '<39>1 2018-05-15T20:56:58+00:00 -web1west -201805020050-bc5d6a47c3-master - - [meta sequenceId="28485532"] 25450-uWSGI worker 6: getaddrinfo*.gaih_getanswer: got type "DNAME"',
      expect: {
        payload: '25450-uWSGI worker 6: getaddrinfo*.gaih_getanswer: got type "DNAME"',
        time: Date.UTC(2018, 4, 15, 20, 56, 58),
        instance: '-web1west',
        partial: false,
        level: 'debug',
        logger: '-201805020050-bc5d6a47c3-master'
      }
    },
    { line: 'Jul 30 09:03:52 localhost haproxy[32450]: x', expect: null }
  ]
})
