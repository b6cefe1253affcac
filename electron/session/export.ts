import type { IncidentState, JournalEntry } from '../../shared/contract'
import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import type { ExportResponse } from '../../shared/contract/incident'
import { renderReport, reportFile, type ReportFormat, type ReportModel, type ReportRunbook } from '../../shared/report'
import { buildRunbook } from '../../shared/runbook'

export interface ExportInput {
  incident: IncidentState
  analysis: AnalysisSnapshot | null
  journal: JournalEntry[]
  format: ReportFormat
  redact: boolean
  now?: Date
}

/** The runbook as the report shows it: each step's status, filled evidence and note. */
export function reportRunbook(analysis: AnalysisSnapshot | null, incident: IncidentState): ReportRunbook | null {
  if (!analysis) return null
  const rb = buildRunbook(analysis, incident)
  return {
    playbook: rb.playbook,
    title: rb.title,
    steps: rb.steps.map((s) => ({ id: s.id, title: s.title, status: s.status, evidence: s.detail ? [...s.evidence, s.detail.text] : s.evidence, note: s.note }))
  }
}

export function reportModel(input: Omit<ExportInput, 'format' | 'redact'>): ReportModel {
  return {
    incident: input.incident,
    analysis: input.analysis,
    journal: input.journal,
    runbook: reportRunbook(input.analysis, input.incident),
    generatedAt: (input.now ?? new Date()).toISOString()
  }
}

/** The incident report as a file: name, type and content (redacted unless asked otherwise). */
export function exportIncidentReport(input: ExportInput): ExportResponse {
  const model = reportModel(input)
  const opts = { redact: input.redact }
  return { ...reportFile(model, input.format, opts), content: renderReport(model, input.format, opts) }
}
