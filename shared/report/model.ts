/**
 * What an incident report is made of. The runbook part is a plain copy of the filled-in
 * steps (shared/runbook builds it), so the report does not depend on the runbook code.
 */
import type { AnalysisSnapshot, Playbook } from '../contract/analysis'
import type { IncidentState, JournalEntry, StepStatus } from '../contract/incident'

export interface ReportRunbookStep {
  id: string
  title: string
  status: StepStatus
  /** The step's evidence as filled-in text. */
  evidence: string[]
  note: string
}

export interface ReportRunbook {
  playbook: Playbook
  title: string
  steps: ReportRunbookStep[]
}

export interface ReportModel {
  incident: IncidentState
  analysis: AnalysisSnapshot | null
  journal: JournalEntry[]
  runbook: ReportRunbook | null
  /** ISO-8601. */
  generatedAt: string
}

export type ReportFormat = 'markdown' | 'html' | 'json'

export interface ReportOptions {
  /** Replace secrets and personal data by `[REDACTED:kind]` (the default everywhere). */
  redact: boolean
}

export const UNREDACTED_WARNING = 'Contains unredacted secrets — internal use only'
