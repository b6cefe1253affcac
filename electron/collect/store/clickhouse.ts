/**
 * ClickHouse as an evidence source. The engine counts (requests per second by status, per
 * route and method, status totals, error rows per second and per distinct message/stack); only
 * bounded samples move: the rows that map the table's fields, a sample of failing requests,
 * the first error rows and one row per distinct error. Every row that moves is read by the same
 * format code a file's line is (detection, field inference, the JSON record mapper), and errors
 * are grouped by the same ErrorGrouper, so a table gives the verdict the same evidence the
 * same rows would as a JSON-lines file.
 */
import { clientIdentity, emptyImpactData, type ImpactData } from '../../../shared/analysis/impact'
import { DistinctCounter } from '../../../shared/analysis/distinct'
import type { AppEvent, FieldMap, FoldedItem, RequestEvent, UnparsedLine } from '../../../shared/model/evidence'
import { BUCKET, type RequestAggregateData, type RouteStats } from '../../../shared/analysis/aggregate'
import { OTHER_ROUTE, routeStats } from './routes'
import { minutesWithFailingSeconds } from './series'
import { emptyResult, instanceStats, readSample } from './result'
import { MAX_INSTANCES } from '../../../shared/analysis/instances'
import { ErrorGrouper, isErrorEvent } from '../../../shared/analysis/groups'
import { normalizeLevel, unparsedLine } from '../formats/events'
import { createParser, detectFormat, formatFamily, type LineParser } from '../formats'
import { MAX_KEPT_APP_EVENTS, type IngestResult } from '../ingest'
import { clickhouseNumbers, clickhouseQuery, type ClickHouseTarget } from './clickhouse-http'
import {
  type ColumnInfo,
  epochKind,
  ident,
  isDate,
  isDateTime,
  isNumber,
  isString,
  literal,
  parseTableQuery,
  pathKeyExpr,
  presentExpr,
  statusExpr,
  textExpr,
  type TimeExpr,
  timeExpr,
  type TimeKind
} from './clickhouse-sql'
import { credentialHeaders } from './credentials'
import { StoreError, storeLabel } from './errors'
import type { StoreAdapter, StoreReading, StoreSpec } from './types'

export interface ClickHouseLimits {
  /** Rows sampled to map the table's fields (the formats' detection sample). */
  mapRows: number
  /** Failing requests fetched (a deterministic uniform sample of the window's 5xx). */
  failingRows: number
  /** Error rows fetched in time order (the file reader keeps the first MAX_KEPT_APP_EVENTS). */
  errorRows: number
  /** Distinct error rows (message, stack, type, endpoint) counted by the engine and grouped here. */
  errorShapes: number
  /** Distinct (method, path, status) rows; the rest is counted as "(other routes)". */
  routeRows: number
  /** Distinct clients with a 5xx fetched to count them as files do; past it, clients are not counted. */
  clientRows: number
  /** One query's deadline. */
  timeoutMs: number
  /**
   * Windows up to this long get one row per second, as files do. Longer ones get one row per
   * minute plus one per second that holds a 5xx (see secondsSeries): a week of seconds is
   * 604,800 rows to send and parse, while the verdict needs second precision only for failures.
   */
  exactSecondsMs: number
}

export const DEFAULT_CLICKHOUSE_LIMITS: ClickHouseLimits = {
  mapRows: 200,
  failingRows: 5000,
  errorRows: 5000,
  errorShapes: 20_000,
  routeRows: 50_000,
  clientRows: 100_000,
  timeoutMs: 30_000,
  exactSecondsMs: 3 * 3_600_000
}

/** Column names the record mapper reads errors from by default (records.ts ERROR_FIELDS). */
const ERROR_OBJECT_COLUMNS = ['err', 'error', 'exception']
const EPOCH_PREFIX = '__epoch_'

type Row = Record<string, unknown>

interface Plan {
  table: string
  /** Window and the user's condition. */
  where: string
  columns: ColumnInfo[]
  time: { column: string; expr: TimeExpr }
  /** `*` plus epoch seconds of every DateTime column, so rows carry unambiguous UTC times. */
  selectAll: string
  fieldMap: FieldMap
}

/** The column a role maps to, when the map names a column the table has. */
function mapped(map: FieldMap, role: keyof FieldMap, columns: ColumnInfo[]): ColumnInfo | null {
  const key = map[role]
  if (key === undefined) return null
  const name = role === 'duration' ? key.replace(/:(ns|us|ms|s)$/, '') : key
  return columns.find((c) => c.name === name) ?? null
}

/** A row as the JSON line a log shipper would have written: DateTime columns as ISO-8601 UTC. */
function rowLine(row: Row, columns: ColumnInfo[]): string {
  const out: Row = {}
  for (const [key, value] of Object.entries(row)) if (!key.startsWith(EPOCH_PREFIX)) out[key] = value
  for (const c of columns) {
    const epoch = row[`${EPOCH_PREFIX}${c.name}`]
    if (typeof epoch === 'number') out[c.name] = epoch > 0 ? new Date(epoch * 1000).toISOString() : null
  }
  return JSON.stringify(out)
}

function timeKindOf(column: ColumnInfo, sample: Row[]): TimeKind | null {
  if (isDateTime(column.type)) return 'datetime'
  if (isDate(column.type)) return 'date'
  if (isString(column.type)) return 'string'
  if (isNumber(column.type)) {
    const value = sample.map((r) => Number(r[column.name])).find((n) => Number.isFinite(n) && n > 0)
    return value === undefined ? 'epoch-s' : epochKind(value)
  }
  return null
}

/** One store read: queries, what they cost, and the rows read back through a file's parser. */
class ClickHouseRead {
  bytesMoved = 0
  scannedBytes = 0
  readonly warnings: string[] = []
  private lineNo = 0
  private readonly label: string

  constructor(
    private readonly spec: StoreSpec,
    private readonly target: ClickHouseTarget,
    private readonly limits: ClickHouseLimits
  ) {
    this.label = `${storeLabel(spec.url)} ${spec.query}`
  }

  private async q<T extends Row>(sql: string, what: string): Promise<T[]> {
    const answer = await clickhouseQuery<T>(this.target, `${sql} FORMAT JSON`, what)
    this.bytesMoved += answer.wireBytes
    this.scannedBytes += answer.bytesRead
    return answer.data
  }

  /** Numbers only, tab-separated (the per-second series). */
  private async numbers(sql: string, what: string): Promise<number[][]> {
    const answer = await clickhouseNumbers(this.target, `${sql} FORMAT TabSeparated`, what)
    this.bytesMoved += answer.wireBytes
    return answer.rows
  }

  async plan(): Promise<{ plan: Plan; sample: string[]; format: string }> {
    const { table, where } = parseTableQuery(this.spec.query)
    const columns = (await this.q<{ name: string; type: string }>(`DESCRIBE TABLE ${table}`, 'describing the table')).map((r) => ({ name: String(r.name), type: String(r.type) }))
    if (columns.length === 0) throw new StoreError('query', `clickhouse ${storeLabel(this.spec.url)}: table ${table} has no columns`)
    const epochs = columns
      .filter((c) => isDateTime(c.type) || isDate(c.type))
      .map((c) => `, toUInt32(${isDate(c.type) ? `toDateTime(${ident(c.name)})` : ident(c.name)}) AS ${ident(`${EPOCH_PREFIX}${c.name}`)}`)
    const selectAll = `*${epochs.join('')}`
    const userWhere = where === null ? '' : ` WHERE ${where}`
    const first = await this.q<Row>(`SELECT ${selectAll} FROM ${table}${userWhere} LIMIT ${this.limits.mapRows}`, 'sampling rows to map fields')
    const sample = first.map((r) => rowLine(r, columns))
    const detection = detectFormat(sample)
    const fieldMap: FieldMap = { ...detection.fieldMap, ...this.spec.fieldMap }
    const timeColumn = mapped(fieldMap, 'time', columns) ?? columns.find((c) => isDateTime(c.type)) ?? null
    const kind = timeColumn === null ? null : timeKindOf(timeColumn, first)
    if (timeColumn === null || kind === null)
      throw new StoreError('query', `clickhouse ${storeLabel(this.spec.url)}: no time column found in ${table}; name it with --map time=COLUMN`)
    const expr = timeExpr(timeColumn.name, kind)
    const window = expr.window(this.spec.from, this.spec.to)
    return {
      plan: { table, where: where === null ? window : `${window} AND (${where})`, columns, time: { column: timeColumn.name, expr }, selectAll, fieldMap },
      sample,
      format: detection.format
    }
  }

  /** Rows read with the parser a file of these lines would get; each row is one "line". */
  private parseRows(parser: LineParser, rows: Row[], columns: ColumnInfo[]): (FoldedItem | UnparsedLine)[] {
    return rows.map((row) => {
      const line = rowLine(row, columns)
      const lineNo = ++this.lineNo
      const event = parser.parse(line, lineNo, 0)
      return event === null ? unparsedLine(line, lineNo, 0) : { ...event, lines: 1 }
    })
  }

  async read(): Promise<IngestResult> {
    const { plan, sample, format } = await this.plan()
    const family = formatFamily(format)
    const [totals] = await this.q<{ n: number; first: number; last: number }>(
      `SELECT count() AS n, minIf(${plan.time.expr.millis}, ${plan.time.expr.seconds} > 0) AS first, maxIf(${plan.time.expr.millis}, ${plan.time.expr.seconds} > 0) AS last FROM ${plan.table} WHERE ${plan.where}`,
      'counting rows'
    )
    const rows = Number(totals?.n ?? 0)
    const base = emptyResult(format, plan.fieldMap, rows, rows > 0 ? Number(totals.first) : null, rows > 0 ? Number(totals.last) : null)
    const parser = family === null ? null : createParser(format, plan.fieldMap)
    if (!readSample(base, sample, parser, 'rows', this.label, this.warnings) || parser === null) return base
    if (family === 'access') return this.readRequests(plan, parser, base)
    return this.readErrors(plan, parser, base)
  }

  /** An access-log table: the engine counts, the failing requests are sampled. */
  private async readRequests(plan: Plan, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    const statusCol = mapped(plan.fieldMap, 'status', plan.columns)
    const methodCol = mapped(plan.fieldMap, 'method', plan.columns)
    const pathCol = mapped(plan.fieldMap, 'path', plan.columns) ?? mapped(plan.fieldMap, 'url', plan.columns)
    const requestCol = mapped(plan.fieldMap, 'request', plan.columns)
    if (statusCol === null || ((methodCol === null || pathCol === null) && requestCol === null)) {
      this.warnings.push(`${this.label}: no status/method/path columns to count requests by; map them (--map status=…, method=…, path=…)`)
      return this.readErrors(plan, parser, base)
    }
    const s = statusExpr(statusCol.name, statusCol.type)
    const m = methodCol !== null ? `upper(${textExpr(methodCol.name)})` : `splitByChar(' ', ${textExpr(requestCol?.name ?? '')})[1]`
    const p = pathCol !== null ? textExpr(pathCol.name) : `splitByChar(' ', ${textExpr(requestCol?.name ?? '')})[2]`
    const sec = plan.time.expr.seconds
    const from = `FROM ${plan.table} WHERE ${plan.where}`
    const is5xx = `${s} >= 500 AND ${s} < 600`

    const instanceCol = mapped(plan.fieldMap, 'instance', plan.columns)
    const who = (['client', 'agent', 'clientKey'] as const).map((role) => ({ role, col: mapped(plan.fieldMap, role, plan.columns) })).filter((w): w is { role: 'client' | 'agent' | 'clientKey'; col: ColumnInfo } => w.col !== null)
    // Independent questions: asked at once, so the read takes the slowest, not the sum.
    const [statuses, seconds, routeRows, failingRows, instances, clientRows] = await Promise.all([
      this.q<{ s: number; n: number }>(`SELECT ${s} AS s, count() AS n ${from} GROUP BY s`, 'counting statuses'),
      this.secondsSeries(plan, s, `${from} AND ${s} > 0 AND ${sec} > 0`),
      this.q<{ m: string; p: string; s: number; n: number }>(
        `SELECT m, p, s, count() AS n FROM (SELECT ${m} AS m, ${pathKeyExpr(p)} AS p, ${s} AS s ${from} AND ${s} > 0) GROUP BY m, p, s ORDER BY n DESC LIMIT ${this.limits.routeRows + 1}`,
        'counting requests per route'
      ),
      this.q<Row>(
        `SELECT ${plan.selectAll} ${from} AND ${is5xx} ORDER BY sipHash64(${plan.time.expr.millis}, ${p}) LIMIT ${this.limits.failingRows}`,
        'sampling failing requests'
      ),
      instanceCol === null
        ? Promise.resolve([])
        : this.q<{ i: string; n: number; f: number }>(
            `SELECT ${textExpr(instanceCol.name)} AS i, count() AS n, countIf(${is5xx}) AS f ${from} AND ${s} > 0 AND i NOT IN ('', '-') GROUP BY i ORDER BY n DESC LIMIT ${MAX_INSTANCES + 1}`,
            'counting requests per instance'
          ),
      who.length === 0
        ? Promise.resolve([])
        : this.q<Row>(
            `SELECT ${who.map((w, i) => `${textExpr(w.col.name)} AS w${i}`).join(', ')}, count() AS __n ${from} AND ${is5xx} GROUP BY ${who.map((_, i) => `w${i}`).join(', ')} LIMIT ${this.limits.clientRows + 1}`,
            'counting clients with a 5xx'
          )
    ])
    const statusCounts: Record<number, number> = {}
    let requests = 0
    let failingSeen = 0
    for (const r of statuses) {
      const status = Number(r.s)
      const n = Number(r.n)
      if (status <= 0 || status >= 1000) continue
      statusCounts[status] = n
      requests += n
      if (status >= 500 && status < 600) failingSeen += n
    }
    const data: RequestAggregateData = {
      requests,
      // Every row in the window has a time: the window is a condition on it.
      undatedRequests: 0,
      statusCounts,
      seconds,
      routes: this.routes(parser, plan, routeRows, requests, { status: statusCol.name, method: methodCol?.name ?? null, path: pathCol?.name ?? null, request: requestCol?.name ?? null }),
      failing: this.parseRows(parser, failingRows, plan.columns)
        .filter((e): e is RequestEvent => e.kind === 'request')
        .sort((a, b) => (a.time ?? 0) - (b.time ?? 0)),
      failingSeen,
      instances: instanceStats(instances.map((r) => ({ name: String(r.i), requests: Number(r.n), s5xx: Number(r.f), appEvents: 0, appErrors: 0 }))),
      impact: this.impact(parser, plan, who, clientRows, {
        [statusCol.name]: 500,
        ...(methodCol !== null && pathCol !== null ? { [methodCol.name]: 'GET', [pathCol.name]: '/' } : requestCol !== null ? { [requestCol.name]: 'GET / HTTP/1.1' } : {})
      })
    }
    if (failingSeen > failingRows.length) this.warnings.push(`${this.label}: ${failingRows.length} of ${failingSeen} failing requests sampled`)
    // Rows with no readable status are not requests: unread, as the file reader counts such lines.
    return { ...base, requests: data, events: requests, eventLines: requests, unparsed: base.lines - requests }
  }

  /**
   * Who got the 5xx: each distinct (client, user agent, client key) the engine counted is read by
   * the parser as a 5xx of that client would be, so identities hash as a file's do. Crawlers,
   * cached 5xx and POST re-sends need per-request order or paths: not pushed down, and the
   * agent/cache counts that would vouch for "none" stay 0, so the report claims nothing of them.
   */
  private impact(parser: LineParser, plan: Plan, who: { role: string; col: ColumnInfo }[], rows: Row[], a5xx: Row): ImpactData {
    const data = emptyImpactData()
    if (who.length === 0 || rows.length > this.limits.clientRows) {
      if (rows.length > this.limits.clientRows) this.warnings.push(`${this.label}: more than ${this.limits.clientRows} distinct clients got a 5xx; clients not counted`)
      return data
    }
    const clients = new DistinctCounter()
    for (const row of rows) {
      const record: Row = { ...a5xx, [plan.time.column]: new Date(0).toISOString() }
      who.forEach((w, i) => {
        record[w.col.name] = row[`w${i}`]
      })
      const event = parser.parse(JSON.stringify(record), 0, 0)
      const n = Number(row.__n)
      const identity = event?.kind === 'request' ? clientIdentity(event) : null
      if (identity === null) data.unidentified5xx += n
      else clients.addText(identity)
    }
    data.clients = clients.toData()
    return data
  }

  /**
   * Requests per second by status class, as RequestAggregateData.seconds rows. A window the
   * analysis buckets finer than a few hours gets every second; a longer one gets minutes plus
   * every second that holds a 5xx (./series.ts says why).
   */
  private async secondsSeries(plan: Plan, s: string, from: string): Promise<[number, ...number[]][]> {
    const sec = plan.time.expr.seconds
    const counts = `count(), countIf(${s} >= 500 AND ${s} < 600), countIf(${s} >= 400 AND ${s} < 500), countIf(${s} = 500), countIf(${s} = 502), countIf(${s} = 503), countIf(${s} = 504)`
    const toRow = (row: number[]): [number, ...number[]] => {
      const [t, total, s5xx, s4xx, s500, s502, s503, s504] = row
      const bucket = [t, 0, 0, 0, 0, 0, 0, 0, 0] as [number, ...number[]]
      bucket[1 + BUCKET.total] = total
      bucket[1 + BUCKET.s5xx] = s5xx
      bucket[1 + BUCKET.s4xx] = s4xx
      bucket[1 + BUCKET.s500] = s500
      bucket[1 + BUCKET.s502] = s502
      bucket[1 + BUCKET.s503] = s503
      bucket[1 + BUCKET.s504] = s504
      return bucket
    }
    if (this.spec.to - this.spec.from <= this.limits.exactSecondsMs) {
      const rows = await this.numbers(`SELECT ${sec} AS t, ${counts} ${from} GROUP BY t ORDER BY t`, 'counting requests per second')
      return rows.map(toRow)
    }
    const [minutes, failingSeconds] = await Promise.all([
      this.numbers(`SELECT intDiv(${sec}, 60) * 60 AS t, ${counts} ${from} GROUP BY t ORDER BY t`, 'counting requests per minute'),
      this.numbers(`SELECT ${sec} AS t, ${counts} ${from} GROUP BY t HAVING countIf(${s} >= 500 AND ${s} < 600) > 0 ORDER BY t`, 'counting requests in seconds with a 5xx')
    ])
    return minutesWithFailingSeconds(minutes.map(toRow), failingSeconds.map(toRow))
  }

  /** Routes from the engine's (method, path key, status) counts, each key read by the parser as a request line would be. */
  private routes(
    parser: LineParser,
    plan: Plan,
    rows: { m: string; p: string; s: number; n: number }[],
    requests: number,
    cols: { status: string; method: string | null; path: string | null; request: string | null }
  ): RouteStats[] {
    const keep = rows.slice(0, this.limits.routeRows).map((r) => ({ m: String(r.m), p: String(r.p), s: Number(r.s), n: Number(r.n) }))
    const routes = routeStats(keep, requests, (row) => {
      const record: Row = { [cols.status]: row.s, [plan.time.column]: new Date(0).toISOString() }
      if (cols.method !== null && cols.path !== null) {
        record[cols.method] = row.m
        record[cols.path] = row.p
      } else if (cols.request !== null) record[cols.request] = `${row.m} ${row.p} HTTP/1.1`
      const event = parser.parse(JSON.stringify(record), 0, 0)
      return event?.kind === 'request' ? event : null
    })
    if (rows.length > keep.length) this.warnings.push(`${this.label}: more than ${this.limits.routeRows} distinct paths; the rest is counted as ${OTHER_ROUTE}`)
    return routes
  }

  /** The SQL that selects error rows: the levels the formats read as error/fatal, a stack, an error type or object, a 5xx. */
  private async errorCondition(plan: Plan): Promise<string | null> {
    const terms: string[] = []
    const level = mapped(plan.fieldMap, 'level', plan.columns)
    if (level !== null) {
      const values = await this.q<{ v: string }>(`SELECT DISTINCT ${textExpr(level.name)} AS v FROM ${plan.table} WHERE ${plan.where} LIMIT 1000`, 'listing levels')
      const errorValues = values.map((r) => String(r.v)).filter((v) => {
        const n = normalizeLevel(/^\d+$/.test(v) ? Number(v) : v)
        return n === 'error' || n === 'fatal'
      })
      if (errorValues.length > 0) terms.push(`${textExpr(level.name)} IN (${errorValues.map(literal).join(', ')})`)
    }
    for (const role of ['stack', 'errorType'] as const) {
      const c = mapped(plan.fieldMap, role, plan.columns)
      if (c !== null) terms.push(presentExpr(c.name))
    }
    for (const c of plan.columns) if (ERROR_OBJECT_COLUMNS.includes(c.name) || /^(stack_?trace|stacktrace|exception\..*|error\..*)$/i.test(c.name)) terms.push(presentExpr(c.name))
    const status = mapped(plan.fieldMap, 'status', plan.columns)
    if (status !== null) terms.push(`${statusExpr(status.name, status.type)} >= 500`)
    return terms.length === 0 ? null : `(${[...new Set(terms)].join(' OR ')})`
  }

  /** An application-log table: error rows counted per second and per distinct error by the engine; the first error rows fetched. */
  private async readErrors(plan: Plan, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    const out: IngestResult = { ...base, appEvents: base.lines }
    const isError = await this.errorCondition(plan)
    if (isError === null) return out
    const from = `FROM ${plan.table} WHERE ${plan.where} AND ${isError}`
    const sec = plan.time.expr.seconds
    const ms = plan.time.expr.millis
    const perSecond = await this.numbers(`SELECT ${sec} AS t, count() ${from} AND ${sec} > 0 GROUP BY t ORDER BY t`, 'counting errors per second')
    const instanceCol = mapped(plan.fieldMap, 'instance', plan.columns)
    const instances =
      instanceCol === null
        ? []
        : await this.q<{ i: string; n: number; f: number }>(
            `SELECT ${textExpr(instanceCol.name)} AS i, count() AS n, countIf(${isError}) AS f FROM ${plan.table} WHERE ${plan.where} AND i != '' GROUP BY i ORDER BY n DESC LIMIT ${MAX_INSTANCES + 1}`,
            'counting app events per instance'
          )
    const keyRoles = ['message', 'stack', 'errorType', 'errorMessage', 'method', 'path', 'status'] as const
    const keys = [...new Set(keyRoles.map((r) => mapped(plan.fieldMap, r, plan.columns)?.name).filter((n): n is string => n !== undefined))]
    for (const c of plan.columns) if (ERROR_OBJECT_COLUMNS.includes(c.name) && !keys.includes(c.name)) keys.push(c.name)
    const others = plan.columns.filter((c) => !keys.includes(c.name))
    const anyOf = others.map((c, i) => `any(${isDateTime(c.type) || isDate(c.type) ? `toUInt32(${ident(c.name)})` : ident(c.name)}) AS ${ident(`__any${i}`)}`)
    const select = [...keys.map(ident), ...anyOf, 'count() AS __n', `min(${ms}) AS __first`, `max(${ms}) AS __last`].join(', ')
    const shapes = await this.q<Row>(
      `SELECT ${select} ${from} GROUP BY ${keys.length > 0 ? keys.map(ident).join(', ') : '1'} ORDER BY __first LIMIT ${this.limits.errorShapes + 1}`,
      'counting distinct errors'
    )
    const errorRows = await this.q<Row>(`SELECT ${plan.selectAll} ${from} ORDER BY ${ms} LIMIT ${Math.min(this.limits.errorRows, MAX_KEPT_APP_EVENTS)}`, 'fetching error rows')

    const grouper = new ErrorGrouper()
    let grouped = 0
    for (const shape of shapes.slice(0, this.limits.errorShapes)) {
      const row: Row = {}
      for (const k of keys) row[k] = shape[k]
      others.forEach((c, i) => {
        const v = shape[`__any${i}`]
        row[c.name] = isDateTime(c.type) || isDate(c.type) ? (typeof v === 'number' && v > 0 ? new Date(v * 1000).toISOString() : null) : v
      })
      row[plan.time.column] = new Date(Number(shape.__first)).toISOString()
      const event = parser.parse(JSON.stringify(row), 0, 0)
      if (event === null || event.kind === 'request') continue
      const count = Number(shape.__n)
      if (grouper.add(event, this.label, { count, firstSeen: Number(shape.__first), lastSeen: Number(shape.__last) })) grouped += count
    }
    const errorEvents = this.parseRows(parser, errorRows, plan.columns).filter((e): e is AppEvent => e.kind === 'app' && isErrorEvent(e))
    const errorCount = perSecond.reduce((n, row) => n + row[1], 0)
    if (shapes.length > this.limits.errorShapes) this.warnings.push(`${this.label}: more than ${this.limits.errorShapes} distinct error rows; the first ${this.limits.errorShapes} are grouped`)
    const seen = shapes.length > this.limits.errorShapes ? errorCount : grouped
    out.errorEvents = errorEvents
    out.errorEventsSeen = seen
    out.errorGroups = grouper.groups(null)
    out.requests = {
      ...out.requests,
      instances: instanceStats(instances.map((r) => ({ name: String(r.i), requests: 0, s5xx: 0, appEvents: Number(r.n), appErrors: Number(r.f) }))),
      seconds: perSecond.map((row) => {
        const [t, n] = row
        const bucket = [t, 0, 0, 0, 0, 0, 0, 0, 0] as [number, ...number[]]
        bucket[1 + BUCKET.appErrors] = n
        return bucket
      })
    }
    return out
  }
}

export interface ClickHouseAdapterOptions {
  limits?: Partial<ClickHouseLimits>
  /** Resolves `keychain` credential refs (the desktop app's safeStorage). */
  keychain?: (id: string) => Promise<string | null>
}

export function clickhouseAdapter(options: ClickHouseAdapterOptions = {}): StoreAdapter {
  const limits = { ...DEFAULT_CLICKHOUSE_LIMITS, ...options.limits }
  return {
    kind: 'clickhouse',
    async read(spec: StoreSpec, signal?: AbortSignal): Promise<StoreReading> {
      const headers = await credentialHeaders(spec.credential, options.keychain)
      const read = new ClickHouseRead(spec, { url: spec.url, headers, timeoutMs: limits.timeoutMs, ...(signal ? { signal } : {}) }, limits)
      const result = await read.read()
      return { result, bytesMoved: read.bytesMoved, scannedBytes: read.scannedBytes, warnings: read.warnings }
    }
  }
}
