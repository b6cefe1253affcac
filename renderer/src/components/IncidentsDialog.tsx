import { useEffect, useRef, useState } from 'react'
import type { IncidentSummary } from '../../../shared/contract'
import { clock } from '../../../shared/format'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'
import { selectIncidentBusy, selectIncidentError, selectIncidentId, selectIncidentList, useApp } from '../store'
import { Modal } from './Modal'

/** The incidents stored on this machine: open one, or delete one for good (after saying so twice). */
export function IncidentsDialog({ onClose }: { onClose(): void }) {
  const list = useApp(selectIncidentList)
  const currentId = useApp(selectIncidentId)
  const busy = useApp(selectIncidentBusy)
  const error = useApp(selectIncidentError)
  const listIncidents = useApp((s) => s.listIncidents)
  const dismissError = useApp((s) => s.dismissIncidentError)
  const listRef = useRef<HTMLUListElement>(null)
  useEffect(() => {
    void listIncidents()
  }, [listIncidents])
  // A deleted row takes the focused button with it: keep the keyboard in the list, not on <body>
  // (once the action is over and the buttons are enabled again).
  useEffect(() => {
    if (document.activeElement === document.body) listRef.current?.querySelector<HTMLElement>('button:not([disabled])')?.focus()
  }, [list, busy])

  return (
    <Modal title="Incidents" onClose={onClose} className="incidents-dialog">
      {error ? (
        <div className="error-box" role="alert" data-testid="incidents-error">
          <pre>{error}</pre>
          <button type="button" className="icon" aria-label="Dismiss incident error" onClick={dismissError}>
            ×
          </button>
        </div>
      ) : null}
      {list === null ? (
        <p className="empty">{busy === 'list' ? 'Reading the stored incidents…' : 'The stored incidents could not be listed.'}</p>
      ) : list.length === 0 ? (
        <p className="empty">No incidents are stored yet.</p>
      ) : (
        <ul ref={listRef} className="incident-list" aria-label="Stored incidents">
          {list.map((item) => (
            <IncidentRow key={item.id} item={item} isOpen={item.id === currentId} onOpened={onClose} />
          ))}
        </ul>
      )}
    </Modal>
  )
}

const fileName = (p: string): string => p.split(/[\\/]/).pop() || p

function IncidentRow({ item, isOpen, onOpened }: { item: IncidentSummary; isOpen: boolean; onOpened(): void }) {
  const busy = useApp(selectIncidentBusy)
  const openIncident = useApp((s) => s.openIncident)
  const deleteIncident = useApp((s) => s.deleteIncident)
  const [confirming, setConfirming] = useState(false)
  const name = `“${item.title}”`

  async function open() {
    if (await openIncident(item.id)) onOpened()
  }
  async function confirmDelete() {
    // On success the row leaves the list; on failure the reason shows above it.
    if (!(await deleteIncident(item.id))) setConfirming(false)
  }
  function askDelete() {
    // The open incident is refused at once, in words: no confirmation for something that cannot happen.
    if (isOpen) void deleteIncident(item.id)
    else setConfirming(true)
  }

  return (
    <li className={`incident-item${isOpen ? ' current' : ''}`} data-testid="incident-item">
      <div className="incident-item-head">
        <span className="incident-item-title">{item.title}</span>
        {isOpen ? <span className="badge current">open now</span> : null}
        {item.closedAt ? <span className="badge closed">closed {clock(item.closedAt, { date: true, seconds: false })}</span> : null}
      </div>
      <div className="incident-item-verdict" data-testid="incident-verdict">
        {item.verdict ? `Verdict: ${PLAYBOOK_TITLES[item.verdict]}` : 'No verdict yet'}
      </div>
      <div className="hint incident-item-sources">
        {item.sources.length === 0 ? 'No logs' : `Logs: ${item.sources.slice(0, 3).map(fileName).join(', ')}${item.sources.length > 3 ? ` and ${item.sources.length - 3} more` : ''}`}
      </div>
      <div className="hint">
        <span>created {clock(item.createdAt, { date: true, seconds: false })}</span>
        {item.lastActivityAt ? <span> · last activity {clock(item.lastActivityAt, { date: true, seconds: false })}</span> : null}
        {item.lastUsed && !isOpen ? <span> · reopens on start</span> : null}
      </div>
      {item.problems.length > 0 ? (
        <ul className="problems" aria-label={`Problems with ${name}`}>
          {item.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
      {confirming ? (
        <div className="row confirm-delete" role="group" aria-label={`Confirm deleting ${name}`}>
          <span>Delete {name} and its journal for good? This cannot be undone.</span>
          <button type="button" className="danger small" disabled={busy !== null} onClick={() => void confirmDelete()}>
            Delete for good
          </button>
          <button type="button" className="secondary small" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <div className="row">
          <button type="button" className="small" disabled={isOpen || busy !== null} onClick={() => void open()} aria-label={`Open ${name}`}>
            Open
          </button>
          <button type="button" className="secondary small" disabled={busy !== null} onClick={askDelete} aria-label={`Delete ${name}`}>
            Delete
          </button>
        </div>
      )}
    </li>
  )
}
