import { useEffect, useRef, useState } from 'react'
import { readableLine } from '../../../shared/format'
import { selectSources, useApp } from '../store'
import { errorText } from '../api/errors'

/** Lines shown per page: enough context around a sample, never the whole log. */
export const RAW_PAGE = 25
const BEFORE = 10

interface Page {
  fromLine: number
  lines: string[]
  eof: boolean
}

/**
 * Raw lines around a place in a log file, paged through readLines. Keyed by place, so a new place
 * starts afresh. The event's own lines (`lines` of them from `line`) are highlighted and scrolled
 * to; JSON records are pretty-printed and wrapped, their epoch times shown as dates.
 */
export function RawLines({ path, line, lines: span = 1 }: { path: string; line: number; lines?: number }) {
  const targetRef = useRef<HTMLLIElement>(null)
  const sources = useApp(selectSources)
  const showRawLines = useApp((s) => s.showRawLines)
  const source = sources.find((s) => s.path === path) ?? sources.find((s) => s.name === path.split(/[\\/]/).pop())
  const [fromLine, setFromLine] = useState(Math.max(1, line - BEFORE))
  const [page, setPage] = useState<Page | null>(null)
  const [error, setError] = useState<string | null>(null)
  const sourceId = source?.id ?? null

  useEffect(() => {
    const api = useApp.getState().platform?.api
    if (!api || !sourceId) return
    let stale = false
    api.readLines({ sourceId, fromLine, count: RAW_PAGE }).then(
      (res) => {
        if (stale) return
        setPage(res)
        setError(null)
      },
      (err: unknown) => {
        if (!stale) setError(errorText(err))
      }
    )
    return () => {
      stale = true
    }
  }, [sourceId, fromLine])

  useEffect(() => {
    targetRef.current?.scrollIntoView?.({ block: 'nearest' })
  }, [page])

  return (
    <section className="raw-lines" aria-label={`Lines of ${path} around line ${line}`} data-testid="raw-lines">
      <div className="raw-head">
        <span className="raw-path" title={path}>
          {path}
        </span>
        <button type="button" className="icon" aria-label="Close the raw lines" onClick={() => showRawLines(null)}>
          ×
        </button>
      </div>
      {!source ? <p className="source-error">{path} is not among the sources of this incident: add it to see its lines.</p> : null}
      {error ? (
        <p className="source-error" role="alert">
          {error}
        </p>
      ) : null}
      {page ? (
        <ol className="raw" start={page.fromLine}>
          {page.lines.map((text, i) => {
            const n = page.fromLine + i
            const target = n >= line && n < line + Math.max(1, span)
            const shown = readableLine(text)
            return (
              <li key={n} className={`${target ? 'target' : ''}${shown.json ? ' json' : ''}`.trim() || undefined} data-line={n} ref={n === line ? targetRef : undefined} aria-current={n === line ? 'true' : undefined}>
                <span className="ln" aria-hidden="true">
                  {n}
                </span>
                <code>{shown.text}</code>
              </li>
            )
          })}
        </ol>
      ) : null}
      <div className="row">
        <button type="button" className="secondary small" disabled={!source || fromLine <= 1} onClick={() => setFromLine(Math.max(1, fromLine - RAW_PAGE))}>
          Earlier lines
        </button>
        <button type="button" className="secondary small" disabled={!source || !page || page.eof} onClick={() => setFromLine(fromLine + RAW_PAGE)}>
          Later lines
        </button>
      </div>
    </section>
  )
}
