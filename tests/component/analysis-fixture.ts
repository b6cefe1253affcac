// Loaded as text (Vite ?raw) and parsed with the contract's schema.
import raw from '../fixtures/runbook/rollback-analysis.json?raw'
import { AnalysisSnapshot, emptyIncident, type IncidentState } from '../../shared/contract'

/** The rollback scenario of tests/fixtures/runbook, checked against the contract so it cannot drift. */
export function rollbackAnalysis(): AnalysisSnapshot {
  return AnalysisSnapshot.parse(JSON.parse(raw))
}

export function newIncident(over: Partial<IncidentState> = {}): IncidentState {
  return { ...emptyIncident('inc-1', 'Checkout 500s', '2026-03-14T14:05:00Z'), ...over }
}
