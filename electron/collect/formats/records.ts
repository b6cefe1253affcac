/**
 * Structured records (a JSON line, a logfmt line) → events. One mapping covers pino, pino-http,
 * bunyan, winston, structlog, logstash-logback, zap, Go slog, ECS, Caddy and Cloudflare: each
 * field is looked up under the names those libraries use, flat (`log.level`) or nested.
 * A record with method + path + status and no error is a request; anything else is an app event.
 */
import type { AppEvent, EvidenceEvent, Level, RequestEvent } from '../../../shared/model/evidence'
import { normalizeRoute } from '../../../shared/analysis/route'
import type { FieldMap, FieldRole } from '../../../shared/model/evidence'
import { durationField, type DurationUnit } from './fields'
import { appEvent, normalizeLevel, syslogSeverityLevel } from './events'
import { exceptionFromStack } from './trace'
import { parseTimeValue } from './time'
import { TimeReader } from './time-layouts'
import { unwrapOtelRecord } from './otel'

import type { Record_ } from './record-types'

export type { Record_, RecordValue } from './record-types'

function isObject(value: unknown): value is Record_ {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Value at a dotted path: the flat key first (`"log.level"`), then nested objects. */
export function pick(record: Record_, path: string): unknown {
  const flat = record[path]
  if (flat !== undefined) return flat
  const dot = path.indexOf('.')
  if (dot < 0) return undefined
  const head = record[path.slice(0, dot)]
  return isObject(head) ? pick(head, path.slice(dot + 1)) : undefined
}

function firstOf(record: Record_, paths: readonly string[]): unknown {
  for (const path of paths) {
    const value = pick(record, path)
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

/** The first of `paths` whose value `convert` accepts (a wrong-typed field does not hide a later one). */
function firstMapped<T>(record: Record_, paths: readonly string[], convert: (value: unknown) => T | null): T | null {
  for (const path of paths) {
    const value = pick(record, path)
    if (value === undefined || value === null) continue
    const converted = convert(value)
    if (converted !== null) return converted
  }
  return null
}

export function asString(value: unknown): string | null {
  if (typeof value === 'string') return value === '' ? null : value
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  return null
}

export function asStatus(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : NaN
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null
}

export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value)
  return null
}

const TIME_FIELDS = ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date', 't', 'EdgeStartTimestamp', 'asctime', '__REALTIME_TIMESTAMP', 'timeUnixNano', 'time_unix_nano', 'observed_time_unix_nano']
const LEVEL_FIELDS = ['level', 'log.level', 'lvl', 'severity', 'levelname', 'loglevel', 'log_level', 'level_name', '@level', 'severity_text', 'severityText']
const MESSAGE_FIELDS = ['msg', 'message', 'MESSAGE', '@message', 'event', 'error.message', 'fields.message', 'body']
const REQUEST_ID_FIELDS = ['req_id', 'reqId', 'request_id', 'requestId', 'req.id', 'request.id', 'http.request.id', 'x_request_id', 'RayID']
const TRACE_ID_FIELDS = ['trace_id', 'traceId', 'trace.id', 'traceID', 'dd.trace_id']
const METHOD_FIELDS = ['req.method', 'request.method', 'http.request.method', 'method', 'http_method', 'httpRequest.requestMethod', 'ClientRequestMethod', 'http.method']
const PATH_FIELDS = ['req.url', 'request.uri', 'url.path', 'path', 'url', 'uri', 'request_uri', 'req.path', 'http.url', 'httpRequest.requestUrl', 'ClientRequestURI', 'url.original', 'http.target']
const STATUS_FIELDS = ['res.statusCode', 'status', 'status_code', 'statusCode', 'http.response.status_code', 'response.status', 'res.status', 'http_status', 'httpRequest.status', 'EdgeResponseStatus', 'http.status_code']
const LOGGER_FIELDS = ['logger', 'logger_name', 'log.logger', 'name', 'loggerName', 'component', 'SYSLOG_IDENTIFIER']
const CLIENT_FIELDS = ['req.remoteAddress', 'request.client_ip', 'request.remote_ip', 'client.ip', 'source.ip', 'ClientIP', 'client_ip', 'remote_addr', 'remote_ip', 'ip', 'httpRequest.remoteIp', 'client']
const AGENT_FIELDS = ['req.headers.user-agent', 'request.headers.User-Agent', 'user_agent.original', 'ClientRequestUserAgent', 'user_agent', 'userAgent', 'http_user_agent', 'httpRequest.userAgent', 'ua']
const BYTES_FIELDS = ['size', 'bytes', 'EdgeResponseBytes', 'body_bytes_sent', 'http.response.body.bytes', 'response_size', 'res.headers.content-length', 'bytes_sent']
const STACK_FIELDS = ['stack_trace', 'stacktrace', 'stack', 'exception.stacktrace', 'exc_info', 'exception', 'error.stack_trace', 'error.stack', 'err.stack', 'backtrace', 'trace']
const INSTANCE_FIELDS = ['upstream_addr', 'upstream.address', 'upstream_address', 'k8s.pod.name', 'kubernetes.pod_name', 'kubernetes.pod.name', 'pod', 'pod_name', 'service.instance.id', 'host.name', 'hostname', 'host', '_HOSTNAME', 'instance', 'server_id']
const ERROR_FIELDS = ['err', 'error', 'exception', 'exc']
/** The app's own version (ECS/OTel `service.version`, Sentry `release`, a build's sha or image): never the protocol's. */
const VERSION_FIELDS = ['service.version', 'app_version', 'appVersion', 'app.version', 'serviceContext.version', 'version', 'release', 'git_sha', 'gitSha', 'git.sha', 'commit_sha', 'build', 'image', 'container.image.tag']

/** A version field's value: a text or a number; of an image reference, its tag (`registry/orders:3.8.1` → 3.8.1). */
function versionValue(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : asString(value)
  if (text === null || text.length > 100) return null
  if (!text.includes('/') && !/^[\w.-]+:[\w.+-]+$/.test(text)) return text
  const name = text.slice(text.lastIndexOf('/') + 1)
  const colon = name.indexOf(':')
  return colon > 0 && !name.includes('@') ? name.slice(colon + 1) : null
}
/** Cloudflare, nginx ($upstream_cache_status), Fastly/Varnish (X-Cache) as JSON loggers name them. */
const CACHE_FIELDS = ['CacheCacheStatus', 'cache_status', 'cacheStatus', 'upstream_cache_status', 'x_cache', 'x-cache', 'X-Cache',
  'res.headers.x-cache', 'response.headers.X-Cache', 'http.response.headers.x_cache', 'cache.status']
/** Keys that name the client itself; an OAuth `client_id` names an app shared by many users, so it is no default. */
const CLIENT_KEY_FIELDS = ['device_id', 'deviceId', 'idempotency_key', 'idempotencyKey', 'req.headers.idempotency-key',
  'request.headers.Idempotency-Key', 'http.request.header.idempotency_key']

/** Duration text with a unit (`12ms`, `1.5s`, `350µs`, Go's `1m2.5s`) → ms. */
export function durationTextToMs(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)?$/.exec(text.trim())
  if (m === null) return null
  const value = Number(m[1])
  switch (m[2]) {
    case 'ns': return value / 1e6
    case 'us':
    case 'µs': return value / 1e3
    case undefined:
    case 'ms': return value
    case 's': return value * 1e3
    case 'm': return value * 60e3
    default: return value * 3600e3
  }
}

const UNIT_MS: Record<DurationUnit, number> = { s: 1000, ms: 1, us: 1e-3, ns: 1e-6 }

/** A duration value in `unit` (a number, or a text with its own unit) → ms. */
export function durationToMs(value: unknown, unit: DurationUnit): number | null {
  const n = asNumber(value)
  if (n !== null) return Math.round(n * UNIT_MS[unit] * 1000) / 1000
  return typeof value === 'string' ? durationTextToMs(value) : null
}

function durationOf(record: Record_, caddyStyle: boolean): number | null {
  const explicitMs = firstMapped(record, ['responseTime', 'response_time_ms', 'duration_ms', 'durationMs', 'elapsed_ms', 'latency_ms', 'took'], asNumber)
  if (explicitMs !== null) return explicitMs
  const start = asNumber(record.EdgeStartTimestamp)
  const end = asNumber(record.EdgeEndTimestamp)
  if (start !== null && end !== null && end >= start) return (end - start) / 1e6
  const seconds = firstMapped(record, ['request_time', 'response_time', 'event.duration_s'], asNumber)
  if (seconds !== null) return seconds * 1000
  const ns = asNumber(pick(record, 'event.duration'))
  if (ns !== null) return ns / 1e6
  const duration = firstOf(record, ['duration', 'elapsed', 'latency'])
  if (typeof duration === 'number') return caddyStyle ? duration * 1000 : duration
  if (typeof duration === 'string') return durationTextToMs(duration)
  return null
}

interface ErrorDetails {
  type: string | null
  message: string | null
  stack: string | null
}

type ListRole = 'time' | 'level' | 'message' | 'requestId' | 'method' | 'path' | 'status' | 'logger' | 'client' | 'agent' | 'bytes' | 'instance' | 'upstreamStatus' | 'stack' | 'errorType' | 'errorMessage' | 'version' | 'cache' | 'clientKey'

/** The names each role is looked up under when no field map says otherwise, in order. */
const DEFAULT_FIELDS: Readonly<Record<ListRole, readonly string[]>> = {
  time: TIME_FIELDS,
  level: LEVEL_FIELDS,
  message: MESSAGE_FIELDS,
  requestId: [...REQUEST_ID_FIELDS, ...TRACE_ID_FIELDS],
  method: METHOD_FIELDS,
  path: PATH_FIELDS,
  status: STATUS_FIELDS,
  logger: LOGGER_FIELDS,
  client: CLIENT_FIELDS,
  agent: AGENT_FIELDS,
  bytes: BYTES_FIELDS,
  instance: INSTANCE_FIELDS,
  upstreamStatus: ['upstream_status', 'OriginResponseStatus', 'upstream.status'],
  stack: STACK_FIELDS,
  errorType: ['error.type', 'error.kind', 'exception.type', 'exc_type', 'error_type', 'exception_class'],
  errorMessage: ['error.message', 'exception.message', 'exc_message', 'error_message'],
  version: VERSION_FIELDS,
  cache: CACHE_FIELDS,
  clientKey: CLIENT_KEY_FIELDS
}

/** Field-map roles read through another role's list (a URL is a path here). */
const LIST_OF: Partial<Record<FieldRole, ListRole>> = { url: 'path', upstream: 'instance' }

const agentValue = (value: unknown): string | null => (Array.isArray(value) ? asString(value[0]) : asString(value))

/**
 * Maps structured records to events. Each role is looked up under the names the common libraries
 * use; a field map (inferred from the file's first records, or given by the user) puts its key for
 * a role first, so a file with its own names is read without losing what the common names read.
 */
export class RecordMapper {
  private readonly fields: Readonly<Record<ListRole, readonly string[]>>
  private readonly mappedTime: string | null
  private readonly mappedDuration: { path: string; unit: DurationUnit } | null
  private readonly mappedRequest: string | null
  private readonly times = new TimeReader('auto')

  constructor(map: FieldMap = {}) {
    const fields: Record<ListRole, readonly string[]> = { ...DEFAULT_FIELDS }
    for (const [role, key] of Object.entries(map) as [FieldRole, string | undefined][]) {
      const list = role in DEFAULT_FIELDS ? (role as ListRole) : LIST_OF[role]
      if (list === undefined || key === undefined || key === '') continue
      fields[list] = [key, ...fields[list].filter((name) => name !== key)]
    }
    this.fields = fields
    this.mappedTime = map.time ?? null
    this.mappedRequest = map.request ?? null
    const duration = map.duration === undefined ? null : durationField(map.duration)
    // Without a unit, a mapped duration is read like the common names: ms unless it says otherwise.
    this.mappedDuration = duration === null ? null : { path: duration.path, unit: duration.unit ?? 'ms' }
  }

  private time(record: Record_): number | null {
    if (this.mappedTime !== null) {
      const value = this.times.read(pick(record, this.mappedTime))
      if (value !== null) return value
    }
    return firstMapped(record, this.fields.time, parseTimeValue)
  }

  private duration(record: Record_, caddyStyle: boolean): number | null {
    if (this.mappedDuration !== null) {
      const value = pick(record, this.mappedDuration.path)
      const ms = value === undefined || value === null ? null : durationToMs(value, this.mappedDuration.unit)
      if (ms !== null) return ms
    }
    return durationOf(record, caddyStyle)
  }

  /** The error a record carries, from `err`/`error`/`exception` objects or strings and stack fields. */
  private errorOf(record: Record_): ErrorDetails | null {
    let type: string | null = null
    let message: string | null = null
    let stack: string | null = null
    for (const field of ERROR_FIELDS) {
      const value = record[field]
      if (isObject(value)) {
        type ??= asString(value.type ?? value.name ?? value.kind ?? value.class ?? value.code)
        message ??= asString(value.message ?? value.msg)
        stack ??= asString(value.stack ?? value.stack_trace ?? value.stacktrace ?? value.backtrace)
      } else if (typeof value === 'string' && value !== '' && field !== 'exception') {
        message ??= value
      }
    }
    type ??= firstMapped(record, this.fields.errorType, asString)
    message ??= firstMapped(record, this.fields.errorMessage, asString)
    for (const field of this.fields.stack) {
      if (stack !== null) break
      const value = pick(record, field)
      if (typeof value === 'string' && value.includes('\n')) stack = value
      else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) stack = value.join('\n')
      else if (field === 'exception' && typeof value === 'string' && value !== '') stack = value
    }
    if (type === null && message === null && stack === null) return null
    if (stack !== null && (type === null || message === null)) {
      const fromStack = exceptionFromStack(stack)
      if (fromStack !== null) {
        type ??= fromStack.type
        message ??= fromStack.message
      }
    }
    return { type, message, stack }
  }

  /** Maps one structured record to an event, or null when it carries nothing a log event has. */
  toEvent(raw: Record_, line: number, offset: number): EvidenceEvent | null {
    const record = unwrapOtelRecord(raw)
    const f = this.fields
    let method = firstMapped(record, f.method, asString)
    let rawPath = firstMapped(record, f.path, asString)
    if ((method === null || rawPath === null) && this.mappedRequest !== null) {
      const request = asString(pick(record, this.mappedRequest))
      const split = request === null ? null : splitRequestLine(request)
      method ??= split?.method ?? null
      rawPath ??= split?.path ?? null
    }
    const status = firstMapped(record, f.status, asStatus)
    const error = this.errorOf(record)
    const time = this.time(record)
    const level = firstMapped(record, f.level, normalizeLevel) ?? journaldLevel(record.PRIORITY)
    const requestId = firstMapped(record, f.requestId, asString)
    const path = rawPath === null ? null : pathOnly(rawPath)

    if (method !== null && path !== null && status !== null && error === null && level !== 'error' && level !== 'fatal') {
      const caddyStyle = isObject(record.request) && record.request.uri !== undefined
      const request: RequestEvent = {
        kind: 'request',
        line,
        lines: 1,
        offset,
        time,
        method: method.toUpperCase(),
        path,
        route: normalizeRoute(path),
        status,
        bytes: firstMapped(record, f.bytes, asNumber),
        durationMs: this.duration(record, caddyStyle),
        requestId,
        client: firstMapped(record, f.client, asString),
        userAgent: firstMapped(record, f.agent, agentValue),
        upstreamStatus: firstMapped(record, f.upstreamStatus, asStatus),
        instance: firstMapped(record, f.instance, asString)
      }
      const cacheStatus = firstMapped(record, f.cache, asString)
      if (cacheStatus !== null) request.cacheStatus = cacheStatus
      const clientKey = firstMapped(record, f.clientKey, asString)
      if (clientKey !== null) request.clientKey = clientKey
      return request
    }

    const message = firstMapped(record, f.message, (value) => (typeof value === 'string' ? value : null))
    if (message === null && level === null && error === null && time === null) return null
    const event: AppEvent = appEvent(line, offset, {
      time,
      level,
      message: message ?? error?.message ?? '',
      errorType: error?.type ?? null,
      errorMessage: error?.message ?? null,
      stack: error?.stack ?? null,
      requestId,
      method: method === null ? null : method.toUpperCase(),
      path,
      status,
      logger: firstMapped(record, f.logger, asString),
      instance: firstMapped(record, f.instance, asString),
      version: firstMapped(record, f.version, versionValue)
    })
    return event
  }
}

const COMMON_NAMES = new RecordMapper()

/** Maps one structured record to an event under the common field names (see RecordMapper). */
export function recordToEvent(record: Record_, line: number, offset: number): EvidenceEvent | null {
  return COMMON_NAMES.toEvent(record, line, offset)
}

/** journald's PRIORITY is a syslog severity (0 emerg … 7 debug), not a bunyan-style number. */
function journaldLevel(priority: unknown): Level | null {
  const value = typeof priority === 'string' && /^[0-7]$/.test(priority) ? Number(priority) : typeof priority === 'number' ? priority : NaN
  return Number.isInteger(value) && value >= 0 && value <= 7 ? syslogSeverityLevel(value) : null
}

const REQUEST_LINE_RE = /^([A-Z][A-Z_-]{1,15}) (\S+)(?: HTTP\/[\d.]+)?$/

/** `GET /x?q HTTP/1.1` → method and path (a request line nginx could not parse keeps only its text). */
export function splitRequestLine(text: string): { method: string; path: string } | null {
  const m = REQUEST_LINE_RE.exec(text.trim())
  return m === null ? null : { method: m[1], path: m[2] }
}

/** `https://host/x/y?q` → `/x/y?q` (some loggers record the absolute URL). */
export function pathOnly(url: string): string {
  if (url.charCodeAt(0) === 47) return url
  const scheme = url.indexOf('://')
  if (scheme > 0 && scheme < 10) {
    const slash = url.indexOf('/', scheme + 3)
    return slash < 0 ? '/' : url.slice(slash)
  }
  return url
}
