/**
 * Syslog: RFC 3164 (`<13>Mar  1 12:00:00 host app[123]: msg`, PRI optional) and RFC 5424
 * (`<34>1 2003-10-11T22:14:15.003Z host app 123 ID47 [sd] msg`). The level comes from PRI when
 * present, else from a leading level word in the message (`error: …`, `[ERROR] …`).
 */
import type { AppEvent, Level, LogFormatId } from '../../../shared/model/evidence'
import type { LineParser } from './parser'
import { appEvent, normalizeLevel } from './events'
import { unwrapRfc3164 } from './wrappers/syslog-3164'
import { unwrapRfc5424 } from './wrappers/syslog-5424'
import type { Unwrapped } from './wrappers/types'

const LEADING_LEVEL_RE = /^\[?(trace|debug|info|notice|warn|warning|error|err|crit|critical|fatal|alert|emerg)\]?[:\s]/i

/** Plain syslog: the syslog wrappers' header, and the payload read as a text message. */
export class SyslogParser implements LineParser {
  readonly format: LogFormatId = 'syslog'
  readonly multiline = 'trace'

  /** `now` is injectable so the missing-year rule can be tested. */
  constructor(private readonly now: () => number = Date.now) {}

  parse(line: string, lineNo: number, offset: number): AppEvent | null {
    const header: Unwrapped | null = unwrapRfc5424(line) ?? unwrapRfc3164(line, { now: this.now() })
    if (header === null) return null
    return appEvent(lineNo, offset, {
      time: header.time,
      level: header.level ?? leadingLevel(header.payload),
      message: header.payload,
      logger: header.logger ?? null,
      instance: header.instance
    })
  }
}

/** A level word the message starts with (`error: …`, `[WARN] …`). */
export function leadingLevel(message: string): Level | null {
  const m = LEADING_LEVEL_RE.exec(message)
  return m === null ? null : normalizeLevel(m[1])
}
