import { useId, useState, type FormEvent } from 'react'
import { clock } from '../../../shared/format'
import { selectDecisions, selectIncident, selectJournal, selectNotes, useApp } from '../store'

/** The journal can hold thousands of deploy and health lines; the screen shows the latest, the report has them all. */
const JOURNAL_SHOWN = 200

/** Decisions taken and notes, in the incident's journal through TriageApi. */
export function IncidentJournal({ decisionDraft, onDecisionDraft }: { decisionDraft: string; onDecisionDraft(text: string): void }) {
  const decisions = useApp(selectDecisions)
  const notes = useApp(selectNotes)
  const ready = useApp((s) => selectIncident(s) !== null)
  const addDecision = useApp((s) => s.addDecision)
  const addNote = useApp((s) => s.addNote)
  const [note, setNote] = useState('')
  const decisionId = useId()
  const noteId = useId()

  async function submitDecision(e: FormEvent) {
    e.preventDefault()
    if (decisionDraft.trim() && (await addDecision(decisionDraft.trim()))) onDecisionDraft('')
  }
  async function submitNote(e: FormEvent) {
    e.preventDefault()
    if (note.trim() && (await addNote(note.trim()))) setNote('')
  }

  return (
    <div className="journal">
      <h3 className="subhead">Decisions and notes</h3>
      <form className="row" onSubmit={submitDecision}>
        <label htmlFor={decisionId} className="sr-only">
          Decision taken
        </label>
        <input id={decisionId} type="text" placeholder="Decision taken, e.g. rolled back to v2.13.2 at 14:02" value={decisionDraft} onChange={(e) => onDecisionDraft(e.target.value)} />
        <button type="submit" disabled={!ready || !decisionDraft.trim()}>
          Record decision
        </button>
      </form>
      <form className="row" onSubmit={submitNote}>
        <label htmlFor={noteId} className="sr-only">
          Incident note
        </label>
        <input id={noteId} type="text" placeholder="Note for the incident" value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="submit" className="secondary" disabled={!ready || !note.trim()}>
          Add note
        </button>
      </form>
      {(decisions?.length ?? 0) + (notes?.length ?? 0) > 0 ? (
        <ul className="journal-list" aria-label="Decisions and notes">
          {[...(decisions ?? []).map((d) => ({ ...d, kind: 'decision' as const })), ...(notes ?? []).map((n) => ({ ...n, kind: 'note' as const }))]
            .sort((a, b) => a.at.localeCompare(b.at))
            .map((e, i) => (
              <li key={`${e.kind}:${e.at}:${i}`} className={e.kind}>
                <span className="when">{clock(e.at)}</span> <span className="kind">{e.kind}</span> {e.text}
              </li>
            ))}
        </ul>
      ) : null}
      <JournalTimeline />
    </div>
  )
}

/** Everything the incident's journal recorded, newest first, folded away until asked for. */
function JournalTimeline() {
  const journal = useApp(selectJournal)
  if (journal.length === 0) return null
  const latest = [...journal].sort((a, b) => b.at.localeCompare(a.at)).slice(0, JOURNAL_SHOWN)
  return (
    <details className="journal-timeline">
      <summary>
        Incident journal ({journal.length} {journal.length === 1 ? 'entry' : 'entries'}
        {journal.length > JOURNAL_SHOWN ? `, latest ${JOURNAL_SHOWN} shown` : ''})
      </summary>
      <ul className="journal-list" aria-label="Incident journal">
        {latest.map((e, i) => (
          <li key={`${e.at}:${i}`} className={e.kind}>
            <span className="when">{clock(e.at)}</span> <span className="kind">{e.kind}</span> {e.text}
          </li>
        ))}
      </ul>
    </details>
  )
}
