/**
 * Dependency failures in application errors, in the words of common clients: connection
 * refused, timeouts, exhausted pools, DNS failures, resets, database / cache client errors.
 * And the host or service they name, so the verdict can say which dependency.
 */

export type DependencyKind = 'pool' | 'dns' | 'refused' | 'timeout' | 'reset' | 'client'

/** Cheap first pass: text without any of these words is no dependency failure. */
const PREFILTER =
  /refus|time[ds]? ?out|timeout|deadline|pool|connect|slots|ENOTFOUND|EAI_AGAIN|resolv|host|reset|EPIPE|broken pipe|hang up|redis|jedis|lettuce|postgres|psycopg|PSQL|PG::|pq: |mysql|mariadb|mongo|sqlstate|jdbc|hikari|OperationalError|unreachable|unavailable|circuit/i

const KINDS: [DependencyKind, RegExp][] = [
  [
    'pool',
    /Connection is not available|too many (?:connections|clients)|remaining connection slots|pool (?:is )?exhausted|exhausted pool|QueuePool limit|timeout waiting for (?:a )?(?:connection|idle object)|PoolTimeout|pool timed out|ER_CON_COUNT_ERROR|max_connections|Cannot get a connection, pool error|all pooled connections were in use/i
  ],
  [
    'dns',
    /ENOTFOUND|EAI_AGAIN|name or service not known|could not translate host name|no such host|nodename nor servname|temporary failure in name resolution|UnknownHostException|getaddrinfo failed|Name does not resolve|DNS (?:lookup|resolution) fail/i
  ],
  [
    'refused',
    /ECONNREFUSED|connection refused|ConnectException|actively refused|could not connect to server|can't connect to (?:MySQL|local MySQL|Redis)|connection to server at .{0,80} failed|Error connecting to|ServerSelectionTimeoutError|MongoServerSelectionError|EHOSTUNREACH|ENETUNREACH|no route to host|host is unreachable|upstream connect error/i
  ],
  [
    'timeout',
    /ETIMEDOUT|ESOCKETTIMEDOUT|timed out|TimeoutError|TimeoutException|deadline exceeded|DEADLINE_EXCEEDED|read timeout|connect timeout|statement timeout|SocketTimeoutException|request timeout/i
  ],
  // "Failed to obtain JDBC Connection" only says no connection was had; the cause after it
  // (refused, unknown host, timed out) says why, so the kinds above read it first.
  ['pool', /(?:could not|unable to|failed to) (?:get|obtain|acquire) (?:a )?(?:jdbc |database |db )?connection/i],
  ['reset', /ECONNRESET|connection reset|reset by peer|EPIPE|broken pipe|socket hang up|server closed the connection unexpectedly|Lost connection to MySQL|connection (?:was |has been )?closed|Connection closed by|EOF occurred in violation/i],
  [
    'client',
    /RedisConnectionException|RedisException|ConnectionError|redis\.exceptions|ReplyError|psycopg2?\.OperationalError|OperationalError|PSQLException|PG::ConnectionBad|SequelizeConnection\w*Error|MongoNetworkError|MongoTimeoutError|pymongo\.errors|CannotGetJdbcConnection|JDBCConnectionException|DataAccessResourceFailure|CommunicationsException|ServiceUnavailable|circuit ?breaker (?:is )?open|CircuitBreakerOpen/i
  ]
]

/** Errors that mention a database but are the code's fault (a bad query or migration), not the dependency's. */
const CODE_FAULT = /syntax error|error in your SQL syntax|undefined (?:column|table|function)|column .{1,80} does not exist|relation .{1,80} does not exist|unknown column|no such (?:table|column)|duplicate key|violates .{0,40}constraint|IntegrityError|ProgrammingError|DataError/i

export interface DependencyMatch {
  kind: DependencyKind
  /** Host, `host:port` or service the error names; null when it names none. */
  target: string | null
}

export function matchDependency(text: string): DependencyMatch | null {
  if (!PREFILTER.test(text)) return null
  for (const [kind, re] of KINDS) {
    if (!re.test(text)) continue
    if (kind === 'client' && CODE_FAULT.test(text)) return null
    return { kind, target: dependencyTarget(text) }
  }
  return null
}

const WELL_KNOWN_PORTS: Record<string, string> = {
  '5432': 'postgres',
  '6379': 'redis',
  '3306': 'mysql',
  '27017': 'mongodb',
  '9200': 'elasticsearch',
  '5672': 'rabbitmq',
  '11211': 'memcached',
  '9092': 'kafka',
  '2181': 'zookeeper',
  '1433': 'mssql',
  '1521': 'oracle',
  '2379': 'etcd',
  '8500': 'consul',
  '9042': 'cassandra'
}

/** Where errors name their peer, most specific first. Group 1 is a host, `host:port` or address. */
const TARGET_PATTERNS: RegExp[] = [
  /(?:on host|server at|host) "([^"]+)"/i,
  /Redis connection to ([\w.-]+:\d+) failed/i,
  /(?:ENOTFOUND|EAI_AGAIN) ([\w.-]+)/,
  /lookup ([\w.-]+)(?: on [\w.:[\]]+)?: (?:no such host|server misbehaving|i\/o timeout)/i,
  /could not translate host name "([^"]+)"/i,
  /UnknownHostException: ([\w.-]+)/,
  /Can't connect to MySQL server on '([^']+)'/i,
  /\b(?:https?|jdbc:[a-z]+|rediss?|mongodb(?:\+srv)?|amqps?|postgres(?:ql)?|mysql|grpc|nats|kafka):\/\/(?:[^@\s/]+@)?([\w.-]+(?::\d+)?)/i,
  /dial tcp ([\w.-]+:\d+)/,
  /\b(?:ECONNREFUSED|ETIMEDOUT|ECONNRESET|EHOSTUNREACH) ([\w.-]+:\d+)/,
  /(?:connect(?:ing|ion)?|connected|failed to connect) (?:to )?(?:server )?([A-Za-z][\w.-]*:\d{2,5})\b/i,
  /(?:connect(?:ing|ion)?|connected|failed to connect) (?:to )?(?:server )?(\d{1,3}(?:\.\d{1,3}){3}:\d{2,5})\b/i,
  /\b(?:host|server|upstream|service)[=:] ?"?([A-Za-z][\w.-]*(?::\d+)?)/i
]

const TECHNOLOGIES: [string, RegExp][] = [
  ['redis', /redis|jedis|lettuce/i],
  ['postgres', /postgres|psycopg|PSQL|PG::|\bpq: |asyncpg/i],
  ['mysql', /mysql|mariadb/i],
  ['mongodb', /mongo/i],
  ['elasticsearch', /elasticsearch|opensearch/i],
  ['rabbitmq', /rabbitmq|amqp/i],
  ['kafka', /kafka/i],
  ['database', /hikari|jdbc|QueuePool|sqlalchemy|sequelize|database|\bdb\b/i]
]

const IP = /^\d{1,3}(?:\.\d{1,3}){3}$/
const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1'])

/** An address as a person names it: `postgres`, `redis:6379`, `payments-api`; a bare IP becomes the service of its port. */
function nameOf(raw: string): string | null {
  const value = raw.replace(/[.,;:)]+$/, '')
  const colon = value.lastIndexOf(':')
  const host = colon > 0 ? value.slice(0, colon) : value
  const port = colon > 0 ? value.slice(colon + 1) : null
  if (host === '' || /^\d+$/.test(host)) return null
  if (IP.test(host) || LOCAL.has(host)) return port !== null ? (WELL_KNOWN_PORTS[port] ?? `${host}:${port}`) : null
  return port === '80' || port === '443' ? host : value
}

export function dependencyTarget(text: string): string | null {
  for (const re of TARGET_PATTERNS) {
    const m = re.exec(text)
    if (m === null) continue
    const name = nameOf(m[1])
    if (name !== null) return name
  }
  for (const [name, re] of TECHNOLOGIES) if (re.test(text)) return name
  return null
}

export const KIND_WORDS: Record<DependencyKind, string> = {
  pool: 'connection pool exhausted',
  dns: 'name resolution failed',
  refused: 'connection refused',
  timeout: 'timed out',
  reset: 'connection reset',
  client: 'client errors'
}
