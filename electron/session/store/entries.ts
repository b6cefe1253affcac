/**
 * Journal entries in the shape the store can rebuild an incident from (see rebuild.ts) and the
 * report renders as the timeline. `at` is when the thing happened (a deploy's own time), so
 * the file is in write order and readers sort by `at`.
 */
import type { JournalEntry, StepState } from '../../../shared/contract/incident'
import { PLAYBOOKS, type Playbook } from '../../../shared/contract/analysis'
import { z } from 'zod'
import type { IncidentState } from '../../../shared/contract/incident'
import { iso, percent } from '../../../shared/format'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'

export type IncidentAction = 'created' | 'renamed' | 'closed' | 'reopened'
type SourceRecord = IncidentState['sources'][number]

const nowIso = (): string => new Date().toISOString()

const INCIDENT_TEXT: Record<IncidentAction, (title: string) => string> = {
  created: (t) => `Incident opened: ${t}`,
  renamed: (t) => `Incident renamed to: ${t}`,
  closed: (t) => `Incident closed: ${t}`,
  reopened: (t) => `Incident reopened: ${t}`
}

/** Lifecycle of the incident itself; `data.title` lets a lost incident.json get its title back. */
export function incidentEntry(action: IncidentAction, title: string, at = nowIso()): JournalEntry {
  return { at, kind: 'incident', text: INCIDENT_TEXT[action](title), data: { action, title } }
}

export const noteEntry = (text: string, at = nowIso()): JournalEntry => ({ at, kind: 'note', text })

export const decisionEntry = (text: string, at = nowIso()): JournalEntry => ({ at, kind: 'decision', text })

/**
 * A runbook step's new state; `data.key` is its key in IncidentState.steps. The text names the
 * step and playbook by their titles (ids are for the data), and says what changed: a note saved
 * on a step is not the step being reopened.
 */
export function stepEntry(playbook: Playbook, stepId: string, state: StepState, stepTitle = stepId, previous?: StepState): JournalEntry {
  const where = `"${stepTitle}" (${PLAYBOOK_TITLES[playbook]})`
  const statusChanged = previous === undefined ? state.status !== 'todo' : previous.status !== state.status
  const noteText = state.note ? `: ${state.note}` : ''
  const text = statusChanged
    ? `Step ${where} ${state.status === 'todo' ? 'reopened' : `marked ${state.status}`}${noteText}`
    : state.note
      ? `Note on step ${where}${noteText}`
      : `Note on step ${where} cleared`
  return { at: state.updatedAt, kind: 'step', text, data: { key: `${playbook}:${stepId}`, playbook, stepId, status: state.status, note: state.note } }
}

/** A log file added to or removed from the incident. */
export function sourceEntry(action: 'added' | 'removed', source: SourceRecord, at = nowIso()): JournalEntry {
  return {
    at,
    kind: 'source',
    text: `Log ${action}: ${source.path}`,
    data: { action, path: source.path, addedAt: source.addedAt, sizeBytes: source.sizeBytes, mtimeMs: source.mtimeMs }
  }
}

export function deployEntry(deploy: { version: string; at: number; commit: string | null }, seenAt = nowIso()): JournalEntry {
  return {
    at: iso(deploy.at),
    kind: 'deploy',
    text: `Deploy ${deploy.version} went live${deploy.commit ? ` (commit ${deploy.commit.slice(0, 12)})` : ''}`,
    data: { version: deploy.version, commit: deploy.commit, seenAt }
  }
}

/** A health target changing state (failing or recovered), not every poll. */
export function healthEntry(target: string, ok: boolean, detail: string | null, at: number): JournalEntry {
  return {
    at: iso(at),
    kind: 'health',
    text: ok ? `${target} is healthy again` : `${target} is failing${detail ? `: ${detail}` : ''}`,
    data: { target, ok, detail }
  }
}

export function verdictEntry(playbook: Playbook, confidence: number, previous: Playbook | null, at = nowIso()): JournalEntry {
  return {
    at,
    kind: 'verdict',
    text: `Verdict: ${PLAYBOOK_TITLES[playbook]} (confidence ${percent(confidence)})${previous ? `, was: ${PLAYBOOK_TITLES[previous]}` : ''}`,
    data: { playbook, confidence, previous }
  }
}

/** The 5xx onset the analysis found (a change point in the 5xx rate); a rise is claimed only when the numbers show one. */
export function detectionEntry(onset: number, errorRate: number, baselineRate: number): JournalEntry {
  const rose = errorRate > baselineRate && percent(errorRate) !== percent(baselineRate)
  return {
    at: iso(onset),
    kind: 'detection',
    text: rose ? `5xx rate rose to ${percent(errorRate)} (baseline ${percent(baselineRate)})` : 'The 5xx errors began',
    data: { errorRate, baselineRate }
  }
}

/** The engineer choosing which playbook's runbook to follow, in its title. */
export function playbookChoiceEntry(playbook: Playbook | null, at = nowIso()): JournalEntry {
  const text = playbook ? `Engineer switched the runbook to: ${PLAYBOOK_TITLES[playbook]}` : 'Engineer returned the runbook to the verdict'
  return { at, kind: 'verdict', text, data: { chosenPlaybook: playbook } }
}

const PLAYBOOK_ID = z.enum(PLAYBOOKS)

/** The playbook of the journal's last verdict entry (what the incidents list shows); null before any. */
export function lastVerdict(journal: readonly JournalEntry[]): Playbook | null {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]
    if (entry.kind !== 'verdict') continue
    const playbook = PLAYBOOK_ID.safeParse(entry.data?.playbook)
    if (playbook.success) return playbook.data
  }
  return null
}
