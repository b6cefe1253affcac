import type { AnalysisInput } from '../../shared/analysis/input'
import { emptyRequestData } from '../../shared/analysis/verdict/empty'
import { emptyImpactData } from '../../shared/analysis/impact'
import type { AppEvent, DeployEvent, HealthSample, LogFormatId, RequestEvent } from '../../shared/model/evidence'
import { BUCKET, type RequestAggregateData } from '../../shared/analysis/aggregate'
import { withoutRequests } from '../../shared/analysis/instances'
import { type IndexedSource, SecondIndex } from '../../shared/analysis/verdict/second-index'
import { type IngestResult, mergeResults } from '../collect/ingest'
import { formatFamily } from '../collect/formats'
import { commonShapes, type SourceReading } from '../../shared/analysis/readable'
import { deploysFromLog, withLogDeploys } from '../../shared/analysis/deploys/derive'

/**
 * Who counts requests when several sources log the same ones: the proxy's access log first,
 * then a JSON access log (Caddy, Cloudflare, or the app's own pino-http lines), then the app.
 */
function requestTier(format: LogFormatId): number {
  // The app's own JSON request lines (json-access: pino-http and friends) rank below a proxy's log.
  if (format === 'json-access') return 1
  return formatFamily(format) === 'access' ? 2 : 0
}

/** What one file's reading says about its readability, for the verdict and the source card. */
export function sourceReading(path: string, r: IngestResult): SourceReading {
  return {
    path,
    format: r.format,
    family: formatFamily(r.format),
    lines: r.lines,
    events: r.events,
    eventLines: r.eventLines,
    directiveLines: r.directiveLines,
    unparsed: r.unparsed,
    requests: r.requests.requests,
    dated: r.timeFrom !== null,
    requestShaped: r.requestShaped,
    unreadShapes: commonShapes(r.unparsedSamples.map((u) => u.text)),
    fieldMap: r.fieldMap
  }
}

/**
 * The verdict engine's input from what the sources have read and the pollers have seen.
 * `now` defaults to the end of the evidence, so a one-shot analysis depends on the files only.
 */
export function analysisInput(
  readings: { path: string; result: IngestResult }[],
  deploys: DeployEvent[],
  health: HealthSample[],
  now?: number,
  /** The caller's index of the sources' seconds, kept between its analyses (a live session's); absent: one is built. */
  index?: SecondIndex
): AnalysisInput {
  // The proxy's access log and the app's own request lines (pino-http, Rails "Completed") see the
  // same requests: only the most authoritative kind of source counts them, the others add errors.
  const top = Math.max(0, ...readings.map((r) => requestTier(r.result.format)))
  const counted = readings.map((r) => (top > 0 && requestTier(r.result.format) < top ? { ...r.result, requests: appErrorsOnly(r.result.requests) } : r.result))
  const merged = counted.length > 0 ? mergeResults(counted) : null
  const secondIndex = indexOf(index, readings.map((r) => ({ requests: r.result.requests, appErrorsOnly: top > 0 && requestTier(r.result.format) < top })))
  const fromLog = merged ? deploysFromLog(merged.lifecycle) : { deploys: [], restarts: [] }
  return {
    sources: readings.map((r) => sourceReading(r.path, r.result)),
    requests: merged?.requests ?? emptyRequestData(),
    secondIndex,
    errorEvents: merged ? joinRequests(merged.errorEvents, merged.requests.failing) : [],
    errorEventsSeen: merged?.errorEventsSeen ?? 0,
    proxyErrors: merged?.proxyErrors ?? [],
    proxyErrorsSeen: merged?.proxyErrorsSeen ?? 0,
    errorGroups: merged?.errorGroups ?? [],
    groupLocations: merged?.groupLocations ?? {},
    timeFrom: merged?.timeFrom ?? null,
    timeTo: merged?.timeTo ?? null,
    deploys: withLogDeploys(deploys, fromLog.deploys),
    restarts: fromLog.restarts,
    migrations: merged?.lifecycle.migrations ?? [],
    health: [...health].sort((a, b) => a.at - b.at),
    now: now ?? merged?.timeTo ?? 0
  }
}

/**
 * The index the verdict reads the seconds from: the caller's, brought up to date (the same
 * sources come back with their change periods and only what changed is merged again), or a new
 * one when there is none to keep or a source cannot say what changed.
 */
function indexOf(kept: SecondIndex | undefined, sources: IndexedSource[]): SecondIndex {
  if (kept === undefined || !sources.every((s) => s.requests.changes !== undefined)) return SecondIndex.of(sources)
  kept.update(sources)
  return kept
}

/** A source's per-second app-error counts without its request counts. */
function appErrorsOnly(data: RequestAggregateData): RequestAggregateData {
  const out: Omit<RequestAggregateData, 'seconds'> = { requests: 0, undatedRequests: 0, statusCounts: {}, routes: [], failing: [], failingSeen: 0, instances: withoutRequests(data.instances), impact: emptyImpactData() }
  // Made when first read: the verdict reads the sources' rows through the index instead.
  let seconds: RequestAggregateData['seconds'] | null = null
  return Object.defineProperty(out, 'seconds', { enumerable: true, get: () => (seconds ??= appErrorRows(data.seconds)) }) as RequestAggregateData
}

function appErrorRows(rows: RequestAggregateData['seconds']): RequestAggregateData['seconds'] {
  const seconds: RequestAggregateData['seconds'] = []
  for (const [second, ...counts] of rows) {
    const appErrors = counts[BUCKET.appErrors] ?? 0
    if (appErrors === 0) continue
    const row = counts.map(() => 0)
    row[BUCKET.appErrors] = appErrors
    seconds.push([second, ...row])
  }
  return seconds
}

/** An app error this close to a failing request on the same method and path is taken to be its error. */
const JOIN_WINDOW_MS = 2000

/**
 * App errors joined to the failing requests of the access log: by request id, or by time +
 * method + path when there is no id, so an error learns the endpoint and status it broke.
 */
export function joinRequests(errors: AppEvent[], failing: RequestEvent[]): AppEvent[] {
  if (errors.length === 0 || failing.length === 0) return errors
  const byId = new Map<string, RequestEvent>()
  const byEndpoint = new Map<string, RequestEvent[]>()
  for (const r of failing) {
    if (r.requestId) byId.set(r.requestId, r)
    const key = `${r.method} ${r.path}`
    const list = byEndpoint.get(key)
    if (list) list.push(r)
    else byEndpoint.set(key, [r])
  }
  return errors.map((e) => {
    let match = e.requestId ? byId.get(e.requestId) : undefined
    if (!match && e.method && e.path && e.time !== null && e.status === null) {
      const time = e.time
      match = byEndpoint.get(`${e.method} ${e.path}`)?.find((r) => r.time !== null && Math.abs(r.time - time) <= JOIN_WINDOW_MS)
    }
    if (!match || (e.method !== null && e.path !== null && e.status !== null)) return e
    return { ...e, method: e.method ?? match.method, path: e.path ?? match.path, status: e.status ?? match.status }
  })
}
