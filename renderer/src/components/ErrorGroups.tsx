import { useEffect, useMemo, useRef } from 'react'
import type { AnalysisSnapshot, ErrorGroupJson } from '../../../shared/contract'
import type { SentryLink } from '../../../shared/contract/analysis'
import { clock, count, plural } from '../../../shared/format'
import {
  selectErrorGroups,
  selectExploreQuery,
  selectExploreRange,
  selectFilteredGroups,
  selectFindings,
  selectFocusSeq,
  selectGroupLocations,
  selectGroupSamples,
  selectGroupSort,
  selectOpenGroupId,
  selectRawAt,
  selectRouteFilter,
  selectWindowSpansDays,
  useApp
} from '../store'
import type { GroupSortKey } from '../store/view-slice'
import { RawLines } from './RawLines'
import { GroupDrawer } from './GroupDrawer'

const COLUMNS: { key: GroupSortKey; label: string }[] = [
  { key: 'count', label: 'Count' },
  { key: 'firstSeen', label: 'First seen' },
  { key: 'lastSeen', label: 'Last seen' },
  { key: 'newSinceDeploy', label: 'New since deploy' }
]

function sortValue(g: ErrorGroupJson, key: GroupSortKey): number {
  if (key === 'count') return g.count
  if (key === 'newSinceDeploy') return g.newSinceDeploy ? 1 : 0
  const iso = key === 'firstSeen' ? g.firstSeen : g.lastSeen
  return iso ? Date.parse(iso) : -Infinity
}

/** Where a group's sample was read: recorded by the analysis, else a reason citing both the group and a line. */
function sampleLocation(
  locations: AnalysisSnapshot['groupLocations'] | undefined,
  findings: AnalysisSnapshot['findings'] | undefined,
  groupId: string
): { path: string; line: number } | null {
  const recorded = locations?.[groupId]
  if (recorded) return recorded
  for (const f of findings ?? [])
    for (const r of f.reasons) {
      if (!r.evidence.some((e) => e.kind === 'group' && e.groupId === groupId)) continue
      const at = r.evidence.find((e) => e.kind === 'line')
      if (at?.kind === 'line') return { path: at.path, line: at.line }
    }
  return null
}

const groupTitle = (g: ErrorGroupJson) => (g.type && !g.message.startsWith(g.type) ? `${g.type}: ${g.message}` : g.message)

/**
 * The group's Sentry issue. A plain link opening a new window: the main process's window-open
 * handler is the one external-link path (http(s) only, opened in the browser, never in the app).
 */
function SentryLine({ link }: { link: SentryLink }) {
  const safe = /^https?:\/\//i.test(link.permalink)
  return (
    <p className="sentry" data-testid="group-sentry">
      Sentry{' '}
      {safe ? (
        <a href={link.permalink} target="_blank" rel="noreferrer noopener">
          {link.shortId}
        </a>
      ) : (
        link.shortId
      )}
      : {link.release === null ? 'no release' : `release ${link.release}`}, {plural(link.users, 'user')}, {plural(link.count, 'event')} in Sentry
    </p>
  )
}

export function ErrorGroups() {
  const allGroups = useApp(selectErrorGroups)
  const filteredGroups = useApp(selectFilteredGroups)
  const filterText = useApp(selectExploreQuery).trim()
  const range = useApp(selectExploreRange)
  // A typed filter shows the groups of the events it matches (counted by the session), in the selected range if any.
  const groups = filteredGroups ?? allGroups
  const withDate = useApp(selectWindowSpansDays)
  const samples = useApp(selectGroupSamples)
  const locations = useApp(selectGroupLocations)
  const findings = useApp(selectFindings)
  const sort = useApp(selectGroupSort)
  const openId = useApp(selectOpenGroupId)
  const routeFilter = useApp(selectRouteFilter)
  const rawAt = useApp(selectRawAt)
  const focusSeq = useApp(selectFocusSeq)
  const sortGroups = useApp((s) => s.sortGroups)
  const openGroup = useApp((s) => s.openGroup)
  const setRouteFilter = useApp((s) => s.setRouteFilter)
  const showRawLines = useApp((s) => s.showRawLines)
  const openRef = useRef<HTMLTableRowElement>(null)
  const sectionRef = useRef<HTMLElement>(null)

  const rows = useMemo(() => {
    const list = (groups ?? []).filter((g) => !routeFilter || g.endpoints.includes(`${routeFilter.method} ${routeFilter.route}`))
    const dir = sort.dir === 'desc' ? -1 : 1
    return [...list].sort((a, b) => dir * (sortValue(a, sort.key) - sortValue(b, sort.key)) || b.count - a.count)
  }, [groups, routeFilter, sort])

  useEffect(() => {
    if (focusSeq > 0 && openId) openRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [openId, focusSeq])
  useEffect(() => {
    if (focusSeq > 0 && (routeFilter || rawAt)) sectionRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [routeFilter, rawAt, focusSeq])

  return (
    <section className="panel groups-panel" aria-labelledby="groups-title" ref={sectionRef}>
      <h2 id="groups-title">Error groups</h2>
      {filteredGroups ? (
        <p className="filter" role="status" data-testid="groups-filtered">
          Groups of the events matching <code>{filterText}</code>
          {range ? ' in the selected range' : ''}: {filteredGroups.length} of {allGroups?.length ?? 0}
        </p>
      ) : null}
      {routeFilter ? (
        <p className="filter" role="status">
          Only groups on <code>{`${routeFilter.method} ${routeFilter.route}`}</code>{' '}
          <button type="button" className="secondary small" onClick={() => setRouteFilter(null)}>
            Show all groups
          </button>
        </p>
      ) : null}
      {rawAt && rawAt.origin !== 'explore' ? <RawLines key={`${rawAt.path}:${rawAt.line}`} path={rawAt.path} line={rawAt.line} /> : null}
      {rows.length === 0 ? (
        <p className="empty">
          {filteredGroups
            ? 'No error event matches the filter.'
            : groups && groups.length > 0
              ? 'No error group on this route.'
              : 'No error events read so far: error groups come from the application log and the proxy error log.'}
        </p>
      ) : (
        <table className="groups" data-testid="error-groups">
          <thead>
            <tr>
              <th scope="col">Error</th>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.dir === 'desc' ? 'descending' : 'ascending') : 'none'}>
                  <button type="button" className="sort" onClick={() => sortGroups(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 'desc' ? ' ▾' : ' ▴') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((g) => {
              const open = g.id === openId
              const at = open ? sampleLocation(locations, findings, g.id) : null
              return [
                <tr key={g.id} className={`group-row${open ? ' open' : ''}${g.newSinceDeploy ? ' new' : ''}`} data-testid="group-row" ref={open ? openRef : undefined}>
                  <td className="group-title">
                    <button type="button" className="link" aria-expanded={open} onClick={() => openGroup(open ? null : g.id)}>
                      {groupTitle(g)}
                    </button>
                  </td>
                  <td className="num">{count(g.count)}</td>
                  <td>{clock(g.firstSeen, { date: withDate })}</td>
                  <td>{clock(g.lastSeen, { date: withDate })}</td>
                  <td>{g.newSinceDeploy ? <span className="badge new">new</span> : ''}</td>
                </tr>,
                open ? (
                  <tr key={`${g.id}:detail`} className="group-detail">
                    <td colSpan={5}>
                      {g.endpoints.length > 0 ? <p className="endpoints">On {g.endpoints.slice(0, 5).join(', ')}</p> : null}
                      {g.sentry ? <SentryLine link={g.sentry} /> : null}
                      <GroupDrawer group={g} title={groupTitle(g)} sample={samples?.[g.id] ?? g.sample} />
                      {at ? (
                        <button type="button" className="secondary small" onClick={() => showRawLines(at)}>
                          Show the log lines around it ({at.path.split(/[\\/]/).pop()}:{at.line})
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ) : null
              ]
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
