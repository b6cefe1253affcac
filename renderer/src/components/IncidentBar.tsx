import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import { clock } from '../../../shared/format'
import { selectClosedAt, selectIncidentBusy, selectIncidentError, selectIncidentTitle, selectPlatformKind, useApp } from '../store'
import { ExportDialog } from './ExportDialog'
import { IncidentsDialog } from './IncidentsDialog'

type Dialog = 'incidents' | 'export' | null

/** The header: which incident this is (rename it in place) and what can be done with incidents. */
export function IncidentBar() {
  const kind = useApp(selectPlatformKind)
  const closedAt = useApp(selectClosedAt)
  const busy = useApp(selectIncidentBusy)
  const error = useApp(selectIncidentError)
  const connected = useApp((s) => s.platform !== null)
  const newIncident = useApp((s) => s.newIncident)
  const closeIncident = useApp((s) => s.closeIncident)
  const dismissError = useApp((s) => s.dismissIncidentError)
  const [dialog, setDialog] = useState<Dialog>(null)

  return (
    <>
      <header className="app-header">
        <span className="brand">Triage500</span>
        {kind === 'browser' ? <span className="badge mode">browser mode</span> : null}
        <IncidentTitle />
        {closedAt ? (
          <span className="badge closed" data-testid="incident-closed">
            closed at {clock(closedAt)}
          </span>
        ) : null}
        <nav className="incident-actions" aria-label="Incident">
          <button type="button" className="secondary small" disabled={!connected || busy !== null} onClick={() => void newIncident()}>
            {busy === 'new' ? 'Starting…' : 'New incident'}
          </button>
          <button type="button" className="secondary small" disabled={!connected} aria-haspopup="dialog" onClick={() => setDialog('incidents')}>
            Incidents…
          </button>
          <button type="button" className="secondary small" disabled={!connected || busy !== null || closedAt !== null} onClick={() => void closeIncident()}>
            {closedAt ? 'Closed' : busy === 'close' ? 'Closing…' : 'Close incident'}
          </button>
          <button type="button" className="small" disabled={!connected} aria-haspopup="dialog" onClick={() => setDialog('export')}>
            Export report…
          </button>
        </nav>
      </header>
      {/* Inside a dialog its errors show in the dialog; here only what the header's own actions reported. */}
      {error && dialog === null ? (
        <div className="error-box bar-error" role="alert" data-testid="incident-error">
          <pre>{error}</pre>
          <button type="button" className="icon" aria-label="Dismiss incident error" onClick={dismissError}>
            ×
          </button>
        </div>
      ) : null}
      {dialog === 'incidents' ? (
        <IncidentsDialog
          onClose={() => {
            // What went wrong in the dialog was said there; it does not follow the engineer out.
            dismissError()
            setDialog(null)
          }}
        />
      ) : null}
      {dialog === 'export' ? <ExportDialog onClose={() => setDialog(null)} /> : null}
    </>
  )
}

/** The title is a button: click it (or Enter) to edit in place; Enter or leaving the field saves, Escape cancels. */
function IncidentTitle() {
  const title = useApp(selectIncidentTitle)
  const ready = useApp((s) => s.incident !== null)
  const renameIncident = useApp((s) => s.renameIncident)
  const [draft, setDraft] = useState<string | null>(null)
  // Enter, then the blur of the field going away, must not save twice; Escape must not save at all.
  const settled = useRef(false)
  const hintId = useId()
  const button = useRef<HTMLButtonElement>(null)
  // Back from editing, the keyboard is where it was: on the title.
  useEffect(() => {
    if (draft === null && settled.current) button.current?.focus()
  }, [draft])

  function edit() {
    settled.current = false
    setDraft(title)
  }
  async function save() {
    if (draft === null || settled.current) return
    const next = draft.trim()
    if (next === '' || next === title) {
      settled.current = true
      setDraft(null)
      return
    }
    settled.current = true
    if (await renameIncident(next)) setDraft(null)
    else settled.current = false
  }
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault()
      void save()
    } else if (e.key === 'Escape') {
      e.preventDefault()
      settled.current = true
      setDraft(null)
    }
  }

  if (draft !== null) {
    return (
      <input
        className="title-input"
        type="text"
        aria-label="Incident title"
        value={draft}
        maxLength={200}
        autoFocus
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={() => void save()}
      />
    )
  }
  return (
    <>
      <h1 className="incident-title">
        <button ref={button} type="button" className="title-button" disabled={!ready} title="Rename the incident" aria-describedby={hintId} onClick={edit}>
          <span className="title-text">{title}</span>
          <span className="edit-mark" aria-hidden="true">
            ✎
          </span>
        </button>
      </h1>
      <span id={hintId} className="sr-only">
        Press to rename the incident
      </span>
    </>
  )
}
