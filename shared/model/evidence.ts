/**
 * Evidence events: what the collectors turn log lines into. Times are epoch milliseconds
 * (null when the line carries none). `line` is the 1-based number of the first physical line,
 * `lines` how many physical lines were folded into the event, `offset` its byte offset.
 */

export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'

export interface EventPosition {
  line: number
  lines: number
  offset: number
}

/** One HTTP request as an access log (or a JSON access line) records it. */
export interface RequestEvent extends EventPosition {
  kind: 'request'
  time: number | null
  method: string
  path: string
  /** The path with ids, uuids, hashes and numbers replaced by `:id`, query dropped. */
  route: string
  status: number
  bytes: number | null
  durationMs: number | null
  requestId: string | null
  client: string | null
  userAgent: string | null
  /** Status the proxy saw from its upstream, when the log records it (ingress-nginx). */
  upstreamStatus: number | null
  /** Which instance answered, as the log names it (upstream address, pod, host, load-balancer target). */
  instance: string | null
  /**
   * The CDN's or cache's word for how it answered (Cloudflare `CacheCacheStatus`, Fastly/Varnish
   * `X-Cache`, nginx `$upstream_cache_status`, CloudFront's result type), as logged; absent or
   * null when the log records none. Optional so formats without a cache need not name it.
   */
  cacheStatus?: string | null
  /**
   * A key that names the client outright (client id, device id, idempotency key), when the log
   * carries one: it identifies "the same client" better than address + user agent.
   */
  clientKey?: string | null
}

/** Why a proxy answered 502/504, in the words of nginx's error log. */
export type UpstreamReason =
  | 'refused'
  | 'timeout'
  | 'prematurely-closed'
  | 'no-live-upstreams'
  | 'reset'
  | 'dns'
  | 'other'

/** An error written by a proxy (nginx/Apache error log). */
export interface ProxyErrorEvent extends EventPosition {
  kind: 'proxy-error'
  time: number | null
  level: Level | null
  message: string
  reason: UpstreamReason | null
  upstream: string | null
  method: string | null
  path: string | null
  client: string | null
}

/** An application log event, possibly folded from several lines (a stack trace). */
export interface AppEvent extends EventPosition {
  kind: 'app'
  time: number | null
  level: Level | null
  message: string
  /** Exception class / error name, e.g. `TypeError`, `java.lang.NullPointerException`. */
  errorType: string | null
  errorMessage: string | null
  /** The folded stack trace text (frames, `Caused by:` …) when there is one. */
  stack: string | null
  requestId: string | null
  method: string | null
  path: string | null
  status: number | null
  logger: string | null
  /** The instance that wrote the event (host, pod, container), when the log or its wrapper says. */
  instance: string | null
  /** The app version the record carries (`service.version`, `version`, `release`, `git_sha`, an image tag), when it has one. */
  version?: string | null
}

export type EvidenceEvent = RequestEvent | ProxyErrorEvent | AppEvent

/**
 * A log format's id. Formats are data (one definition file each in electron/collect/formats/defs),
 * so the id is a string of the shape FORMAT_ID_PATTERN; a wrapped format is `<wrapper>+<payload>`.
 */
export type LogFormatId = string
export const FORMAT_ID_PATTERN = /^[a-z0-9][a-z0-9+.-]{0,79}$/
/** What a format records: requests (access logs), a proxy's own errors, or application events. */
export const FORMAT_FAMILIES = ['access', 'proxy-error', 'app'] as const
export type FormatFamily = (typeof FORMAT_FAMILIES)[number]

/**
 * The roles a log field can play. In a pattern definition they are the names of its groups; in a
 * JSON definition, an inferred field map or the user's correction, the keys of the map.
 * - `request`: a whole request line (`GET /x HTTP/1.1`), split into method and path;
 * - `url`: an absolute or relative URL, reduced to its path (query kept);
 * - `date` + `clock`: a date and a time of day in two fields (W3C logs), joined before parsing;
 * - `duration`: read in the definition's unit (seconds unless it says otherwise);
 * - `cache`: a cache status (HIT, MISS, …) as the CDN or cache logs it;
 * - `clientKey`: an explicit client, device or idempotency key.
 */
export const FIELD_ROLES = [
  'time', 'date', 'clock', 'level', 'message', 'logger', 'thread',
  'method', 'path', 'url', 'request', 'status', 'upstreamStatus', 'bytes', 'duration',
  'client', 'agent', 'requestId', 'instance', 'upstream',
  'errorType', 'errorMessage', 'stack', 'version', 'cache', 'clientKey'
] as const
export type FieldRole = (typeof FIELD_ROLES)[number]
/** Which field (JSON path or logfmt key) plays each role. */
export type FieldMap = Partial<Record<FieldRole, string>>

/** A format the reader knows, as the UI's format picker lists it. */
export interface FormatInfo {
  id: LogFormatId
  title: string
  family: FormatFamily
}

/** Where a deploy is known from: a deploy history given to the analysis, a polled deploy endpoint, the app's own log, or a Kubernetes rollout (a ReplicaSet's new image tag). */
export const DEPLOY_ORIGINS = ['given', 'endpoint', 'log', 'kubernetes'] as const
export type DeployOrigin = (typeof DEPLOY_ORIGINS)[number]

/** A deploy: a version that went live at a time. */
export interface DeployEvent {
  version: string
  at: number
  commit: string | null
  /** Who reported it, in words: the deploy file's or endpoint's name, or `app log`. */
  source: string
  /** Absent on deploys recorded before origins were kept: read as `given`. */
  origin?: DeployOrigin
  /** The version it replaced, when the poller saw that one live (what a rollback returns to). */
  previousVersion?: string | null
}

/** One health poll (or one line of a --health file). */
export interface HealthSample {
  at: number
  target: string
  ok: boolean
  status: number | null
  latencyMs: number | null
  error: string | null
  /** `detail`: the check's own words when it gives them (Actuator `details.error`, health+json `output`). */
  components: { name: string; ok: boolean; status: string; detail?: string }[]
}

/** How a failing health check is named in words: `api/db` when its component `db` was down. */
export const healthName = (target: string, component: string | null | undefined): string => (component ? `${target}/${component}` : target)

/** A line no format could read: counted and kept visible, never dropped. */
export interface UnparsedLine {
  kind: 'unparsed'
  line: number
  /** 1, unless a wrapped format joined partial records into the line. */
  lines: number
  offset: number
  /** The line as read (capped): for a wrapped format, its payload. */
  text: string
}

/**
 * A line its format reads but that records no event: a W3C `#Fields:` / `#Version:` directive.
 * Counted as read (neither an event nor unparsed), so every line is still accounted for.
 */
export interface DirectiveLine {
  kind: 'directive'
  line: number
  lines: 1
  offset: number
}

/** What folding a file's lines yields, in file order. */
export type FoldedItem = EvidenceEvent | DirectiveLine | UnparsedLine
