/**
 * Grafana Loki as an evidence source. The engine counts with metric LogQL (requests per bucket
 * by status, per route and per instance; error lines per bucket and per instance); only bounded
 * log queries move lines: a sample to detect the stream's format and map its fields, the failing
 * requests and the error lines. Every line that moves is read by the same format code a file's
 * line is, and errors are grouped by the same ErrorGrouper, so a stream gives the verdict the
 * same evidence the same lines would as a file.
 */
import { BUCKET, type RequestAggregateData, type SecondRow } from '../../../shared/analysis/aggregate'
import { ErrorGrouper, isErrorEvent } from '../../../shared/analysis/groups'
import { DistinctCounter } from '../../../shared/analysis/distinct'
import { clientIdentity, emptyImpactData, type ImpactData } from '../../../shared/analysis/impact'
import { MAX_INSTANCES } from '../../../shared/analysis/instances'
import type { AppEvent, FieldMap, RequestEvent } from '../../../shared/model/evidence'
import { createParser, detectFormat, formatFamily, type LineParser } from '../formats'
import { normalizeLevel } from '../formats/events'
import { MAX_KEPT_APP_EVENTS, type IngestResult } from '../ingest'
import { credentialHeaders } from './credentials'
import { StoreError, storeLabel } from './errors'
import { lokiCall, type LokiAnswer, type LokiTarget } from './loki-http'
import { anyOf, instantWindow, L, ns, parseSelector, PATH_KEY_STAGE, stageFor, type Stage } from './loki-logql'
import { emptyResult, instanceStats, readSample } from './result'
import { OTHER_ROUTE, routeStats, type RouteKeyCount } from './routes'
import type { StoreAdapter, StoreReading, StoreSpec } from './types'

export interface LokiLimits {
  /** Lines sampled to detect the format and map the fields. */
  mapRows: number
  /** Failing requests fetched, in time order (≤ Loki's max_entries_limit_per_query, 5000 by default). */
  failingRows: number
  /** Error lines fetched, in time order. */
  errorRows: number
  /** Distinct (method, path key, status) series asked for (`topk`); the rest is "(other routes)". */
  routeRows: number
  /** Distinct clients with a 5xx counted as files do; past it, clients are not counted. */
  clientRows: number
  /** One query's deadline. */
  timeoutMs: number
  /** Windows up to this long are counted per second; longer ones per minute plus the seconds with a 5xx. */
  exactSecondsMs: number
  /** Points one series may have in a range query (Loki refuses more than 11,000). */
  maxPoints: number
  attempts: number
  maxRetryMs: number
}

export const DEFAULT_LOKI_LIMITS: LokiLimits = {
  mapRows: 200,
  failingRows: 5000,
  errorRows: 5000,
  routeRows: 10_000,
  clientRows: 100_000,
  timeoutMs: 30_000,
  exactSecondsMs: 3 * 3_600_000,
  maxPoints: 11_000,
  attempts: 4,
  maxRetryMs: 10_000
}

interface Line {
  ns: bigint
  line: string
  stream: Record<string, string>
}

/** Slices a sample is spread over when the window holds more matching lines than it keeps. */
const SAMPLE_SLICES = 20

const emptyRow = (t: number): SecondRow => [t, 0, 0, 0, 0, 0, 0, 0, 0]

/** Adds `n` requests of `status` to a bucket row. */
function countStatus(row: SecondRow, status: number, n: number): void {
  row[1 + BUCKET.total] += n
  if (status >= 500 && status < 600) row[1 + BUCKET.s5xx] += n
  if (status >= 400 && status < 500) row[1 + BUCKET.s4xx] += n
  if (status === 500) row[1 + BUCKET.s500] += n
  if (status === 502) row[1 + BUCKET.s502] += n
  if (status === 503) row[1 + BUCKET.s503] += n
  if (status === 504) row[1 + BUCKET.s504] += n
}

const httpStatus = (text: string | undefined): number | null => {
  const n = Number(text)
  return Number.isInteger(n) && n >= 100 && n < 1000 ? n : null
}

/** One store read: queries, what they cost, and the lines read back through a file's parser. */
class LokiRead {
  bytesMoved = 0
  scannedBytes: number | null = null
  readonly warnings: string[] = []
  private lineNo = 0
  private readonly label: string
  private readonly where: string
  private readonly selector: string

  constructor(
    private readonly spec: StoreSpec,
    private readonly target: LokiTarget,
    private readonly limits: LokiLimits
  ) {
    this.label = `${storeLabel(spec.url)} ${spec.query}`
    this.where = `loki ${storeLabel(spec.url)}`
    this.selector = parseSelector(spec.query).text
  }

  private account(answer: LokiAnswer, what: string): LokiAnswer {
    this.bytesMoved += answer.wireBytes
    if (answer.bytesProcessed !== null) this.scannedBytes = (this.scannedBytes ?? 0) + answer.bytesProcessed
    for (const w of answer.warnings) this.warnings.push(`${this.label}: ${what}: ${w}`)
    return answer
  }

  /** Up to `limit` lines of [from, to] (ms, both included; the spec's window by default), oldest or newest first. */
  private async lines(query: string, limit: number, direction: 'forward' | 'backward', what: string, from = this.spec.from, to = this.spec.to): Promise<Line[]> {
    const answer = this.account(
      await lokiCall(this.target, 'query_range', { query, start: String(ns(from)), end: String(ns(to + 1)), limit: String(limit), direction }, what),
      what
    )
    if (answer.data.resultType !== 'streams') throw new StoreError('unreadable', `${this.where}: ${what}: expected streams, got ${answer.data.resultType}`)
    const out: Line[] = []
    for (const s of answer.data.result) for (const [t, line] of s.values) out.push({ ns: BigInt(t), line, stream: s.stream })
    out.sort((a, b) => (a.ns === b.ns ? 0 : (a.ns < b.ns) === (direction === 'forward') ? -1 : 1))
    return out.slice(0, limit)
  }

  /** One value per label set over the whole window. */
  private async instant(query: string, what: string): Promise<{ metric: Record<string, string>; n: number }[]> {
    const { time, range } = instantWindow(this.spec.from, this.spec.to)
    const answer = this.account(await lokiCall(this.target, 'query', { query: query.replaceAll('[$W]', `[${range}]`), time }, what), what)
    if (answer.data.resultType !== 'vector') throw new StoreError('unreadable', `${this.where}: ${what}: expected a vector, got ${answer.data.resultType}`)
    return answer.data.result.map((r) => ({ metric: r.metric, n: Number(r.value[1]) }))
  }

  /**
   * Counts per `step`-second bucket [b, b + step) for buckets from `first` to `last` (epoch s),
   * in as many range queries as keep each series within Loki's point limit. A range `[step]` at
   * time t selects (t - step, t], so each point is asked at the bucket's last nanosecond.
   */
  private async series(query: string, step: number, first: number, last: number, what: string): Promise<{ metric: Record<string, string>; t: number; n: number }[]> {
    const out: { metric: Record<string, string>; t: number; n: number }[] = []
    const perChunk = this.limits.maxPoints * step
    for (let from = first; from <= last; from += perChunk) {
      const to = Math.min(last, from + perChunk - step)
      const params = { query: query.replaceAll('[$S]', `[${step}s]`), start: String(BigInt(from + step) * 1_000_000_000n - 1n), end: String(BigInt(to + step) * 1_000_000_000n - 1n), step: `${step}s` }
      const answer = this.account(await lokiCall(this.target, 'query_range', params, what), what)
      if (answer.data.resultType !== 'matrix') throw new StoreError('unreadable', `${this.where}: ${what}: expected a matrix, got ${answer.data.resultType}`)
      for (const s of answer.data.result) for (const [t, v] of s.values) out.push({ metric: s.metric, t: Math.round(Number(t)) - step, n: Number(v) })
    }
    return out
  }

  /** A question the verdict can do without: its failure is a line on the source card, the rest stands. */
  private async optional<T>(ask: Promise<T>, fallback: T, what: string): Promise<T> {
    try {
      return await ask
    } catch (err) {
      if (!(err instanceof StoreError) || err.kind === 'cancelled' || err.kind === 'auth') throw err
      this.warnings.push(`${this.label}: ${what} not counted: ${err.message}`)
      return fallback
    }
  }

  async read(): Promise<IngestResult> {
    const sample = await this.lines(this.selector, this.limits.mapRows, 'forward', 'sampling lines to map fields')
    const texts = sample.map((l) => l.line)
    const detection = detectFormat(texts)
    const fieldMap: FieldMap = { ...detection.fieldMap, ...this.spec.fieldMap }
    const format = detection.format
    const family = formatFamily(format)
    const parser = family === null ? null : createParser(format, fieldMap)
    const [total] = await this.instant(`sum(count_over_time(${this.selector} [$W]))`, 'counting lines')
    const rows = total?.n ?? 0
    const newest = rows > 0 ? await this.lines(this.selector, 1, 'backward', 'finding the newest line') : []
    const nsToMs = (t: bigint): number => Number(t / 1_000_000n)
    const base = emptyResult(format, fieldMap, rows, sample.length > 0 ? nsToMs(sample[0].ns) : null, newest.length > 0 ? nsToMs(newest[0].ns) : null)
    if (!readSample(base, texts, parser, 'lines', this.label, this.warnings) || parser === null) return base
    const stage = stageFor(format, fieldMap, texts, sample.map((l) => l.stream))
    if (stage === null) {
      // Read here but not countable by the engine: unread, never an all-clear.
      this.warnings.push(`${this.label}: ${format} lines cannot be counted by Loki here (JSON, logfmt and nginx text streams can); add the log as a file`)
      return { ...base, unparsed: base.lines, events: 0, eventLines: 0 }
    }
    // logfmt and JSON lines are "app" formats that carry requests when their fields say so: the sample tells.
    const requestShaped = family === 'access' || texts.some((line) => parser.parse(line, 0, 0)?.kind === 'request')
    if (requestShaped) return this.readRequests(stage, parser, base)
    return this.readErrors(stage, parser, base)
  }

  private instanceKey(stage: Stage): string | null {
    return stage.has.has('instance') ? L.instance : stage.instanceLabel
  }

  private async readRequests(stage: Stage, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    if (!stage.has.has('status') || !stage.has.has('method') || !stage.has.has('path')) {
      this.warnings.push(`${this.label}: no status/method/path fields to count requests by; map them (--map status=…, method=…, path=…)`)
      return this.readErrors(stage, parser, base)
    }
    const pipe = `${this.selector}${stage.text}`
    const is5xx = ` | ${L.status}=~"5[0-9][0-9]"`
    const inst = this.instanceKey(stage)
    const exact = this.spec.to - this.spec.from <= this.limits.exactSecondsMs
    const who = (['client', 'agent', 'clientKey'] as const).filter((role) => stage.has.has(role))
    const [statuses, seconds, routeRows, instances, clientRows] = await Promise.all([
      this.instant(`sum by (${L.status}) (count_over_time(${pipe} [$W]))`, 'counting statuses'),
      this.requestSeries(pipe, is5xx, exact),
      this.optional(
        this.instant(`topk(${this.limits.routeRows + 1}, sum by (${L.method}, ${L.path}, ${L.status}) (count_over_time(${pipe}${PATH_KEY_STAGE} [$W])))`, 'counting requests per route'),
        [],
        'requests per route'
      ),
      inst === null ? Promise.resolve([]) : this.optional(this.instant(`sum by (${inst}, ${L.status}) (count_over_time(${pipe} [$W]))`, 'counting requests per instance'), [], 'requests per instance'),
      who.length === 0
        ? Promise.resolve(null)
        : this.optional(this.instant(`sum by (${who.map((r) => L[r]).join(', ')}) (count_over_time(${pipe}${is5xx} [$W]))`, 'counting clients with a 5xx'), null, 'clients with a 5xx')
    ])
    const statusCounts: Record<number, number> = {}
    let requests = 0
    let failingSeen = 0
    for (const r of statuses) {
      const status = httpStatus(r.metric[L.status])
      if (status === null) continue
      statusCounts[status] = (statusCounts[status] ?? 0) + r.n
      requests += r.n
      if (status >= 500 && status < 600) failingSeen += r.n
    }
    const failingLines = await this.optional(
      this.spreadSample(`${pipe}${is5xx}`, this.limits.failingRows, seconds.map((r) => [r[0], r[1 + BUCKET.s5xx]] as const), failingSeen, 'sampling failing requests'),
      [],
      'failing requests'
    )
    const keys: RouteKeyCount[] = routeRows.slice(0, this.limits.routeRows).flatMap((r) => {
      const s = httpStatus(r.metric[L.status])
      return s === null ? [] : [{ m: r.metric[L.method] ?? '', p: r.metric[L.path] ?? '', s, n: r.n }]
    })
    if (routeRows.length > this.limits.routeRows) this.warnings.push(`${this.label}: more than ${this.limits.routeRows} distinct paths; the rest is counted as ${OTHER_ROUTE}`)
    const byInstance = new Map<string, { requests: number; s5xx: number }>()
    for (const r of instances) {
      const name = r.metric[inst ?? ''] ?? ''
      const status = httpStatus(r.metric[L.status])
      if (name === '' || name === '-' || status === null) continue
      const at = byInstance.get(name) ?? { requests: 0, s5xx: 0 }
      at.requests += r.n
      if (status >= 500 && status < 600) at.s5xx += r.n
      byInstance.set(name, at)
    }
    const failing = failingLines
      .map((l) => parser.parse(l.line, ++this.lineNo, 0))
      .filter((e): e is RequestEvent => e?.kind === 'request')
    if (failingSeen > failing.length && failingLines.length > 0) this.warnings.push(`${this.label}: ${failing.length} of ${failingSeen} failing requests sampled, spread over the window`)
    const data: RequestAggregateData = {
      requests,
      undatedRequests: 0,
      statusCounts,
      seconds,
      routes: routeRows.length === 0 && requests > 0 ? [] : routeStats(keys, requests, (row) => this.routeEvent(stage, parser, base.fieldMap ?? {}, row)),
      failing,
      failingSeen,
      instances: instanceStats([...byInstance].slice(0, MAX_INSTANCES + 1).map(([name, c]) => ({ name, requests: c.requests, s5xx: c.s5xx, appEvents: 0, appErrors: 0 }))),
      impact: this.impact(stage, parser, base.fieldMap ?? {}, who, clientRows)
    }
    return { ...base, requests: data, events: requests, eventLines: requests, unparsed: base.lines - requests }
  }

  /**
   * Who got the 5xx: each distinct (client, user agent, client key) the engine counted is read by
   * the parser as a 5xx of that client would be, so identities hash as a file's do (as
   * clickhouse.ts does). Crawlers, cached 5xx and POST re-sends need each request: not pushed
   * down, and their counts stay 0, so the report claims nothing of them.
   */
  private impact(stage: Stage, parser: LineParser, fieldMap: FieldMap, who: readonly ('client' | 'agent' | 'clientKey')[], rows: { metric: Record<string, string>; n: number }[] | null): ImpactData {
    const data = emptyImpactData()
    if (rows === null || who.length === 0) return data
    if (rows.length > this.limits.clientRows) {
      this.warnings.push(`${this.label}: more than ${this.limits.clientRows} distinct clients got a 5xx; clients not counted`)
      return data
    }
    const clients = new DistinctCounter()
    for (const row of rows) {
      const values: Partial<Record<keyof FieldMap, string | number>> = { status: 500, method: 'GET', path: '/' }
      for (const role of who) if ((row.metric[L[role]] ?? '') !== '') values[role] = row.metric[L[role]]
      const event = this.synthetic(stage, parser, fieldMap, values)
      const identity = event === null ? null : clientIdentity(event)
      if (identity === null) data.unidentified5xx += row.n
      else clients.addText(identity)
    }
    data.clients = clients.toData()
    return data
  }

  /**
   * Up to `limit` lines of `query`, which the engine counted `seen` of, by bucket start (epoch s)
   * in `buckets`. When there are more than `limit`, a log query can only give the first ones in
   * time (Loki has no random order), so the window is cut into slices of equal count and each
   * slice gives its share: the sample spans the whole incident, as clickhouse.ts's uniform sample
   * of failing requests does.
   */
  private async spreadSample(query: string, limit: number, buckets: readonly (readonly [number, number])[], seen: number, what: string): Promise<Line[]> {
    if (seen <= limit) return this.lines(query, limit, 'forward', what)
    const slices = Math.min(SAMPLE_SLICES, limit)
    // Slice starts (epoch ms): each slice runs to the next one's start, so slices never overlap.
    const starts: number[] = [this.spec.from]
    let counted = 0
    for (const [t, n] of buckets) {
      if (n <= 0) continue
      if (counted >= (starts.length * seen) / slices) starts.push(Math.max(this.spec.from, t * 1000))
      counted += n
    }
    const parts = await Promise.all(
      starts.map((from, i) => {
        const share = Math.floor(limit / starts.length) + (i < limit % starts.length ? 1 : 0)
        return this.lines(query, share, 'forward', what, from, i + 1 < starts.length ? starts[i + 1] - 1 : this.spec.to)
      })
    )
    return parts.flat()
  }

  /** A route key read by the parser as one request line of the stream's shape would be, so route names match a file's. */
  private routeEvent(stage: Stage, parser: LineParser, fieldMap: FieldMap, row: RouteKeyCount): RequestEvent | null {
    return this.synthetic(stage, parser, fieldMap, { status: row.s, method: row.m, path: row.p })
  }

  /** One request line of the stream's shape holding `values` (by field role), read back through the parser. */
  private synthetic(stage: Stage, parser: LineParser, fieldMap: FieldMap, values: Partial<Record<keyof FieldMap, string | number>>): RequestEvent | null {
    let line: string
    if (stage.kind === 'pattern') line = `192.0.2.1 - - [01/Jan/1970:00:00:00 +0000] "${values.method ?? 'GET'} ${values.path ?? '/'} HTTP/1.1" ${values.status ?? 0} 0 "-" "-"`
    else {
      const fields: [string, unknown][] = [[fieldMap.time ?? 'time', new Date(0).toISOString()]]
      for (const [role, value] of Object.entries(values) as [keyof FieldMap, string | number][]) {
        const key = role === 'path' ? (fieldMap.path ?? fieldMap.url) : fieldMap[role]
        fields.push([key ?? role, value])
      }
      if (stage.kind === 'logfmt') line = fields.map(([k, v]) => `${k}=${JSON.stringify(String(v))}`).join(' ')
      else {
        const record: Record<string, unknown> = {}
        for (const [k, v] of fields) setPath(record, k, v)
        line = JSON.stringify(record)
      }
    }
    const event = parser.parse(line, 0, 0)
    return event?.kind === 'request' ? event : null
  }

  /**
   * Requests per bucket by status class. A window up to a few hours gets every second, as files
   * do; a longer one gets one row per minute, and every second holding a 5xx as its own row (its
   * requests taken out of its minute's row) — see clickhouse.ts secondsSeries: failures stay exact
   * to the second, and only the minutes with a 5xx are asked per second.
   */
  private async requestSeries(pipe: string, is5xx: string, exact: boolean): Promise<SecondRow[]> {
    const byStatus = `sum by (${L.status}) (count_over_time(${pipe} [$S]))`
    const fold = (points: { metric: Record<string, string>; t: number; n: number }[], into: Map<number, SecondRow>): void => {
      for (const p of points) {
        const status = httpStatus(p.metric[L.status])
        if (status === null || p.n === 0) continue
        const row = into.get(p.t) ?? emptyRow(p.t)
        countStatus(row, status, p.n)
        into.set(p.t, row)
      }
    }
    const fromS = Math.floor(this.spec.from / 1000)
    const toS = Math.floor(this.spec.to / 1000)
    const rows = new Map<number, SecondRow>()
    if (exact) {
      fold(await this.series(byStatus, 1, fromS, toS, 'counting requests per second'), rows)
      return [...rows.values()].sort((a, b) => a[0] - b[0])
    }
    fold(await this.series(byStatus, 60, Math.floor(fromS / 60) * 60, Math.floor(toS / 60) * 60, 'counting requests per minute'), rows)
    const failingMinutes = [...rows.values()].filter((r) => r[1 + BUCKET.s5xx] > 0).map((r) => r[0]).sort((a, b) => a - b)
    const seconds = new Map<number, SecondRow>()
    // Runs of adjacent failing minutes are asked as one range; series() splits what exceeds the point limit.
    for (let i = 0; i < failingMinutes.length; ) {
      let j = i
      while (j + 1 < failingMinutes.length && failingMinutes[j + 1] === failingMinutes[j] + 60) j++
      // Every second of those minutes comes back; only the ones holding a 5xx are kept below.
      const points = await this.series(byStatus, 1, failingMinutes[i], failingMinutes[j] + 59, 'counting requests in seconds with a 5xx')
      fold(points, seconds)
      i = j + 1
    }
    for (const row of seconds.values()) {
      if (row[1 + BUCKET.s5xx] === 0) continue
      const minuteStart = Math.floor(row[0] / 60) * 60
      const minute = rows.get(minuteStart)
      if (minute === undefined || minuteStart === row[0]) continue
      for (let k = 1; k < row.length; k++) minute[k] -= row[k]
      rows.set(row[0], row)
    }
    return [...rows.values()].filter((r) => r[1 + BUCKET.total] > 0).sort((a, b) => a[0] - b[0])
  }

  /**
   * An application log: the engine lists the window's level values (read as the formats read
   * them), counts error lines per bucket and per instance; the error lines are fetched and grouped.
   */
  private async readErrors(stage: Stage, parser: LineParser, base: IngestResult): Promise<IngestResult> {
    const out: IngestResult = { ...base, appEvents: base.lines }
    if (!stage.has.has('level')) {
      this.warnings.push(`${this.label}: no level field to tell error lines by; map it (--map level=…)`)
      return { ...out, unparsed: base.lines, appEvents: 0, events: 0, eventLines: 0 }
    }
    const pipe = `${this.selector}${stage.text}`
    const levels = await this.instant(`sum by (${L.level}) (count_over_time(${pipe} [$W]))`, 'listing levels')
    const errorValues = levels
      .map((r) => r.metric[L.level] ?? '')
      .filter((v) => {
        const n = normalizeLevel(/^\d+$/.test(v) ? Number(v) : v)
        return n === 'error' || n === 'fatal'
      })
    if (errorValues.length === 0) return out
    const errors = `${pipe} | ${L.level}=~${anyOf(errorValues)}`
    const exact = this.spec.to - this.spec.from <= this.limits.exactSecondsMs
    const step = exact ? 1 : 60
    const inst = this.instanceKey(stage)
    const [perBucket, instances] = await Promise.all([
      this.series(`sum(count_over_time(${errors} [$S]))`, step, Math.floor(this.spec.from / 1000 / step) * step, Math.floor(this.spec.to / 1000 / step) * step, 'counting errors per bucket'),
      inst === null ? Promise.resolve([]) : this.optional(this.instant(`sum by (${inst}, ${L.level}) (count_over_time(${pipe} [$W]))`, 'counting app events per instance'), [], 'app events per instance')
    ])
    const errorCount = perBucket.reduce((n, p) => n + p.n, 0)
    const errorLines = await this.spreadSample(
      errors,
      Math.min(this.limits.errorRows, MAX_KEPT_APP_EVENTS),
      perBucket.map((p) => [p.t, p.n] as const).sort((a, b) => a[0] - b[0]),
      errorCount,
      'fetching error lines'
    )
    const grouper = new ErrorGrouper()
    const errorEvents: AppEvent[] = []
    let grouped = 0
    for (const l of errorLines) {
      const event = parser.parse(l.line, ++this.lineNo, 0)
      if (event === null || event.kind === 'request') continue
      if (grouper.add(event, this.label)) grouped++
      if (event.kind === 'app' && isErrorEvent(event)) errorEvents.push(event)
    }
    // Groups count the lines read: past errorRows they are a spread sample, and say so.
    if (errorCount > errorLines.length) this.warnings.push(`${this.label}: ${errorLines.length} of ${errorCount} error lines grouped, spread over the window`)
    const byInstance = new Map<string, { appEvents: number; appErrors: number }>()
    for (const r of instances) {
      const name = r.metric[inst ?? ''] ?? ''
      if (name === '') continue
      const at = byInstance.get(name) ?? { appEvents: 0, appErrors: 0 }
      at.appEvents += r.n
      if (errorValues.includes(r.metric[L.level] ?? '')) at.appErrors += r.n
      byInstance.set(name, at)
    }
    out.errorEvents = errorEvents
    out.errorEventsSeen = grouped
    out.errorGroups = grouper.groups(null)
    const buckets = new Map<number, SecondRow>()
    for (const p of perBucket) {
      if (p.n === 0) continue
      const row = buckets.get(p.t) ?? emptyRow(p.t)
      row[1 + BUCKET.appErrors] += p.n
      buckets.set(p.t, row)
    }
    out.requests = {
      ...out.requests,
      instances: instanceStats([...byInstance].map(([name, c]) => ({ name, requests: 0, s5xx: 0, ...c }))),
      seconds: [...buckets.values()].sort((a, b) => a[0] - b[0])
    }
    return out
  }
}

/** `a.b.c` set as nested objects, as a JSON logger writes them. */
function setPath(record: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.')
  let at = record
  for (const part of parts.slice(0, -1)) {
    if (typeof at[part] !== 'object' || at[part] === null) at[part] = {}
    at = at[part] as Record<string, unknown>
  }
  at[parts[parts.length - 1]] = value
}

export interface LokiAdapterOptions {
  limits?: Partial<LokiLimits>
  keychain?: (id: string) => Promise<string | null>
}

export function lokiAdapter(options: LokiAdapterOptions = {}): StoreAdapter {
  const limits = { ...DEFAULT_LOKI_LIMITS, ...options.limits }
  return {
    kind: 'loki',
    async read(spec: StoreSpec, signal?: AbortSignal): Promise<StoreReading> {
      const headers = await credentialHeaders(spec.credential, options.keychain)
      const read = new LokiRead(spec, { url: spec.url, headers, tenant: spec.tenant ?? null, timeoutMs: limits.timeoutMs, attempts: limits.attempts, maxRetryMs: limits.maxRetryMs, ...(signal ? { signal } : {}) }, limits)
      const result = await read.read()
      return { result, bytesMoved: read.bytesMoved, scannedBytes: read.scannedBytes, warnings: read.warnings }
    }
  }
}
