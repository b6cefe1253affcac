/**
 * The one place a definition's fields become an event. Pattern definitions (regex groups), JSON
 * definitions (dotted paths) and inferred field maps all hand it a `get(role)`, so every format
 * reads times, statuses, durations, request lines and levels by the same rules.
 */
import type { EvidenceEvent, FormatFamily, Level, LogFormatId, RequestEvent } from '../../../shared/model/evidence'
import { normalizeRoute } from '../../../shared/analysis/route'
import type { FieldMap, FieldRole } from '../../../shared/model/evidence'
import type { DurationUnit } from './fields'
import { appEvent, normalizeLevel, proxyErrorEvent } from './events'
import { parseJsonRecord } from './json'
import type { LineParser, Multiline } from './parser'
import { upstreamReason } from './proxy-error'
import { asNumber, asStatus, asString, durationToMs, pathOnly, pick, splitRequestLine, type Record_ } from './records'

export { splitRequestLine } from './records'
import { withEmbeddedError } from './text-app'
import { exceptionFromStack, isFrameLine } from './trace'
import { TimeReader, type TimeLayout } from './time-layouts'

export interface MappingRules {
  family: FormatFamily
  durationUnit?: DurationUnit
  levels?: Readonly<Record<string, Level>>
  time?: TimeLayout
  constants?: Partial<Record<FieldRole, string>>
}

/** `-` and empty mean "not recorded" in nearly every log layout. */
function present(value: unknown): unknown {
  return value === '-' || value === '' || value === undefined || value === null ? undefined : value
}

export class EventMapper {
  private readonly times: TimeReader
  private readonly durationUnit: DurationUnit

  constructor(private readonly rules: MappingRules) {
    this.times = new TimeReader(rules.time ?? 'auto')
    this.durationUnit = rules.durationUnit ?? 's'
  }

  private level(value: unknown): Level | null {
    if (typeof value === 'string') {
      const own = this.rules.levels?.[value]
      if (own !== undefined) return own
    }
    return normalizeLevel(value)
  }

  private duration(value: unknown): number | null {
    return durationToMs(value, this.durationUnit)
  }

  /** The event `get` describes, or null when it lacks what its family needs. */
  map(get: (role: FieldRole) => unknown, line: number, offset: number): EvidenceEvent | null {
    const read = (role: FieldRole): unknown => present(get(role)) ?? this.rules.constants?.[role]
    const date = read('date')
    const clock = read('clock')
    const rawTime = read('time') ?? (date !== undefined && clock !== undefined ? `${String(date)}T${String(clock)}` : undefined)
    const time = rawTime === undefined ? null : this.times.read(rawTime)

    let method = asString(read('method'))
    let path: string | null = null
    const request = read('request')
    if (typeof request === 'string') {
      const split = splitRequestLine(request)
      if (split !== null) {
        method ??= split.method
        // Load balancers log the absolute form (`GET http://host:80/x HTTP/1.1`).
        path = pathOnly(split.path)
      }
    }
    const rawPath = asString(read('path')) ?? asString(read('url'))
    path ??= rawPath === null ? null : pathOnly(rawPath)
    const status = asStatus(read('status'))
    const level = this.level(read('level'))
    const client = asString(read('client'))
    const instance = asString(read('instance'))
    const message = asString(read('message'))

    if (this.rules.family === 'access') {
      if (status === null || path === null) return null
      const event: RequestEvent = {
        kind: 'request',
        line,
        lines: 1,
        offset,
        time,
        method: method === null ? '-' : method.toUpperCase(),
        path,
        route: normalizeRoute(path),
        status,
        bytes: asNumber(read('bytes')),
        durationMs: this.duration(read('duration')),
        requestId: asString(read('requestId')),
        client,
        userAgent: asString(read('agent')),
        upstreamStatus: asStatus(read('upstreamStatus')),
        instance: instance ?? asString(read('upstream'))
      }
      // Set only when logged, so the formats without a cache or a client key read as before.
      const cacheStatus = asString(read('cache'))
      if (cacheStatus !== null) event.cacheStatus = cacheStatus
      const clientKey = asString(read('clientKey'))
      if (clientKey !== null) event.clientKey = clientKey
      return event
    }

    if (this.rules.family === 'proxy-error') {
      if (message === null && time === null) return null
      const text = message ?? ''
      return proxyErrorEvent(line, offset, {
        time,
        level,
        message: text,
        reason: upstreamReason(text),
        upstream: asString(read('upstream')),
        method,
        path,
        client
      })
    }

    const stack = asString(read('stack'))
    let errorType = asString(read('errorType'))
    let errorMessage = asString(read('errorMessage'))
    if (stack !== null && (errorType === null || errorMessage === null)) {
      const fromStack = exceptionFromStack(stack)
      errorType ??= fromStack?.type ?? null
      errorMessage ??= fromStack?.message ?? null
    }
    if (message === null && time === null && level === null && errorType === null) return null
    return withEmbeddedError(appEvent(line, offset, {
      time,
      level,
      message: message ?? errorMessage ?? '',
      logger: asString(read('logger')),
      errorType,
      errorMessage,
      stack: stack !== null && stack.includes('\n') ? stack : null,
      requestId: asString(read('requestId')),
      method: method === null ? null : method.toUpperCase(),
      path,
      status,
      instance,
      version: asString(read('version'))
    }))
  }
}

export interface PatternRules extends MappingRules {
  id: LogFormatId
  pattern: RegExp
  refine?(event: EvidenceEvent, groups: Readonly<Record<string, string | undefined>>): EvidenceEvent | null
  frameRecords?: boolean
}

/**
 * A definePattern format: one regex, its named groups read as field roles. In an access format a
 * matched line that is no HTTP request (a TCP proxy entry) becomes an app event carrying the line.
 */
export class PatternParser implements LineParser {
  readonly format: LogFormatId
  private readonly mapper: EventMapper
  private readonly nonRequests: EventMapper | null

  constructor(private readonly spec: PatternRules, readonly multiline: Multiline) {
    this.format = spec.id
    this.mapper = new EventMapper(spec)
    this.nonRequests = spec.family === 'access' ? new EventMapper({ ...spec, family: 'app' }) : null
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const groups = this.spec.pattern.exec(line)?.groups
    if (groups === undefined) return null
    const event = this.mapper.map((role) => groups[role], lineNo, offset)
      ?? this.nonRequests?.map((role) => (role === 'message' ? groups.message ?? line : groups[role]), lineNo, offset)
      ?? null
    if (event === null || this.spec.refine === undefined) return event
    return this.spec.refine(event, groups)
  }

  continues(line: string): string | null {
    if (this.spec.frameRecords !== true) return null
    const message = this.spec.pattern.exec(line)?.groups?.message
    return message !== undefined && isFrameLine(message) ? message : null
  }
}

export interface JsonRules extends MappingRules {
  id: LogFormatId
  requires: readonly string[]
  fields: FieldMap
}

/** A defineJson format, or an inferred field map over JSON lines. */
export class JsonMappedParser implements LineParser {
  readonly format: LogFormatId
  private readonly mapper: EventMapper

  constructor(private readonly spec: JsonRules, readonly multiline: Multiline) {
    this.format = spec.id
    this.mapper = new EventMapper(spec)
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const record = parseJsonRecord(line)
    return record === null ? null : this.parseRecord(record, lineNo, offset)
  }

  parseRecord(record: Record_, lineNo: number, offset: number): EvidenceEvent | null {
    for (const path of this.spec.requires) if (pick(record, path) === undefined) return null
    const fields = this.spec.fields
    return this.mapper.map((role) => {
      const path = fields[role]
      return path === undefined ? undefined : pick(record, path)
    }, lineNo, offset)
  }
}
