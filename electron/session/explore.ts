import { MAX_KEPT_ROWS, type EventRow, type QueryEventsRequest, type QueryEventsResponse, type TimelineBucket } from '../../shared/contract'
import { ErrorGrouper, isErrorEvent } from '../../shared/analysis/groups'
import { groupJson } from '../../shared/analysis/verdict'
import { filterFields, matchesFilter, parseFilter, type Filter } from '../../shared/filter'
import type { EvidenceEvent, LogFormatId } from '../../shared/model/evidence'
import type { FieldMap } from '../collect/formats'
import { scanEvents } from '../collect/scan'
import type { SourceFileInfo } from '../collect/source-file'
import { UserError } from './errors'

/** What the session hands the query of each source it can scan. */
export interface ScanTarget {
  id: string
  name: string
  path: string
  file: SourceFileInfo
  format: LogFormatId
  fieldMap: FieldMap | null
  /** Lines read so far: part of the cache key, so a followed file that grew is scanned again. */
  lines: number
}

const MAX_MESSAGE = 300
const MAX_GROUPS = 100

interface Answer {
  rows: EventRow[]
  total: number
  untimed: number
  buckets: TimelineBucket[]
  groups: QueryEventsResponse['groups']
  skipped: QueryEventsResponse['skipped']
}

const firstLine = (s: string): string => {
  const nl = s.indexOf('\n')
  const line = nl < 0 ? s : s.slice(0, nl)
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line
}

function rowOf(e: EvidenceEvent, target: ScanTarget): EventRow {
  const at = { sourceId: target.id, file: target.path, line: e.line, lines: e.lines, time: e.time }
  switch (e.kind) {
    case 'request':
      return { ...at, kind: e.kind, status: e.status, method: e.method, path: e.path, instance: e.instance, level: null, message: firstLine([e.client, e.userAgent].filter((x) => x).join(' · ')) }
    case 'app':
      return { ...at, kind: e.kind, status: e.status, method: e.method, path: e.path, instance: e.instance, level: e.level, message: firstLine(e.message) }
    case 'proxy-error':
      return { ...at, kind: e.kind, status: null, method: e.method, path: e.path, instance: e.upstream, level: e.level, message: firstLine(e.message) }
  }
}

const emptyBucket = (t: number): TimelineBucket => ({ t, total: 0, s5xx: 0, s4xx: 0, s500: 0, s502: 0, s503: 0, s504: 0, appErrors: 0 })

/** Counts an event on the grid the way the analysis aggregate does: app lines that served a request count as one. */
function countInto(bucket: TimelineBucket, e: EvidenceEvent): void {
  const status = e.kind === 'request' ? e.status : e.kind === 'app' && e.method !== null && e.path !== null ? e.status : null
  if (status !== null) {
    bucket.total++
    if (status >= 500) {
      bucket.s5xx++
      if (status === 500) bucket.s500++
      else if (status === 502) bucket.s502++
      else if (status === 503) bucket.s503++
      else if (status === 504) bucket.s504++
    } else if (status >= 400) bucket.s4xx++
  }
  if (e.kind === 'app' && isErrorEvent(e)) bucket.appErrors++
}

export function parseQuery(query: string): Filter {
  const parsed = parseFilter(query)
  if (!parsed.ok) throw new UserError(`filter: ${parsed.error}`)
  return parsed.filter
}

/**
 * Answers explore queries by scanning the sources' files again with their own readers: the
 * renderer gets a page of rows, the filter's counts per bucket and its error groups. The last
 * answer is kept, so paging and scrolling cost a slice, not a scan.
 */
export class EventQuery {
  private cached: { key: string; answer: Promise<Answer> } | null = null

  async run(req: QueryEventsRequest, targets: ScanTarget[], skipped: QueryEventsResponse['skipped'], latestDeployAt: number | null): Promise<QueryEventsResponse> {
    const filter = parseQuery(req.query)
    const key = JSON.stringify([req.query.trim(), req.from, req.to, req.buckets, latestDeployAt, targets.map((t) => [t.id, t.lines, t.format, t.fieldMap]), skipped])
    if (this.cached?.key !== key) {
      const answer = this.scan(filter, req, targets, skipped, latestDeployAt)
      this.cached = { key, answer }
      // A failed scan is not kept: the next ask tries again.
      answer.catch(() => {
        if (this.cached?.answer === answer) this.cached = null
      })
    }
    const a = await this.cached.answer
    const rows = a.rows.slice(req.cursor, req.cursor + req.limit)
    const next = req.cursor + rows.length
    return { rows, total: a.total, untimed: a.untimed, nextCursor: next < a.rows.length ? next : null, buckets: a.buckets, groups: a.groups, skipped: a.skipped }
  }

  private async scan(filter: Filter, req: QueryEventsRequest, targets: ScanTarget[], skipped: QueryEventsResponse['skipped'], latestDeployAt: number | null): Promise<Answer> {
    const rows: EventRow[] = []
    let total = 0
    let untimed = 0
    const buckets = new Map<number, TimelineBucket>()
    const grouper = new ErrorGrouper()
    const grid = req.buckets
    const ranged = req.from !== null || req.to !== null
    const inRange = (t: number | null): boolean => t !== null && (req.from === null || t >= req.from) && (req.to === null || t < req.to)
    for (const target of targets) {
      await scanEvents(target.file, target.format, target.fieldMap, (e) => {
        const fields = filterFields(e)
        if (!matchesFilter(filter, e, fields)) return
        if (grid && e.time !== null) {
          const i = Math.floor((e.time - grid.start) / grid.bucketMs)
          let b = buckets.get(i)
          if (!b) buckets.set(i, (b = emptyBucket(grid.start + i * grid.bucketMs)))
          countInto(b, e)
        }
        if (e.time === null) untimed++
        // Untimed events cannot sit in a range: listed only when no range is asked for.
        if (ranged ? !inRange(e.time) : false) return
        if (e.kind !== 'request') grouper.add(e, target.path)
        total++
        if (rows.length < MAX_KEPT_ROWS) rows.push(rowOf(e, target))
      })
    }
    // Files are each in time order, nearly: a stable sort by time interleaves them; untimed rows go last.
    rows.sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity))
    return {
      rows,
      total,
      untimed,
      buckets: [...buckets.values()].sort((a, b) => a.t - b.t),
      groups: grouper.groups(latestDeployAt).slice(0, MAX_GROUPS).map(groupJson),
      skipped
    }
  }
}
