import { useEffect } from 'react'
import type { EventRow } from '../../../../shared/contract'
import { count, plural, spansDays, zonedRange } from '../../../../shared/format'
import {
  selectAnalysis,
  selectExploreBusy,
  selectExploreQuery,
  selectExploreRange,
  selectExploreResult,
  selectRawAt,
  selectTimeZone,
  useApp
} from '../../store'
import { exploring } from '../../store/explore-slice'
import { RawLines } from '../RawLines'
import { EventList } from './EventList'
import { FilterBar } from './FilterBar'

/** Drill-down: the filter bar, the requests and events it and the timeline's selection match, and their raw lines. */
export function ExplorePanel() {
  const query = useApp(selectExploreQuery)
  const range = useApp(selectExploreRange)
  const result = useApp(selectExploreResult)
  const busy = useApp(selectExploreBusy)
  const analysis = useApp(selectAnalysis)
  const zone = useApp(selectTimeZone)
  const rawAt = useApp(selectRawAt)
  const runExplore = useApp((s) => s.runExplore)
  const showRawLines = useApp((s) => s.showRawLines)
  const timeline = analysis?.timeline
  const gridStart = timeline?.buckets[0]?.t ?? null
  const bucketMs = timeline?.bucketMs ?? null

  // Asked again when the filter or range changes, and when the evidence moves on (a followed log grew).
  useEffect(() => {
    void runExplore(gridStart !== null && bucketMs !== null ? { start: gridStart, bucketMs } : null)
  }, [query, range, analysis, gridStart, bucketMs, runExplore])

  const asked = exploring({ exploreQuery: query, exploreRange: range })
  const open = (row: EventRow) => showRawLines({ path: row.file, line: row.line, lines: row.lines, origin: 'explore' })
  const withDate = !range || spansDays(range.from, range.to)

  return (
    <section className="panel explore-panel" aria-labelledby="explore-title">
      <h2 id="explore-title">Requests and events</h2>
      <FilterBar />
      {!asked ? (
        <p className="empty">Select a range on the timeline (drag, or click a bar) or type a filter to list the matching requests and events.</p>
      ) : result ? (
        <>
          <p className="explore-status" role="status" data-testid="explore-status">
            {plural(result.total, 'matching request or event', 'matching requests and events')}
            {range ? ` in ${zonedRange(range.from, range.to, zone)}` : ''}
            {query.trim() ? ` for ${query.trim()}` : ''}
            {result.untimed > 0 && range ? ` (${count(result.untimed)} without a time are not in any range)` : ''}
            {busy ? ' · updating…' : ''}
          </p>
          {result.skipped.length > 0 ? (
            <p className="source-error" role="status">
              Not searched: {result.skipped.map((s) => `${s.name} (${s.reason})`).join(', ')}. The list does not cover {result.skipped.length === 1 ? 'it' : 'them'}.
            </p>
          ) : null}
          {result.total === 0 ? <p className="empty">Nothing matches.</p> : <EventList key={result.seq} total={result.total} first={result.rows} withDate={withDate} onOpen={open} />}
        </>
      ) : (
        <p className="empty">{busy ? 'Searching the logs…' : ''}</p>
      )}
      {rawAt?.origin === 'explore' ? <RawLines key={`${rawAt.path}:${rawAt.line}`} path={rawAt.path} line={rawAt.line} lines={rawAt.lines} /> : null}
    </section>
  )
}
