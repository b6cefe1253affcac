/**
 * Syslog: RFC 3164 (`<13>Mar  1 12:00:00 host app[123]: msg`, PRI optional) and RFC 5424
 * (`<34>1 2003-10-11T22:14:15.003Z host app 123 ID47 [sd] msg`). The level comes from PRI when
 * present, else from a leading level word in the message (`error: …`, `[ERROR] …`).
 */
import type { AppEvent, Level, LogFormatId } from '../../../shared/model/evidence'
import type { LineParser } from './parser'
import { appEvent, normalizeLevel, syslogSeverityLevel } from './events'
import { monthIndex, parseIsoTime, parseSyslogTime } from './time'

const RFC3164_RE = /^(?:<(\d{1,3})>)?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\S+) ([^\s:[]+)(?:\[(\d+)\])?: ?(.*)$/
const RFC5424_RE = /^(?:<(\d{1,3})>)?1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/
const LEADING_LEVEL_RE = /^\[?(trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|alert|emerg)\]?[:\s]/i

export class SyslogParser implements LineParser {
  readonly format: LogFormatId = 'syslog'
  readonly multiline = 'trace'

  /** `now` is injectable so the missing-year rule can be tested. */
  constructor(private readonly now: () => number = Date.now) {}

  parse(line: string, lineNo: number, offset: number): AppEvent | null {
    const c = line.charCodeAt(0)
    if (c === 60 || (c >= 48 && c <= 57)) {
      const m5 = RFC5424_RE.exec(line)
      if (m5 !== null) {
        const time = m5[2] === '-' ? null : parseIsoTime(m5[2])
        if (time !== null || m5[2] === '-') {
          let message = m5[8]
          if (message.charCodeAt(0) === 0xfeff) message = message.slice(1)
          return appEvent(lineNo, offset, {
            time,
            level: levelOf(m5[1], message),
            message,
            logger: m5[4] === '-' ? null : m5[4]
          })
        }
      }
    }
    const m = RFC3164_RE.exec(line)
    if (m === null) return null
    const month = monthIndex(m[2])
    if (month < 0) return null
    const time = parseSyslogTime(month, Number(m[3]), m[4], this.now())
    if (time === null) return null
    return appEvent(lineNo, offset, { time, level: levelOf(m[1], m[8]), message: m[8], logger: m[6] })
  }
}

function levelOf(pri: string | undefined, message: string): Level | null {
  if (pri !== undefined) return syslogSeverityLevel(Number(pri) % 8)
  const m = LEADING_LEVEL_RE.exec(message)
  return m === null ? null : normalizeLevel(m[1])
}
