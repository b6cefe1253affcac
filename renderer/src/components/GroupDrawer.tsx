import { useMemo } from 'react'
import type { AnalysisSnapshot, ErrorGroupJson, GroupDetail } from '../../../shared/contract/analysis'
import { clock, count, plural } from '../../../shared/format'
import { causeChain } from '../../../shared/runbook'
import { selectAnalysis, selectWindowSpansDays, useApp } from '../store'
import { StackTrace } from './StackTrace'

const SPARK_W = 240
const SPARK_H = 36

/** Events per timeline bucket as bars: the shape of the group over the window, scaled to its busiest bucket. */
function Sparkline({ buckets, label }: { buckets: number[]; label: string }) {
  const max = Math.max(0, ...buckets)
  if (buckets.length === 0 || max === 0) return <p className="hint">No dated events to draw.</p>
  const w = SPARK_W / buckets.length
  return (
    <svg className="sparkline" viewBox={`0 0 ${SPARK_W} ${SPARK_H}`} width={SPARK_W} height={SPARK_H} role="img" aria-label={label} preserveAspectRatio="none">
      {buckets.map((n, i) =>
        n > 0 ? <rect key={i} x={i * w} y={SPARK_H - Math.max(1, (n / max) * SPARK_H)} width={Math.max(1, w - 0.5)} height={Math.max(1, (n / max) * SPARK_H)} /> : null
      )}
    </svg>
  )
}

function Ranked({ title, items, empty }: { title: string; items: { name: string; count: number }[]; empty: string }) {
  return (
    <div className="drawer-list">
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <ul>
          {items.slice(0, 8).map((i) => (
            <li key={i.name}>
              <code>{i.name}</code> <span className="hint">{count(i.count)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** The deploy the group is new since: the last deploy at or before its first event. */
function deployBefore(deploys: AnalysisSnapshot['deploys'] | undefined, firstSeen: string | null): AnalysisSnapshot['deploys'][number] | null {
  if (!deploys || !firstSeen) return null
  const at = Date.parse(firstSeen)
  return deploys.filter((d) => d.at <= at).at(-1) ?? null
}

/**
 * One error group in depth, as Sentry's issue page shows it: how often and when, where (routes,
 * instances, versions live then), the whole exception chain and a sample with the service's own
 * frames highlighted. Long lines wrap; the trace scrolls inside itself, never the page.
 */
export function GroupDrawer({ group, title, sample }: { group: ErrorGroupJson; title: string; sample: string }) {
  const analysis = useApp(selectAnalysis)
  const withDate = useApp(selectWindowSpansDays)
  const detail: GroupDetail | undefined = analysis?.groupDetails?.[group.id]
  const chain = useMemo(() => causeChain(sample), [sample])
  const since = group.newSinceDeploy ? deployBefore(analysis?.deploys, group.firstSeen) : null
  return (
    <div className="group-drawer" data-testid="group-drawer" aria-label={`Details of ${title}`} role="region">
      <div className="drawer-head">
        <dl className="drawer-facts">
          <div>
            <dt>Events</dt>
            <dd>{count(group.count)}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd>{clock(group.firstSeen, { date: withDate })}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd>{clock(group.lastSeen, { date: withDate })}</dd>
          </div>
        </dl>
        {group.newSinceDeploy ? (
          <p className="badge new" data-testid="new-since-deploy">
            new since {since ? `the deploy of ${since.version} at ${clock(since.at, { date: withDate })}` : 'the last deploy'}
          </p>
        ) : null}
        {detail ? <Sparkline buckets={detail.buckets} label={`${plural(group.count, 'event')} over the timeline window, busiest bucket ${count(Math.max(0, ...detail.buckets))}`} /> : null}
      </div>
      <div className="drawer-lists">
        <div className="drawer-list">
          <h4>Routes</h4>
          {group.endpoints.length === 0 ? (
            <p className="hint">No request named in its events.</p>
          ) : (
            <ul className="endpoints">
              {group.endpoints.slice(0, 8).map((route) => (
                <li key={route}>
                  <code>{route}</code>
                </li>
              ))}
            </ul>
          )}
        </div>
        <Ranked title="Instances" items={detail?.instances ?? []} empty="The logs do not name an instance." />
        <Ranked title="Versions live then" items={detail?.versions ?? []} empty="No deploy history to date it against." />
      </div>
      {chain.length > 1 ? (
        <div className="cause-chain">
          <h4>Exception chain (root cause last)</h4>
          <ol>
            {chain.map((c, i) => (
              <li key={i}>{c}</li>
            ))}
          </ol>
        </div>
      ) : null}
      <h4>Sample event</h4>
      <StackTrace text={sample} label={`Sample of ${title}`} />
    </div>
  )
}
