import { selectProgress, selectSources, useApp } from '../store'
import { bytes as formatBytes, count as formatCount, plural, storeCost } from '../../../shared/format'
import { MAX_LINE_BYTES } from '../../../shared/model/line-cap'
import type { StoreSourceInfo } from '../../../shared/contract'
import { FieldMapEditor } from './FieldMapEditor'

const STORE_HEALTH: Record<StoreSourceInfo['health'], string> = {
  reading: 'store: reading…',
  ok: 'store ok',
  slow: 'store slow (backing off)',
  unreachable: 'store unreachable',
  error: 'store error'
}

/** A store's health and what its reads cost: bytes that crossed the wire beside what the engine scanned for them. */
function StoreLine({ store }: { store: StoreSourceInfo }) {
  return (
    <>
      <div className="source-meta" data-testid="source-store">
        <span className={`store-health health-${store.health}`} data-testid="source-store-health">
          {STORE_HEALTH[store.health]}
        </span>
        {' · '}
        <span data-testid="source-store-bytes">
          {storeCost(store.bytesMoved, store.scannedBytes)}
        </span>
      </div>
      {store.warnings.map((w) => (
        <div key={w} className="source-meta note" data-testid="source-store-warning">
          {w}
        </div>
      ))}
    </>
  )
}

/** A follower keeping up is a batch or two behind at any moment: "behind" is said from this much on. */
const BEHIND_SHOWN_BYTES = 1 << 20

export function SourceList() {
  const sources = useApp(selectSources)
  const progress = useApp(selectProgress)
  const removeSource = useApp((s) => s.removeSource)
  const pauseSource = useApp((s) => s.pauseSource)
  const setSourceFormat = useApp((s) => s.setSourceFormat)
  const formats = useApp((s) => s.formats)
  if (sources.length === 0) return <p className="empty">No sources yet.</p>
  return (
    <ul className="source-list" aria-label="Sources">
      {sources.map((s) => {
        const p = progress[s.id]
        const done = s.state === 'reading' ? (p?.bytesDone ?? s.bytesDone) : s.sizeBytes
        return (
          <li key={s.id} className={`source state-${s.state}`} data-testid="source" data-source-path={s.path}>
            <div className="source-head">
              <span className="source-name" title={s.path}>
                {s.name}
              </span>
              <span className="source-actions">
                {s.state === 'tailing' || s.state === 'paused' ? (
                  <button
                    type="button"
                    className="icon"
                    aria-label={`${s.state === 'paused' ? 'Resume following' : 'Pause following'} ${s.name}`}
                    title={s.state === 'paused' ? 'Resume following' : 'Pause following'}
                    onClick={() => void pauseSource(s.id, s.state !== 'paused')}
                  >
                    {/* Inline SVG, not ⏸/▶: Linux fonts often lack those glyphs and draw an empty box. */}
                    <svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false" fill="currentColor">
                      {s.state === 'paused' ? <path d="M3 1.5v9l7.5-4.5z" /> : <path d="M2.5 1.5h2.5v9H2.5zM7 1.5h2.5v9H7z" />}
                    </svg>
                  </button>
                ) : null}
                <button type="button" className="icon" aria-label={`Remove ${s.name}`} onClick={() => void removeSource(s.id)}>
                  ×
                </button>
              </span>
            </div>
            <div className="source-meta">
              <span data-testid="source-size">{formatBytes(s.sizeBytes)}</span>
              {' · '}
              <span data-testid="source-lines">
                {s.state === 'reading' ? `reading…${p && p.linesPerSec > 0 ? ` ${formatCount(p.linesPerSec)} lines/s` : ''}` : `${formatCount(s.lines)} lines`}
              </span>
              {s.state !== 'reading' && s.events > 0 ? (
                <span data-testid="source-events">
                  {' · '}
                  {formatCount(s.events)} {s.events === 1 ? 'event' : 'events'}
                  {s.eventLines > s.events ? ` over ${formatCount(s.eventLines)} lines` : ''}
                </span>
              ) : null}
              {s.directiveLines > 0 ? <span data-testid="source-directives"> · {formatCount(s.directiveLines)} header lines</span> : null}
              {' · '}
              <select
                className="format-select"
                aria-label={`Format of ${s.name}`}
                value={s.formatForced && s.format ? s.format : ''}
                disabled={s.state === 'reading'}
                onChange={(e) => void setSourceFormat(s.id, e.target.value === '' ? null : e.target.value)}
              >
                <option value="">{s.format && !s.formatForced ? `${s.format} (detected)` : 'detect format'}</option>
                {formats.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.title}
                  </option>
                ))}
              </select>
              {s.unparsed > 0 ? <span data-testid="source-unparsed"> · {formatCount(s.unparsed)} unparsed</span> : null}
              {s.longLines > 0 ? (
                <span data-testid="source-long-lines" title="Only the start of such a line is read: what matters in a log line comes first, and one huge line must not stall the reading">
                  {' · '}
                  {plural(s.longLines, 'line')} over {formatBytes(MAX_LINE_BYTES)}, cut
                </span>
              ) : null}
              {s.state === 'tailing' ? <span> · following{s.linesPerSec > 0 ? ` (${formatCount(s.linesPerSec)} lines/s)` : ''}</span> : null}
              {s.state === 'paused' ? <span data-testid="source-paused"> · paused</span> : null}
              {s.behindBytes >= BEHIND_SHOWN_BYTES && s.state === 'tailing' ? (
                <span data-testid="source-behind" className="behind" title="Written to the file but not read yet: the writer is faster than this session">
                  {' · '}behind by {formatBytes(s.behindBytes)}
                </span>
              ) : null}
            </div>
            {s.unread ? (
              <p className="source-unread" role="status" data-testid="source-unread">
                Unread: {s.unread}. Pick its format above, or correct a field.
              </p>
            ) : null}
            {s.store ? <StoreLine store={s.store} /> : null}
            <FieldMapEditor source={s} />
            {s.lastEventAt ? <div className="source-meta">last event {s.lastEventAt.replace('T', ' ').slice(0, 19)} UTC</div> : null}
            {s.note ? <div className="source-meta note">{s.note}</div> : null}
            {s.state === 'reading' ? (
              <progress max={Math.max(s.sizeBytes, 1)} value={done} aria-label={`Reading ${s.name}`} />
            ) : null}
            {s.error ? (
              <p className="source-error" role="alert">
                {s.error}
              </p>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}
