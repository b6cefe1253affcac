import { useEffect, useRef, useState, type UIEvent } from 'react'
import { MAX_KEPT_ROWS, type EventRow } from '../../../../shared/contract'
import { zonedClock } from '../../../../shared/format'
import { selectTimeZone, useApp } from '../../store'
import { EXPLORE_PAGE } from '../../store/explore-slice'
import { errorText } from '../../api/errors'

/** Every row has this height, so the list knows where any row sits without measuring it. */
export const ROW_HEIGHT = 26
/** The list's own height (it scrolls inside itself, the page does not). */
export const LIST_HEIGHT = 312
/** Rows drawn above and below the visible ones, so a fast scroll does not show gaps. */
const OVERSCAN = 8

const kindText = (r: EventRow): string => (r.kind === 'request' ? (r.status === null ? 'request' : String(r.status)) : r.kind === 'app' ? (r.level ?? 'app') : 'proxy')

/**
 * The matching requests and events: only the rows in view are in the DOM (a few dozen, whether
 * 20 or 200,000 match), and pages of rows are asked of the session as they scroll into view.
 * Mounted per answer (keyed by its seq), so a new answer starts afresh at the top.
 */
export function EventList({ total, first, withDate, onOpen }: { total: number; first: EventRow[]; withDate: boolean; onOpen(row: EventRow): void }) {
  const zone = useApp(selectTimeZone)
  const explorePage = useApp((s) => s.explorePage)
  const [scrollTop, setScrollTop] = useState(0)
  const [pages, setPages] = useState<Map<number, EventRow[]>>(() => new Map([[0, first]]))
  const [error, setError] = useState<string | null>(null)
  const pending = useRef(new Set<number>())
  const [height, setHeight] = useState(LIST_HEIGHT)

  const rowsAvailable = Math.min(total, MAX_KEPT_ROWS)
  const firstIndex = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN)
  const lastIndex = Math.min(rowsAvailable, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN)

  useEffect(() => {
    for (let p = Math.floor(firstIndex / EXPLORE_PAGE); p * EXPLORE_PAGE < lastIndex; p++) {
      if (pages.has(p) || pending.current.has(p)) continue
      pending.current.add(p)
      explorePage(p * EXPLORE_PAGE).then(
        (rows) => setPages((prev) => new Map(prev).set(p, rows)),
        (err: unknown) => setError(errorText(err))
      )
    }
  }, [firstIndex, lastIndex, pages, explorePage])

  const items = []
  for (let i = firstIndex; i < lastIndex; i++) {
    const row = pages.get(Math.floor(i / EXPLORE_PAGE))?.[i % EXPLORE_PAGE]
    const style = { top: i * ROW_HEIGHT, height: ROW_HEIGHT }
    if (!row) {
      items.push(
        <div key={i} className="event-row loading" role="listitem" style={style}>
          …
        </div>
      )
      continue
    }
    const bad = (row.status !== null && row.status >= 500) || row.level === 'error' || row.level === 'fatal' || row.kind === 'proxy-error'
    items.push(
      <div key={i} role="listitem" className="event-row-item" style={style}>
        <button type="button" className={`event-row${bad ? ' bad' : ''}`} data-testid="event-row" onClick={() => onOpen(row)} title={`${row.file}:${row.line}`}>
          <span className="ev-time">{zonedClock(row.time, zone, { date: withDate, seconds: true })}</span>
          <span className={`ev-kind${bad ? ' bad' : ''}`}>{kindText(row)}</span>
          <span className="ev-req">{[row.method, row.path].filter(Boolean).join(' ')}</span>
          <span className="ev-msg">{row.message}</span>
          <span className="ev-inst">{row.instance ?? ''}</span>
        </button>
      </div>
    )
  }

  return (
    <>
      {error ? (
        <p className="source-error" role="alert">
          {error}
        </p>
      ) : null}
      <div
        className="event-list"
        style={{ height: LIST_HEIGHT }}
        onScroll={(e: UIEvent<HTMLDivElement>) => {
          setScrollTop(e.currentTarget.scrollTop)
          // jsdom lays nothing out: without a measured height the list's own height stands.
          setHeight(e.currentTarget.clientHeight || LIST_HEIGHT)
        }}
        tabIndex={0}
        role="list"
        aria-label={`Matching requests and events, ${rowsAvailable} rows`}
        data-testid="event-list"
      >
        <div className="event-list-body" style={{ height: rowsAvailable * ROW_HEIGHT }}>
          {items}
        </div>
      </div>
    </>
  )
}
