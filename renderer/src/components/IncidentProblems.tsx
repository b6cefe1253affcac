import { useState } from 'react'
import type { JournalEntry } from '../../../shared/contract'
import { clock } from '../../../shared/format'
import { selectJournal, useApp } from '../store'

const REOPENED_WITH_PROBLEMS = 'Reopened with problems'

/** The last time this incident was reopened with problems (moved or changed logs, damaged files), if it was. */
export function lastReopenProblems(journal: JournalEntry[]): { at: string; problems: string[] } | null {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]
    if (entry.kind !== 'incident' || !entry.text.startsWith(REOPENED_WITH_PROBLEMS)) continue
    const listed = entry.data?.problems
    const problems = Array.isArray(listed) && listed.every((p) => typeof p === 'string') ? (listed as string[]) : [entry.text.replace(/^Reopened with problems:\s*/, '')]
    return { at: entry.at, problems }
  }
  return null
}

/** Says what reopening the incident found wrong, so nobody trusts a verdict built on a moved log. */
export function IncidentProblems() {
  const journal = useApp(selectJournal)
  const [dismissedAt, setDismissedAt] = useState<string | null>(null)
  const found = lastReopenProblems(journal)
  if (!found || found.at === dismissedAt) return null
  return (
    <div className="incident-problems" role="alert" data-testid="incident-problems">
      <div>
        <strong>Reopened with problems</strong> ({clock(found.at)}): the evidence may be incomplete.
        <ul>
          {found.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      </div>
      <button type="button" className="icon" aria-label="Dismiss the reopening problems" onClick={() => setDismissedAt(found.at)}>
        ×
      </button>
    </div>
  )
}
