/**
 * Journal entries in the shape the store can rebuild an incident from (see rebuild.ts) and the
 * report renders as the timeline. `at` is when the thing happened (a deploy's own time), so
 * the file is in write order and readers sort by `at`.
 */
import type { JournalEntry, StepState } from '../../../shared/contract/incident'
import type { Playbook } from '../../../shared/contract/analysis'
import type { IncidentState } from '../../../shared/contract/incident'
import { iso, percent } from '../../../shared/format'

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

/** A runbook step's new state; `data.key` is its key in IncidentState.steps. */
export function stepEntry(playbook: Playbook, stepId: string, state: StepState, stepTitle = stepId): JournalEntry {
  const text = `Step "${stepTitle}" (${playbook}) ${state.status === 'todo' ? 'reopened' : `marked ${state.status}`}${state.note ? `: ${state.note}` : ''}`
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
    text: `Verdict: ${playbook} (confidence ${percent(confidence)})${previous ? `, was ${previous}` : ''}`,
    data: { playbook, confidence, previous }
  }
}

/** The 5xx onset the analysis found (a change point in the 5xx rate). */
export function detectionEntry(onset: number, errorRate: number, baselineRate: number): JournalEntry {
  return {
    at: iso(onset),
    kind: 'detection',
    text: `5xx rate rose to ${percent(errorRate)} (baseline ${percent(baselineRate)})`,
    data: { errorRate, baselineRate }
  }
}
