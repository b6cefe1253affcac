/**
 * Inference for what no definition knows: from a file's first records (JSON lines or logfmt),
 * which key plays each field role, judged by the key's name (the names of the common loggers,
 * proxies and conventions: ECS, OpenTelemetry, Envoy, Traefik, Kong, GCP, Heroku, ALB…) AND by the
 * shape of its values over the sample (statuses are 100–599 integers, methods HTTP words, paths
 * start with `/`…). A name alone never wins against values of the wrong shape (`status: "ok"`), and
 * values alone only win for shapes no other field has (an HTTP method, a UUID, a stack trace).
 * The cost is bounded by the sample (DETECT_SAMPLE_LINES), never by the file.
 */
import { asStatus, durationTextToMs, pick, splitRequestLine, type Record_ } from './records'
import type { DurationUnit, FieldMap, FieldRole } from './definition'
import { DETECT_SAMPLE_LINES } from './fields'
import { normalizeLevel } from './events'
import { parseJsonRecord } from './json'
import { parseLogfmt } from './logfmt'
import { TimeReader } from './time-layouts'
import { isBlank } from './trace'

export interface JudgedField {
  role: FieldRole
  key: string
  /** 0..1: 0.6 × how well the values fit the role + 0.4 × how well the name does. */
  score: number
}

export interface InferredFields {
  /** `access` when most records carry a status, a path and a method. */
  family: 'access' | 'app'
  /** The key per role; a duration key carries its unit (`Duration:ns`, see durationField). */
  map: FieldMap
  durationUnit: DurationUnit | null
  /** Every role picked, best first. */
  judged: JudgedField[]
}

/** Below this a role is left to the common names. */
const MIN_SCORE = 0.5
/** Value-only picks need this many records: one or two values prove nothing. */
const MIN_RECORDS_BY_SHAPE = 3
/** How deep nested objects are flattened into dotted paths, and how many keys a record may add. */
const MAX_DEPTH = 4
const MAX_KEYS = 300

type InferredRole = Extract<FieldRole,
  'status' | 'upstreamStatus' | 'method' | 'path' | 'request' | 'time' | 'level' | 'message' | 'duration' |
  'requestId' | 'client' | 'agent' | 'instance' | 'bytes' | 'stack' | 'errorType' | 'version' | 'cache' | 'clientKey'>

interface RoleRule {
  /** Full dotted names (any case) that name this role outright; later entries are no weaker. */
  names: readonly string[]
  /** Names that suggest the role less surely (score 0.5). */
  weak?: readonly string[]
  /** Words of a key name that suggest the role (score 0.4), after splitting on `._-` and camelCase. */
  words?: readonly string[]
  /** Words that rule a key out (`pid` is never a status). */
  never?: readonly string[]
  /** How well one value fits, 0..1. */
  shape(value: unknown): number
  /** Least share of records that must carry the key (status in every request; a stack now and then). */
  coverage: number
  /** Whether a name is needed: the values' shape alone is not telling (numbers could be anything). */
  needsName: boolean
  /** Least mean fit of the values. */
  minFit: number
}

const HTTP_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'CONNECT', 'TRACE', 'PROPFIND', 'PURGE'])
const COMMON_STATUSES = new Set([200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 408, 409, 410, 413, 422, 429, 499, 500, 501, 502, 503, 504])
const IPV4 = String.raw`\d{1,3}(?:\.\d{1,3}){3}`
const IPV6 = String.raw`[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7}`
const IP_RE = new RegExp(`^(?:${IPV4}|${IPV6}|\\[${IPV6}\\])(?::\\d{1,5})?$`)
const HOST_PORT_RE = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):\d{1,5}$/
const URL_RE = /^[a-z][a-z0-9+.-]{1,9}:\/\/\S+$/i
const HOSTNAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*$/
const POD_RE = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?-[a-z0-9]{5,10}-[a-z0-9]{5}$/
const AGENT_RE = /^[A-Za-z][\w.!+-]*\/[\w.+-]+(?:[ ;(].*)?$/
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HEX_RE = /^[0-9a-f]{16,64}$/i
const TOKEN_RE = /^[A-Za-z0-9][\w.:/-]{5,127}$/
const FRAME_RE = /\n\s*(?:at |File "|#\d+ |\S+\.go:\d+|\S+\.(?:java|kt|scala|py|rb|php|js|ts):\d+)/
const ERROR_TYPE_RE = /^[A-Za-z_$][\w$]*(?:[.:\\][A-Za-z_$][\w$]*)*$/
const VERSION_RE = /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/
const CACHE_WORDS = new Set(['hit', 'miss', 'expired', 'stale', 'updating', 'revalidated', 'bypass', 'dynamic', 'pass', 'none', 'unknown', 'ignored', 'deferred', 'refreshhit', 'error'])
const YEAR_2000 = Date.UTC(2000, 0, 1)
const YEAR_2100 = Date.UTC(2100, 0, 1)

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' && value !== '-' ? value : null)
const numeric = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : null
}

const ROLES: Readonly<Record<InferredRole, RoleRule>> = {
  status: {
    names: ['status', 'status_code', 'statuscode', 'http_status', 'response_code', 'responsecode', 'response_status', 'responsestatus',
      'http.response.status_code', 'http.status_code', 'res.statuscode', 'res.status', 'response.status', 'httprequest.status',
      'downstreamstatus', 'edgeresponsestatus', 'elb_status_code', 'sc-status', 'statuscode'],
    weak: ['code', 'http_code', 'httpstatus'],
    words: ['status'],
    never: ['id', 'pid', 'port', 'line', 'lineno', 'size', 'bytes', 'count', 'len', 'length', 'duration', 'latency', 'time', 'ms',
      'seq', 'num', 'number', 'attempt', 'attempts', 'retries', 'retry', 'timeout', 'version', 'ttl', 'offset', 'level', 'severity',
      'priority', 'grpc', 'origin', 'upstream', 'target', 'backend', 'exit', 'errno', 'thread', 'tid', 'uid', 'gid', 'year'],
    shape: (value) => {
      const status = asStatus(value)
      return status === null ? 0 : COMMON_STATUSES.has(status) ? 1 : 0.7
    },
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  upstreamStatus: {
    names: ['upstream_status', 'upstreamstatus', 'upstream.status', 'originstatus', 'originresponsestatus', 'target_status_code'],
    shape: (value) => (asStatus(value) === null ? 0 : 1),
    coverage: 0.2,
    needsName: true,
    minFit: 0.5
  },
  method: {
    names: ['method', 'http_method', 'request_method', 'requestmethod', 'http.request.method', 'http.method', 'req.method',
      'request.method', 'httprequest.requestmethod', 'clientrequestmethod', 'verb', 'cs-method'],
    words: ['method', 'verb'],
    shape: (value) => {
      const word = text(value)
      return word !== null && HTTP_METHODS.has(word.toUpperCase()) ? 1 : 0
    },
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  path: {
    names: ['path', 'url', 'uri', 'request_uri', 'requesturi', 'request_path', 'requestpath', 'url.path', 'url.original', 'url.full',
      'http.target', 'http.url', 'req.url', 'req.path', 'request.uri', 'request.url', 'request.path', 'httprequest.requesturl',
      'clientrequesturi', 'cs-uri-stem', 'x-envoy-origin-path', 'x-envoy-original-path', 'upstream_uri'],
    words: ['path', 'url', 'uri', 'target'],
    never: ['file', 'referer', 'referrer', 'backend', 'service', 'origin', 'upstream', 'log', 'source', 'callback', 'redirect'],
    shape: (value) => {
      const path = text(value)
      if (path === null) return 0
      if (path.charCodeAt(0) === 47 && !path.includes(' ')) return path.startsWith('//') ? 0.5 : 1
      return URL_RE.test(path) ? 0.9 : 0
    },
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  request: {
    names: ['request', 'request_line', 'requestline', 'req_line', 'first_line'],
    words: ['request'],
    shape: (value) => {
      const line = text(value)
      const split = line === null ? null : splitRequestLine(line)
      return split !== null && HTTP_METHODS.has(split.method) ? 1 : 0
    },
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  time: {
    names: ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'date', 't', '@t', 'start_time', 'starttime', 'startutc', 'startlocal',
      'started_at', 'time_local', 'time_iso8601', 'timemillis', 'timeunixnano', 'edgestarttimestamp', 'eventtime', 'logged_at',
      'asctime', '__realtime_timestamp', 'request_start_time'],
    weak: ['receivetimestamp', 'created', 'created_at', 'time_utc'],
    words: ['time', 'timestamp', 'date', 'ts', 'at'],
    never: ['duration', 'elapsed', 'latency', 'taken', 'ms', 'timeout', 'request_time', 'response_time', 'upstream', 'updated', 'expires', 'zone'],
    shape: () => 0, // judged over the column (timeFit)
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  level: {
    names: ['level', 'log.level', 'lvl', 'severity', 'levelname', 'loglevel', 'log_level', 'level_name', '@level', '@l', 'severitytext', 'at'],
    words: ['level', 'severity', 'lvl'],
    never: ['number', 'num', 'duration', 'time', 'code', 'status', 'size', 'bytes', 'count', 'id'],
    shape: (value) => {
      // Numbers only as bunyan/pino levels; any other number is a count or a duration.
      const n = numeric(value)
      if (n !== null) return [10, 20, 30, 40, 50, 60].includes(n) ? 0.9 : 0
      return typeof value === 'string' && value.length <= 12 && normalizeLevel(value) !== null ? 1 : 0
    },
    coverage: 0.5,
    needsName: false,
    minFit: 0.8
  },
  message: {
    names: ['msg', 'message', '@message', '@m', 'body', 'log', 'text', 'textpayload', 'fields.message', 'event'],
    words: ['message', 'msg'],
    never: ['id', 'type', 'level', 'length', 'size', 'count'],
    shape: (value) => {
      const message = text(value)
      if (message === null || AGENT_RE.test(message) || URL_RE.test(message) || message.charCodeAt(0) === 47) return 0
      return message.includes(' ') ? 1 : 0.5
    },
    coverage: 0.3,
    needsName: false,
    minFit: 0.5
  },
  duration: {
    names: ['duration', 'duration_ms', 'durationms', 'elapsed', 'elapsed_ms', 'latency', 'latency_ms', 'request_time', 'response_time',
      'responsetime', 'response_time_ms', 'took', 'time_taken', 'latencies.request', 'event.duration', 'httprequest.latency',
      'upstream_service_time', 'x-envoy-upstream-service-time', 'request_duration', 'service', 'http.server.duration', 'duration_ns',
      'target_processing_time', 'request_processing_time'],
    words: ['duration', 'latency', 'elapsed', 'took', 'taken'],
    never: ['connect', 'timeout', 'max', 'min', 'avg', 'origin', 'overhead', 'kong', 'proxy', 'started', 'start', 'limit'],
    shape: (value) => {
      const n = numeric(value)
      if (n !== null) return n >= 0 ? 1 : 0
      return typeof value === 'string' && durationTextToMs(value) !== null ? 1 : 0
    },
    coverage: 0.5,
    needsName: true,
    minFit: 0.8
  },
  requestId: {
    names: ['request_id', 'requestid', 'req_id', 'reqid', 'x_request_id', 'x-request-id', 'req.id', 'request.id', 'http.request.id',
      'rayid', 'correlation_id', 'correlationid', 'request.headers.x-request-id'],
    weak: ['trace_id', 'traceid', 'trace.id', 'dd.trace_id', 'trace', 'logging.googleapis.com/trace'],
    words: ['request', 'correlation', 'rid'],
    never: ['span', 'parent', 'user', 'session', 'tenant', 'account', 'consumer', 'service', 'route', 'api', 'node', 'thread', 'process'],
    shape: (value) => {
      const id = text(value) ?? (typeof value === 'number' ? String(value) : null)
      if (id === null) return 0
      if (UUID_RE.test(id) || HEX_RE.test(id)) return 1
      return TOKEN_RE.test(id) ? 0.5 : 0
    },
    coverage: 0.3,
    needsName: false,
    minFit: 0.5
  },
  client: {
    names: ['client_ip', 'clientip', 'client', 'remote_addr', 'remote_ip', 'remoteip', 'ip', 'clienthost', 'clientaddr', 'client.ip',
      'client.address', 'source.ip', 'source.address', 'req.remoteaddress', 'httprequest.remoteip', 'downstream_remote_address',
      'x_forwarded_for', 'x-forwarded-for', 'fwd', 'client_addr', 'network.peer.address', 'client.address', 'c-ip', 'request.remote_ip'],
    words: ['client', 'remote', 'forwarded', 'peer', 'source'],
    never: ['local', 'server', 'upstream', 'backend', 'service', 'target', 'port', 'user', 'username', 'host'],
    shape: (value) => {
      const ip = text(value)
      if (ip === null) return 0
      if (!ip.split(/,\s*/).every((part) => IP_RE.test(part))) return 0
      // A bare address over one with a port (Traefik's ClientHost over ClientAddr).
      return /^[\d.]+:\d+$|^\[.*\]:\d+$/.test(ip) ? 0.9 : 1
    },
    coverage: 0.3,
    needsName: false,
    minFit: 0.8
  },
  agent: {
    names: ['user_agent', 'useragent', 'http_user_agent', 'ua', 'user_agent.original', 'req.headers.user-agent', 'request.headers.user-agent',
      'httprequest.useragent', 'clientrequestuseragent', 'request_user-agent', 'user-agent', 'agent', 'cs(user-agent)'],
    words: ['agent', 'ua'],
    shape: (value) => {
      const agent = text(value)
      return agent !== null && AGENT_RE.test(agent) ? 1 : 0
    },
    coverage: 0.3,
    needsName: false,
    minFit: 0.8
  },
  instance: {
    names: ['upstream_host', 'upstream_addr', 'upstream.address', 'upstream_address', 'upstreamaddr', 'backendaddr', 'serviceaddr',
      'backendurl.host', 'serviceurl.host', 'target', 'target_ip', 'k8s.pod.name', 'kubernetes.pod_name', 'kubernetes.pod.name', 'pod',
      'pod_name', 'host.name', 'hostname', 'instance', 'service.instance.id', 'dyno', 'server_id', 'httprequest.serverip', '_hostname',
      'upstream_local_address', 'node'],
    weak: ['host', 'server', 'container', 'container_name'],
    words: ['upstream', 'backend', 'pod', 'instance', 'hostname', 'target', 'dyno'],
    never: ['cluster', 'name_space', 'namespace', 'client', 'remote', 'downstream', 'request', 'requested', 'authority', 'referer', 'user', 'status', 'port'],
    shape: (value) => {
      const host = text(value)
      if (host === null) return 0
      if (HOST_PORT_RE.test(host) || IP_RE.test(host) || POD_RE.test(host)) return 1
      if (URL_RE.test(host)) return 0.8
      return HOSTNAME_RE.test(host) ? 0.7 : 0
    },
    coverage: 0.3,
    needsName: true,
    minFit: 0.6
  },
  bytes: {
    names: ['bytes', 'size', 'bytes_sent', 'body_bytes_sent', 'response_size', 'responsesize', 'http.response.body.bytes', 'res.headers.content-length',
      'downstreamcontentsize', 'edgeresponsebytes', 'sent_bytes', 'response.size', 'httprequest.responsesize', 'sc-bytes'],
    words: ['bytes'],
    never: ['received', 'request', 'origin', 'upstream'],
    shape: (value) => {
      const n = numeric(value)
      return n !== null && Number.isInteger(n) && n >= 0 ? 1 : 0
    },
    coverage: 0.5,
    needsName: true,
    minFit: 0.8
  },
  stack: {
    names: ['stack', 'stack_trace', 'stacktrace', 'exception.stacktrace', 'error.stack_trace', 'error.stack', 'err.stack', 'exc_info',
      'backtrace', 'exception', 'trace'],
    words: ['stack', 'stacktrace', 'backtrace', 'traceback'],
    shape: (value) => (typeof value === 'string' && FRAME_RE.test(value) ? 1 : 0),
    coverage: 0,
    needsName: false,
    minFit: 0.5
  },
  errorType: {
    names: ['exception.type', 'error.type', 'error.kind', 'exc_type', 'err.name', 'err.type', 'error.name', 'error_type', 'exception_class', 'error.class'],
    shape: (value) => {
      const type = text(value)
      if (type === null || !ERROR_TYPE_RE.test(type)) return 0
      return /(?:Error|Exception|Err|Fault|Panic)$/.test(type) ? 1 : 0.6
    },
    coverage: 0,
    needsName: true,
    minFit: 0.5
  },
  cache: {
    names: ['cachecachestatus', 'cache_status', 'cachestatus', 'upstream_cache_status', 'x_cache', 'x-cache', 'res.headers.x-cache',
      'response.headers.x-cache', 'cache.status', 'x-edge-result-type'],
    words: ['cache'],
    never: ['key', 'control', 'age', 'ttl', 'size', 'bytes', 'time'],
    shape: (value) => {
      const word = text(value)
      if (word === null) return 0
      // Fastly with shielding: `MISS, HIT`.
      return word.split(/,\s*/).every((w) => CACHE_WORDS.has(w.toLowerCase().replace(/-[a-z]+$/, ''))) ? 1 : 0
    },
    coverage: 0.3,
    needsName: true,
    minFit: 0.8
  },
  clientKey: {
    names: ['device_id', 'deviceid', 'idempotency_key', 'idempotencykey', 'idempotency-key', 'req.headers.idempotency-key',
      'request.headers.idempotency-key', 'client_key'],
    words: ['idempotency', 'device'],
    never: ['type', 'model', 'name', 'os'],
    shape: (value) => (text(value) !== null && TOKEN_RE.test(String(value)) ? 1 : 0),
    coverage: 0.2,
    needsName: true,
    minFit: 0.8
  },
  version: {
    names: ['service.version', 'version', 'app_version', 'appversion', 'release', 'build', 'git_sha', 'commit', 'servicecontext.version'],
    never: ['protocol', 'ecs', 'http', 'tls', 'v'],
    shape: (value) => {
      const version = text(value)
      if (version === null) return 0
      return VERSION_RE.test(version) || /^[0-9a-f]{7,40}$/.test(version) ? 1 : 0.5
    },
    coverage: 0.5,
    needsName: true,
    minFit: 0.5
  }
}

/** Splits a key into lower-case words: `DownstreamStatus` → downstream, status; `http.request.method` → http, request, method. */
function words(key: string): string[] {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9@]+/).filter((w) => w !== '')
}

/** 0..1 how surely the key's name says the role; -1 when a word rules it out. */
function nameScore(rule: RoleRule, key: string): number {
  const lower = key.toLowerCase()
  const last = lower.slice(lower.lastIndexOf('.') + 1)
  if (rule.names.includes(lower)) return 1
  const keyWords = words(key)
  if (rule.never?.some((w) => keyWords.includes(w)) === true) return -1
  if (rule.weak?.includes(lower) === true) return 0.5
  if (lower !== last && rule.names.includes(last)) return 0.7
  if (rule.weak?.includes(last) === true) return 0.5
  if (rule.words?.some((w) => keyWords.includes(w)) === true) return 0.4
  return 0
}

/** The key's values across the sample, one slot per record (undefined where absent). */
type Columns = Map<string, unknown[]>

function flatten(record: Record_, index: number, total: number, columns: Columns, prefix = '', depth = 0): void {
  for (const [key, value] of Object.entries(record)) {
    const path = prefix === '' ? key : `${prefix}.${key}`
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (depth < MAX_DEPTH) flatten(value as Record_, index, total, columns, path, depth + 1)
      continue
    }
    if (value === null || value === undefined || Array.isArray(value)) continue
    let column = columns.get(path)
    if (column === undefined) {
      if (columns.size >= MAX_KEYS) continue
      column = new Array<unknown>(total)
      columns.set(path, column)
    }
    column[index] = value
  }
}

/** Share of values a time reader reads as a plausible date, lowered when they run backwards often. */
function timeFit(values: readonly unknown[]): number {
  const reader = new TimeReader('auto')
  let read = 0
  let backwards = 0
  let previous: number | null = null
  for (const value of values) {
    // Small numbers are counts or durations, not epochs (epochToMillis would read 12 as 1970).
    if (typeof value === 'number' && value < 1e9) continue
    if (typeof value === 'string' && /^\d{1,8}(\.\d+)?$/.test(value)) continue
    const time = reader.read(value)
    if (time === null || time < YEAR_2000 || time > YEAR_2100) continue
    read++
    if (previous !== null && time < previous - 60_000) backwards++
    previous = time
  }
  if (values.length === 0) return 0
  const fit = read / values.length
  return read > 2 && backwards > read / 3 ? fit * 0.8 : fit
}

interface Candidate {
  role: InferredRole
  key: string
  score: number
}

function judge(role: InferredRole, key: string, column: readonly unknown[], records: number): Candidate | null {
  const rule = ROLES[role]
  const name = nameScore(rule, key)
  if (name < 0 || (rule.needsName && name === 0)) return null
  const values = column.filter((v) => v !== undefined && v !== '' && v !== '-')
  if (values.length === 0) return null
  const coverage = values.length / records
  if (coverage < rule.coverage || (name === 0 && (values.length < MIN_RECORDS_BY_SHAPE || coverage < 0.8))) return null
  let fit = role === 'time' ? timeFit(values) : values.reduce<number>((sum, v) => sum + rule.shape(v), 0) / values.length
  if (role === 'status' || role === 'upstreamStatus') fit *= statusColumnFactor(values)
  if (role === 'requestId') fit *= uniqueFactor(values)
  // The longest free text is the message: length decides between fields that all read as text.
  if (role === 'message') fit = 0.9 * fit + Math.min(0.1, meanLength(values) / 400)
  if (fit < rule.minFit) return null
  return { role, key, score: Math.round((0.6 * fit + 0.4 * name) * 1000) / 1000 }
}

/** Statuses repeat: a column of mostly distinct numbers is a counter or an id, one constant odd number an id. */
function statusColumnFactor(values: readonly unknown[]): number {
  const distinct = new Set(values.map((v) => String(v)))
  if (values.length >= 8 && distinct.size > values.length / 2) return 0.2
  if (values.length >= MIN_RECORDS_BY_SHAPE && distinct.size === 1 && !COMMON_STATUSES.has(asStatus(values[0]) ?? 0)) return 0.5
  return 1
}

/** Request ids are unique per record (a few repeats: retries, the same request seen twice). */
function uniqueFactor(values: readonly unknown[]): number {
  if (values.length < 2) return 1
  const distinct = new Set(values.map((v) => String(v))).size
  return distinct / values.length >= 0.5 ? 1 : 0.3
}

function meanLength(values: readonly unknown[]): number {
  let sum = 0
  for (const v of values) sum += typeof v === 'string' ? v.length : 0
  return values.length === 0 ? 0 : sum / values.length
}

const UNIT_BY_NAME: ReadonlyArray<[RegExp, DurationUnit]> = [
  [/(?:^|[._-])(?:ns|nanos?)$|Nanos?$|Ns$/, 'ns'],
  [/(?:^|[._-])(?:us|micros?)$|Micros?$|Us$/, 'us'],
  [/(?:^|[._-])(?:ms|millis?)$|Millis?$|Ms$/, 'ms'],
  [/(?:^|[._-])(?:s|sec|secs|seconds)$|Seconds?$/, 's'],
  // Traefik's Duration and OriginDuration are nanoseconds, as is ECS event.duration.
  [/^(?:Duration|OriginDuration|event\.duration)$/, 'ns'],
  [/^(?:request_time|response_time|upstream_response_time|request_processing_time|target_processing_time|response_processing_time)$/, 's'],
  [/^(?:responseTime|took|latencies\.request|upstream_service_time|x-envoy-upstream-service-time|time_taken|request_duration|service)$/, 'ms']
]

/** A duration key's unit: by its name, else by its values (fractions under 100 are seconds, huge integers ns). */
export function durationUnitOf(key: string, values: readonly unknown[]): DurationUnit {
  const last = key.slice(key.lastIndexOf('.') + 1)
  for (const [re, unit] of UNIT_BY_NAME) if (re.test(key) || re.test(last)) return unit
  const numbers = values.map(numeric).filter((n): n is number => n !== null).sort((a, b) => a - b)
  if (numbers.length === 0) return 'ms'
  const median = numbers[Math.floor(numbers.length / 2)]
  if (numbers.some((n) => !Number.isInteger(n)) && median < 100) return 's'
  if (median >= 1e7) return 'ns'
  return 'ms'
}

function parseRecord(line: string): Record_ | null {
  return parseJsonRecord(line) ?? parseLogfmt(line, true) ?? parseLogfmt(line)
}

/**
 * The field map of a sample of JSON or logfmt lines, or null when most lines are neither.
 * Reads at most DETECT_SAMPLE_LINES lines.
 */
export function inferFieldMap(lines: readonly string[]): InferredFields | null {
  const sample = lines.length > DETECT_SAMPLE_LINES ? lines.slice(0, DETECT_SAMPLE_LINES) : lines
  const records: Record_[] = []
  let nonBlank = 0
  for (const line of sample) {
    if (isBlank(line)) continue
    nonBlank++
    const record = parseRecord(line)
    if (record !== null) records.push(record)
  }
  if (records.length === 0 || records.length * 2 < nonBlank) return null

  const columns: Columns = new Map()
  records.forEach((record, i) => flatten(record, i, records.length, columns))

  const candidates: Candidate[] = []
  for (const [key, column] of columns) {
    for (const role of Object.keys(ROLES) as InferredRole[]) {
      const candidate = judge(role, key, column, records.length)
      if (candidate !== null && candidate.score >= MIN_SCORE) candidates.push(candidate)
    }
  }
  // Best first; never one key for two roles, nor two keys for one.
  candidates.sort((a, b) => b.score - a.score || a.key.length - b.key.length)
  const judged: JudgedField[] = []
  const map: FieldMap = {}
  const usedKeys = new Set<string>()
  for (const c of candidates) {
    if (map[c.role] !== undefined || usedKeys.has(c.key)) continue
    usedKeys.add(c.key)
    map[c.role] = c.key
    judged.push({ role: c.role, key: c.key, score: c.score })
  }

  let durationUnit: DurationUnit | null = null
  if (map.duration !== undefined) {
    durationUnit = durationUnitOf(map.duration, columns.get(map.duration) ?? [])
    map.duration = `${map.duration}:${durationUnit}`
  }
  return { family: isAccess(records, map) ? 'access' : 'app', map, durationUnit, judged }
}

/** Most records carry a status, a method and a path (or a request line) under the map's keys. */
function isAccess(records: readonly Record_[], map: FieldMap): boolean {
  let requests = 0
  for (const record of records) {
    const request = map.request === undefined ? null : text(pick(record, map.request))
    const split = request === null ? null : splitRequestLine(request)
    const method = map.method === undefined ? null : text(pick(record, map.method))
    const path = map.path === undefined ? null : text(pick(record, map.path))
    const status = map.status === undefined ? null : asStatus(pick(record, map.status))
    if (status !== null && (method !== null || split !== null) && (path !== null || split !== null)) requests++
  }
  return requests * 2 > records.length
}
