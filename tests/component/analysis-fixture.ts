// Loaded as text (Vite ?raw) and parsed with the contract's schema.
import raw from '../fixtures/runbook/rollback-analysis.json?raw'
import { AnalysisSnapshot, type IncidentState } from '../../shared/contract'

/** The rollback scenario of tests/fixtures/runbook, checked against the contract so it cannot drift. */
export function rollbackAnalysis(): AnalysisSnapshot {
  return AnalysisSnapshot.parse(JSON.parse(raw))
}

export function newIncident(over: Partial<IncidentState> = {}): IncidentState {
  return {
    schema: 'triage500.incident/v1',
    id: 'inc-1',
    title: 'Checkout 500s',
    createdAt: '2026-03-14T14:05:00Z',
    closedAt: null,
    sources: [],
    targets: [],
    chosenPlaybook: null,
    steps: {},
    notes: [],
    decisions: [],
    ...over
  }
}
