/**
 * Plain-text application logs whose lines start with a timestamp and usually a level:
 * logback/log4j/Spring Boot, Python logging, Rails, Laravel/Monolog, zap console, Go's `log`,
 * java.util.logging one-liners. Lines that are not headers (stack frames, wrapped messages)
 * return null here; EventFolder folds them into the header before them.
 */
import type { AppEvent, Level, LogFormatId } from '../../../shared/model/evidence'
import type { LineParser } from './parser'
import { appEvent, normalizeLevel } from './events'
import { parseIsoTime, utcMillis, monthIndex, fractionToMillis } from './time'
import { exceptionFromLine } from './trace'
import { parseJsonRecord } from './json'

const ISO_TS = '\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:[.,]\\d{1,9})?(?: ?(?:Z|[+-]\\d{2}:?\\d{2}))?'
const SLASH_TS = '\\d{4}\\/\\d{2}\\/\\d{2} \\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?'
const JUL_TS = '[A-Z][a-z]{2} \\d{1,2}, \\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M'
const LEADING_TS_RE = new RegExp(`^\\[?(${ISO_TS}|${SLASH_TS}|${JUL_TS})\\]?`)
/** Upper-case level words may sit anywhere in the head (`[main] ERROR`, `- name - ERROR -`)… */
const LEVEL_WORD_RE = /(?:^|[\s[|:(<-])(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL|CRIT|EMERGENCY|ALERT)(?=$|[\s\]|:)>-])/
/** …lower-case ones only first (`\terror\t`, `[info]`), so `http: panic serving` keeps its words. */
const FIRST_LEVEL_RE = /^[\s[|:(<-]*(trace|debug|info|notice|warn|warning|error|fatal|critical|dpanic|panic|Trace|Debug|Information|Info|Warning|Warn|Error|Fatal|Critical)(?=$|[\s\]|:)>-])/
const LARAVEL_RE = new RegExp(`^\\[(${ISO_TS})\\] ([\\w-]+)\\.([A-Za-z]+): (.*)$`)
const RAILS_RE = /^([DIWEFAU]), \[(\S+) ?#(\d+)\] +(\w+) -- ([^:]*): (.*)$/
const RAILS_STARTED_RE = /^((?:\[[^\]]*\] )*)Started ([A-Z]+) "([^"]*)" for (\S+) at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: ?[+-]\d{4}| UTC)?)/
const RAILS_COMPLETED_RE = /^((?:\[[^\]]*\] )*)Completed (\d{3}) [^\n]*? in (\d+(?:\.\d+)?)ms/
const PYTHON_BARE_RE = /^(CRITICAL|ERROR|WARNING|INFO|DEBUG):([^:\s]*):(.*)$/
/** Level before the timestamp (log4j `%-5p %d`, `INFO 2025-04-01 14:54:55: msg`). */
const LEVEL_FIRST_RE = /^(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|SEVERE|FATAL|CRITICAL) +(?=\d{4}-\d{2}-\d{2}[T ]\d{2}:)/
const LOGGER_MESSAGE_RE = /^(?:\[[^\]]*\]\s*)?(?:\d+ --- (?:\[[^\]]*\]\s*)+)?([\w.$/[\]-]+?)\s+[-:]\s(.*)$/
const EMBEDDED_EXCEPTION_RE = /(?:^|[\s:])((?:[A-Za-z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error))(?:: (.*))?$/
const REQUEST_TAG_RE = /\[([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,32})\]/i
const CALLER_RE = /^[\w./@-]+\.\w+:\d+$/

export class TextAppParser implements LineParser {
  readonly format: LogFormatId = 'text-app'
  readonly multiline = 'text'
  /** Rails `Started`/`Completed` lines carry no timestamp of their own: they take the last one seen. */
  private lastTime: number | null = null

  parse(line: string, lineNo: number, offset: number): AppEvent | null {
    const event = this.parseHeader(line, lineNo, offset)
    if (event !== null && event.time !== null) this.lastTime = event.time
    return event
  }

  private parseHeader(line: string, lineNo: number, offset: number): AppEvent | null {
    const c = line.charCodeAt(0)
    if (c >= 48 && c <= 57) return parseTimestamped(line, lineNo, offset)
    if (c === 91) {
      if (line.charCodeAt(1) >= 48 && line.charCodeAt(1) <= 57) {
        const laravel = parseLaravel(line, lineNo, offset)
        if (laravel !== null) return laravel
        return parseTimestamped(line, lineNo, offset)
      }
      return this.parseRailsRequest(line, lineNo, offset)
    }
    if (line.charCodeAt(1) === 44) return parseRails(line, lineNo, offset)
    if (c === 83 || c === 67) return this.parseRailsRequest(line, lineNo, offset)
    if (c >= 65 && c <= 90) {
      const bare = PYTHON_BARE_RE.exec(line)
      if (bare !== null) return withEmbeddedError(appEvent(lineNo, offset, { level: normalizeLevel(bare[1]), logger: bare[2] || null, message: bare[3] }))
      const levelFirst = LEVEL_FIRST_RE.exec(line)
      if (levelFirst !== null) {
        const event = parseTimestamped(line.slice(levelFirst[0].length), lineNo, offset)
        if (event !== null) return { ...event, level: normalizeLevel(levelFirst[1]) }
      }
      return parseTimestamped(line, lineNo, offset)
    }
    return null
  }

  private parseRailsRequest(line: string, lineNo: number, offset: number): AppEvent | null {
    const started = RAILS_STARTED_RE.exec(line)
    if (started !== null) {
      return appEvent(lineNo, offset, {
        time: parseRailsTime(started[5]) ?? this.lastTime,
        level: 'info',
        message: line.slice(started[1].length),
        method: started[2],
        path: started[3],
        requestId: requestTag(started[1])
      })
    }
    const completed = RAILS_COMPLETED_RE.exec(line)
    if (completed !== null) {
      const status = Number(completed[2])
      return appEvent(lineNo, offset, {
        time: this.lastTime,
        level: status >= 500 ? 'error' : 'info',
        message: line.slice(completed[1].length),
        status,
        requestId: requestTag(completed[1])
      })
    }
    return null
  }
}

function requestTag(tags: string): string | null {
  return tags === '' ? null : REQUEST_TAG_RE.exec(tags)?.[1] ?? null
}

export function parseRailsTime(text: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ?([+-]\d{4}|UTC)?$/.exec(text)
  if (m === null) return null
  return parseIsoTime(`${m[1]}T${m[2]}${m[3] === undefined || m[3] === 'UTC' ? 'Z' : m[3]}`)
}

function parseLeadingTime(text: string): number | null {
  if (text.charCodeAt(4) === 47) {
    // 2024/03/01 12:00:00(.123)
    return utcMillis(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10)),
      Number(text.slice(11, 13)), Number(text.slice(14, 16)), Number(text.slice(17, 19)), fractionToMillis(text.slice(20)), 0)
  }
  if (text.charCodeAt(4) === 45) return parseIsoTime(text)
  // java.util.logging: Jul 09, 2015 3:23:29 PM
  const m = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AP])M$/.exec(text)
  if (m === null) return null
  const hour12 = Number(m[4]) % 12
  return utcMillis(Number(m[3]), monthIndex(m[1]), Number(m[2]), m[7] === 'P' ? hour12 + 12 : hour12, Number(m[5]), Number(m[6]), 0, 0)
}

/** `TS [thread] LEVEL logger - msg`, `TS - name - LEVEL - msg`, `TS:LEVEL:msg`, `TS\tlevel\tcaller\tmsg\t{…}`, `TS msg`. */
function parseTimestamped(line: string, lineNo: number, offset: number): AppEvent | null {
  const ts = LEADING_TS_RE.exec(line)
  if (ts === null) return null
  const time = parseLeadingTime(ts[1])
  if (time === null) return null
  const rest = line.slice(ts[0].length)
  const head = rest.length > 64 ? rest.slice(0, 64) : rest
  const levelMatch = FIRST_LEVEL_RE.exec(head) ?? LEVEL_WORD_RE.exec(head)
  let level: Level | null = null
  let before = ''
  let after = rest
  if (levelMatch !== null) {
    level = normalizeLevel(levelMatch[1])
    const levelEnd = levelMatch.index + levelMatch[0].length
    before = rest.slice(0, levelMatch.index + levelMatch[0].length - levelMatch[1].length)
    after = rest.slice(levelEnd)
  }
  if (after.includes('\t') && /^\s*\t/.test(rest)) return zapConsole(lineNo, offset, time, level, after)
  after = after.replace(/^[\s\]:|>-]+/, '')
  let logger: string | null = loggerBeforeLevel(before)
  let message = after
  if (logger === null) {
    const lm = LOGGER_MESSAGE_RE.exec(after)
    if (lm !== null && lm[1].length < 80) {
      logger = lm[1]
      message = lm[2].replace(/^[\s:]+/, '')
    }
  }
  return withEmbeddedError(appEvent(lineNo, offset, { time, level, message: message.trim(), logger }))
}

/** Python's `TS - name - LEVEL - msg` puts the logger before the level. */
function loggerBeforeLevel(before: string): string | null {
  const m = /^\s*-\s+(\S+)\s+-\s*$/.exec(before)
  return m === null ? null : m[1]
}

/** zap's console encoder: tab-separated `level  logger?  caller?  message  {context}`. */
function zapConsole(lineNo: number, offset: number, time: number, level: Level | null, after: string): AppEvent {
  const fields = after.split('\t').filter((f) => f !== '')
  let context: Record<string, unknown> | null = null
  if (fields.length > 1 && fields[fields.length - 1].startsWith('{')) context = parseJsonRecord(fields.pop() ?? '')
  const callerAt = fields.findIndex((f) => CALLER_RE.test(f))
  const logger = callerAt > 0 ? fields[0] : null
  const messageFields = callerAt >= 0 ? fields.slice(callerAt + 1) : fields
  const message = messageFields.join(' ').trim() || (callerAt >= 0 ? '' : fields.join(' '))
  const error = context !== null && typeof context.error === 'string' ? context.error : null
  return appEvent(lineNo, offset, { time, level, message, logger, errorMessage: error })
}

export function parseLaravel(line: string, lineNo: number, offset: number): AppEvent | null {
  const m = LARAVEL_RE.exec(line)
  if (m === null) return null
  const body = m[4]
  const contextAt = body.indexOf(' {"exception":')
  const message = (contextAt >= 0 ? body.slice(0, contextAt) : body).replace(/ \[\] \[\]$/, '')
  const event = appEvent(lineNo, offset, { time: parseIsoTime(m[1]), level: normalizeLevel(m[3]), message, logger: m[2] })
  const exception = contextAt >= 0 ? exceptionFromLine(body.slice(contextAt)) : null
  if (exception !== null) {
    event.errorType = exception.type
    event.errorMessage = exception.message
    return event
  }
  return withEmbeddedError(event)
}

function parseRails(line: string, lineNo: number, offset: number): AppEvent | null {
  const m = RAILS_RE.exec(line)
  if (m === null) return null
  const message = m[6]
  const tags = /^((?:\[[^\]]*\] )*)/.exec(message)?.[1] ?? ''
  const body = message.slice(tags.length)
  const event = appEvent(lineNo, offset, {
    time: parseIsoTime(m[2]),
    level: normalizeLevel(m[4]) ?? normalizeLevel(m[1]),
    message: body,
    logger: m[5] === '' ? null : m[5],
    requestId: requestTag(tags)
  })
  const started = /^Started ([A-Z]+) "([^"]*)"/.exec(body)
  if (started !== null) {
    event.method = started[1]
    event.path = started[2]
  }
  const completed = /^Completed (\d{3}) /.exec(body)
  if (completed !== null) event.status = Number(completed[1])
  return withEmbeddedError(event)
}

/** `… failed: java.net.ConnectException: Connection refused` → errorType/errorMessage. */
export function withEmbeddedError(event: AppEvent): AppEvent {
  if (event.errorType !== null || event.level === 'debug' || event.level === 'trace' || event.level === 'info') return event
  const direct = exceptionFromLine(event.message)
  if (direct !== null) {
    event.errorType = direct.type
    event.errorMessage = direct.message
    return event
  }
  const m = EMBEDDED_EXCEPTION_RE.exec(event.message)
  if (m !== null) {
    event.errorType = m[1]
    event.errorMessage = m[2] ?? null
  }
  return event
}
