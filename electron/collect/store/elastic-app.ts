/**
 * An application-log index (ECS `log.level`, `message`, `error.*`, `service.*`, `host.name`; OTel
 * and logstash names too: whatever the field inference mapped), read as clickhouse.ts reads an
 * app-log table. The engine counts: error documents per second, events and errors per instance,
 * each distinct error (type, stack, message, logger, endpoint, instance) with its first and last
 * time, and the first document of each version on each instance. Only bounded hits move: one
 * document per distinct error, the error documents (all when few, else the first, the newest and a
 * spread over the window),
 * and the startup/migration lines. Every hit is read by the file's parser, errors are grouped by
 * the same ErrorGrouper weighted by the engine's counts, and versions and banners go through the
 * same LifecycleCollector, so deploys from the logs are the ones the same lines as a file give.
 */
import type { SecondRow } from '../../../shared/analysis/aggregate'
import { LIFECYCLE_WORDS, LifecycleCollector } from '../../../shared/analysis/deploys/lifecycle'
import { ErrorGrouper, isErrorEvent } from '../../../shared/analysis/groups'
import { MAX_INSTANCES } from '../../../shared/analysis/instances'
import { FIRST_SLOT_MS, MAX_SLOTS } from '../../../shared/analysis/time-histogram'
import type { AppEvent, FieldMap, FieldRole } from '../../../shared/model/evidence'
import type { LineParser } from '../formats'
import { normalizeLevel } from '../formats/events'
import { MAX_KEPT_APP_EVENTS, type IngestResult } from '../ingest'
import { type Agg, type Bucket, buckets, docCount, type ElasticSession, hitsAsLines, isTextType, type MappedField } from './elastic-search'
import { instanceStats } from './result'
import { secondRow } from './series'

export interface AppLogRead {
  es: ElasticSession
  index: string
  /** The window and the user's query string. */
  filter: Agg[]
  window: { from: number; to: number }
  time: string
  fieldMap: FieldMap
  fields: Map<string, MappedField>
  parser: LineParser
  base: IngestResult
}

/** What tells one error from another, most telling first (clickhouse.ts groups its rows by the same roles). */
const SHAPE_ROLES: FieldRole[] = ['errorType', 'stack', 'message', 'errorMessage', 'logger', 'method', 'path', 'status', 'instance']
/** The roles that name the log statement itself; without one, errors of one type are one shape to the engine. */
const IDENTITY_ROLES: FieldRole[] = ['stack', 'message', 'errorMessage', 'logger']
/** ECS's code location: one log statement, so the same message template (their names when the index maps them). */
const ORIGIN_FIELDS = ['log.origin.file.name', 'log.origin.file.line', 'log.origin.function']

const topHit = (b: Bucket, name: string): string[] => hitsAsLines((b[name] as { hits?: unknown } | undefined) ?? {})

export async function readAppLog(r: AppLogRead): Promise<IngestResult> {
  const { es, index, filter, time, fieldMap, fields, base } = r
  const out: IngestResult = { ...base, appEvents: base.lines }
  const field = (role: FieldRole): { name: string; mapped: MappedField } | null => {
    const name = fieldMap[role]
    const mapped = name === undefined ? undefined : fields.get(name)
    return name === undefined || mapped === undefined ? null : { name, mapped }
  }
  const agg = (role: FieldRole): string | null => field(role)?.mapped.agg ?? null

  const isError = await errorQuery(r, field, agg)
  if (isError === null) {
    es.warnings.push(`${es.label}: no level, stack, error type or status field to tell errors by; map one (--map level=…)`)
    return out
  }
  const inWindow: Agg = { bool: { filter } }
  const errors: Agg = { bool: { filter: [...filter, isError] } }
  const instance = agg('instance')
  const version = agg('version')
  const firstDoc = { first: { top_hits: { size: 1, sort: [{ [time]: 'asc' }] } } }
  const versionTerms = { terms: { field: version, size: VERSIONS_PER_INSTANCE }, aggs: firstDoc }
  const counts = await es.search(
    index,
    {
      size: 0,
      query: inWindow,
      aggs: {
        errors: { filter: isError },
        ...(instance === null ? {} : { instances: { terms: { field: instance, size: MAX_INSTANCES }, aggs: { errors: { filter: isError }, ...(version === null ? {} : { versions: versionTerms }) } } }),
        ...(version === null || instance !== null ? {} : { versions: versionTerms })
      }
    },
    'counting app events per instance and version'
  )
  const aggs = (counts.aggregations ?? {}) as Record<string, unknown>
  const errorTotal = docCount(aggs.errors)

  // Errors per second: only seconds with an error exist, so a week of them pages through composite (max_buckets).
  const perSecond = (await es.compositeBuckets(index, errors, [{ t: { date_histogram: { field: time, fixed_interval: '1s' } } }], {}, 'counting errors per second')).buckets
  const seconds: SecondRow[] = perSecond.map((b) => secondRow(Math.floor(Number((b.key as { t?: unknown }).t) / 1000), { appErrors: b.doc_count }))

  const grouper = new ErrorGrouper()
  const grouped = await groupShapes(r, errors, agg, grouper)
  out.errorEventsSeen = grouped.truncated ? errorTotal : grouped.count
  out.errorGroups = grouper.groups(null)
  out.errorEvents = (await errorSamples(r, errors, errorTotal)).filter((e) => isErrorEvent(e))
  out.lifecycle = await lifecycle(r, aggs, isError, field('message'))
  out.requests = {
    ...out.requests,
    seconds,
    instances: instanceStats(
      buckets(aggs.instances)
        .filter((b) => b.key !== '' && b.key !== '-')
        .map((b) => ({ name: String(b.key), requests: 0, s5xx: 0, appEvents: b.doc_count, appErrors: docCount(b.errors) }))
    )
  }
  return out
}

/**
 * The query that selects error documents, as isErrorEvent reads a line: a level the formats read
 * as error or fatal (the index's own level values, asked first), a stack, an error type, a 5xx.
 * A warn line naming a resource limit is an error to a file but not to this query: words in free
 * text are no aggregation, so those stay uncounted here.
 */
async function errorQuery(r: AppLogRead, field: (role: FieldRole) => { name: string } | null, agg: (role: FieldRole) => string | null): Promise<Agg | null> {
  const should: Agg[] = []
  const level = agg('level')
  const levelField = field('level')
  if (level === null && levelField !== null) r.es.warnings.push(`${r.es.label}: the level field ${levelField.name} is text with no keyword sub-field; errors are told by stack, error type and status only`)
  if (level !== null) {
    const body = await r.es.search(r.index, { size: 0, query: { bool: { filter: r.filter } }, aggs: { levels: { terms: { field: level, size: 1000 } } } }, 'listing levels')
    const values = buckets((body.aggregations as Record<string, unknown> | undefined)?.levels)
      .map((b) => b.key)
      .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
      .filter((v) => {
        const n = normalizeLevel(typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v)
        return n === 'error' || n === 'fatal'
      })
    if (values.length > 0) should.push({ terms: { [level]: values } })
  }
  for (const role of ['stack', 'errorType'] as const) {
    const f = field(role)
    if (f !== null) should.push({ exists: { field: f.name } })
  }
  const status = agg('status')
  if (status !== null) should.push({ range: { [status]: { gte: 500, lt: 600 } } })
  return should.length === 0 ? null : { bool: { should, minimum_should_match: 1 } }
}

/**
 * Distinct errors counted by the engine (a `composite` over the shape fields it can aggregate,
 * paged), one document of each read by the parser and counted into the grouper with the engine's
 * count, first and last time: the groups a file of the same lines gives. Text fields with no
 * keyword (ECS `message` is match_only_text) are no key; ECS's code location stands in for them.
 */
async function groupShapes(r: AppLogRead, errors: Agg, agg: (role: FieldRole) => string | null, grouper: ErrorGrouper): Promise<{ count: number; truncated: boolean }> {
  const { es, time, parser } = r
  const keyFields = [...new Set([...SHAPE_ROLES.map(agg), ...ORIGIN_FIELDS.map((f) => r.fields.get(f)?.agg ?? null)].filter((f): f is string => f !== null))]
  const identified = IDENTITY_ROLES.some((role) => agg(role) !== null) || ORIGIN_FIELDS.some((f) => (r.fields.get(f)?.agg ?? null) !== null)
  // When each error happened, per slot of a group's time histogram (time-histogram.ts: one second, doubled until the window fits
  // MAX_SLOTS): the groups' sparklines, and the version live at each error, are then the file's (exact up to 34 minutes, coarser past).
  let slotMs = FIRST_SLOT_MS
  while ((r.window.to - r.window.from) / slotMs > MAX_SLOTS) slotMs *= 2
  const sub = {
    firstSeen: { min: { field: time } },
    lastSeen: { max: { field: time } },
    sample: { top_hits: { size: 1, sort: [{ [time]: 'asc' }] } },
    slots: { date_histogram: { field: time, fixed_interval: `${slotMs / 1000}s`, min_doc_count: 1 } }
  }
  // A page's shapes times their slots stay under `search.max_buckets` (65,536).
  const page = Math.max(1, Math.min(SHAPE_PAGE, Math.floor(60_000 / (2 + Math.ceil((r.window.to - r.window.from) / slotMs)))))
  let shapes: Bucket[]
  let truncated = false
  if (keyFields.length === 0) {
    const body = await es.search(r.index, { size: 0, query: errors, aggs: { all: { filter: { match_all: {} }, aggs: sub } } }, 'counting distinct errors')
    const all = (body.aggregations as Record<string, Bucket> | undefined)?.all
    shapes = all !== undefined && all.doc_count > 0 ? [all] : []
  } else {
    const sources = keyFields.map((f, i) => ({ [`k${i}`]: { terms: { field: f, missing_bucket: true } } }))
    // Each bucket carries a whole document (its sample): pages of SHAPE_PAGE keep one answer to a few MB.
    ;({ buckets: shapes, truncated } = await es.compositeBuckets(r.index, errors, sources, sub, 'counting distinct errors', es.limits.errorShapes, Math.min(page, es.limits.compositePage)))
    if (truncated) es.warnings.push(`${es.label}: more than ${es.limits.errorShapes} distinct errors; the first ${es.limits.errorShapes} are grouped`)
  }
  if (!identified && shapes.some((b) => b.doc_count > 1)) es.warnings.push(`${es.label}: no keyword field tells error messages apart (message, stack, logger); errors of one type are grouped by one sample of them`)
  let count = 0
  for (const shape of shapes) {
    const [line] = topHit(shape, 'sample')
    if (line === undefined) continue
    const event = parser.parse(line, 0, 0)
    if (event === null || event.kind !== 'app') continue
    const at = (name: string): number | null => (shape[name] as { value?: number | null } | undefined)?.value ?? null
    const span = { firstSeen: at('firstSeen'), lastSeen: at('lastSeen') }
    const slots = buckets(shape.slots)
    // The sample stands for the shape's errors of each slot, at the slot's start (the first slot: at its own time).
    for (const [i, slot] of (slots.length > 0 ? slots : [{ key: event.time ?? 0, doc_count: shape.doc_count }]).entries())
      if (grouper.add(i === 0 ? event : { ...event, time: Number(slot.key) }, es.label, { count: slot.doc_count, ...span })) count += slot.doc_count
  }
  return { count, truncated }
}

/** Distinct errors per composite page, at most. */
const SHAPE_PAGE = 500
/**
 * Versions counted per instance: MAX_INSTANCES × this stays under `search.max_buckets` (65,536);
 * an instance logging more versions than this in one window is flapping (derive.ts ignores it).
 */
const VERSIONS_PER_INSTANCE = 20

/** Buckets of the window the spread third of the error sample is drawn from, one page of hits each. */
const SPREAD_BUCKETS = 50

/**
 * The error documents as events: all of them when few (in time order, as the file reader keeps
 * its first), else a third each of the first, the newest and a spread over the window (a
 * `date_histogram` of SPREAD_BUCKETS buckets, the first few of each), so a sample of a long window
 * shows its start, its end and its middle. Every error is counted either way (the groups and the
 * per-second series are the engine's counts).
 */
async function errorSamples(r: AppLogRead, errors: Agg, total: number): Promise<AppEvent[]> {
  const { es, index, time, parser } = r
  const limit = Math.min(es.limits.errorRows, MAX_KEPT_APP_EVENTS)
  let lines: string[]
  if (total <= limit) lines = await es.pagedHits(index, errors, time, total, 'fetching error documents')
  else {
    const third = Math.floor(limit / 3)
    const first = await es.pagedHits(index, errors, time, third, 'fetching the first error documents')
    const newest = await es.pagedHits(index, errors, time, third, 'fetching the newest error documents', 'desc')
    const perBucket = Math.max(1, Math.floor((limit - 2 * third) / SPREAD_BUCKETS))
    const interval = `${Math.max(1, Math.ceil((r.window.to - r.window.from) / SPREAD_BUCKETS / 1000))}s`
    const body = await es.search(
      index,
      { size: 0, query: errors, aggs: { spread: { date_histogram: { field: time, fixed_interval: interval, min_doc_count: 1 }, aggs: { sample: { top_hits: { size: perBucket, sort: [{ [time]: 'asc' }] } } } } } },
      'fetching error documents spread over the window'
    )
    const spread = buckets((body.aggregations as Record<string, unknown> | undefined)?.spread).flatMap((b) => topHit(b, 'sample'))
    lines = [...new Set([...first, ...spread, ...newest.reverse()])]
    es.warnings.push(`${es.label}: ${lines.length} of ${total} error documents fetched (the first, the newest and a spread over the window); every one is counted`)
  }
  return lines
    .map((line, i) => parser.parse(line, i + 1, 0))
    .filter((e): e is AppEvent => e?.kind === 'app')
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0))
}

/**
 * Starts, version changes and migrations, as LifecycleCollector reads them from a file: the first
 * document of each version on each instance (the engine finds it) and the non-error lines that
 * hold a banner's or a migration's word (a full-text match on a text message; a keyword message
 * has no words to match, so its banners are not read), in time order.
 */
async function lifecycle(r: AppLogRead, aggs: Record<string, unknown>, isError: Agg, message: { name: string; mapped: MappedField } | null): Promise<IngestResult['lifecycle']> {
  const { es, index, filter, time, parser } = r
  const firsts = [...buckets(aggs.instances).flatMap((i) => buckets(i.versions)), ...(aggs.instances === undefined ? buckets(aggs.versions) : [])].flatMap((v) => topHit(v, 'first'))
  const banners =
    message !== null && isTextType(message.mapped.type)
      ? await es.pagedHits(index, { bool: { filter: [...filter, { match: { [message.name]: { query: LIFECYCLE_WORDS.join(' '), operator: 'or' } } }], must_not: [isError] } }, time, es.limits.bannerRows, 'fetching startup and migration lines')
      : []
  const events = [...new Set([...firsts, ...banners])]
    .map((line, i) => parser.parse(line, i + 1, 0))
    .filter((e): e is AppEvent => e?.kind === 'app' && e.time !== null)
    .sort((a, b) => (a.time ?? 0) - (b.time ?? 0))
  const collector = new LifecycleCollector(es.label)
  for (const e of events) collector.addEvent(e)
  return collector.result()
}
