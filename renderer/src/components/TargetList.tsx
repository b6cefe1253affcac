import { selectTargets, useApp } from '../store'
import type { TargetInfo } from '../../../shared/contract'
import { clock, duration } from '../../../shared/format'

function stateText(t: TargetInfo): string {
  if (t.lastPollAt === null) return 'first poll…'
  if (t.kind === 'deploy') return t.version ? `live: ${t.version}${t.since ? ` since ${clock(t.since, { date: true, seconds: false })}` : ''}` : 'no version read'
  if (t.ok) return `healthy · ${t.latencyMs === null ? '?' : duration(t.latencyMs)}`
  return `failing${t.status ? ` · HTTP ${t.status}` : ''}`
}

export function TargetList() {
  const targets = useApp(selectTargets)
  const removeTarget = useApp((s) => s.removeTarget)
  if (targets.length === 0) return null
  return (
    <ul className="source-list" aria-label="Polled endpoints">
      {targets.map((t) => (
        <li key={t.id} className={`source target ${t.ok === false ? 'failing' : ''}`} data-testid="target">
          <div className="source-head">
            <span className="source-name" title={t.url}>
              <span className={`dot ${t.ok === null ? 'unknown' : t.ok ? 'ok' : 'bad'}`} aria-hidden="true" /> {t.name}
            </span>
            <button type="button" className="icon" aria-label={`Stop polling ${t.name}`} onClick={() => void removeTarget(t.id)}>
              ×
            </button>
          </div>
          <div className="source-meta">
            {t.kind} · <span data-testid="target-state">{stateText(t)}</span>
          </div>
          {t.components.length > 0 ? (
            <div className="source-meta">
              {t.components.map((c) => (
                <span key={c.name} className={c.ok ? 'component ok' : 'component bad'}>
                  {c.name}: {c.status}{' '}
                </span>
              ))}
            </div>
          ) : null}
          {t.lastError ? <p className="source-error">{t.lastError}</p> : null}
        </li>
      ))}
    </ul>
  )
}
