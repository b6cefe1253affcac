import type { IncidentState, JournalEntry, SourceInfo, TargetInfo } from '../../shared/contract'
import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import type { ExportResponse } from '../../shared/contract/incident'
import type { Runbook } from '../../shared/contract/runbook'
import { renderReport, reportFile, type ReportFormat, type ReportModel, type ReportRunbook } from '../../shared/report'

export interface ExportInput {
  incident: IncidentState
  analysis: AnalysisSnapshot | null
  /** The session's runbook (`getRunbook`): the one the screen shows. */
  runbook: Runbook
  journal: JournalEntry[]
  /** The watched endpoints as the session shows them: a deploy endpoint's live version goes in the report. */
  targets?: TargetInfo[]
  /** The sources' cards: a store's bytes moved and scanned go in the report. */
  sources?: SourceInfo[]
  format: ReportFormat
  redact: boolean
  now?: Date
}

/** The runbook as the report shows it: each step's status, filled evidence and note; none before any analysis. */
export function reportRunbook(analysis: AnalysisSnapshot | null, rb: Runbook): ReportRunbook | null {
  if (!analysis) return null
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
    runbook: reportRunbook(input.analysis, input.runbook),
    generatedAt: (input.now ?? new Date()).toISOString(),
    liveVersions: (input.targets ?? []).flatMap((t) => (t.kind === 'deploy' && t.version !== null ? [{ target: t.name, version: t.version, since: t.since, lastPollAt: t.lastPollAt }] : [])),
    storeReads: (input.sources ?? []).flatMap((s) =>
      s.store ? [{ path: s.path, kind: s.store.kind, bytesMoved: s.store.bytesMoved, scannedBytes: s.store.scannedBytes, warnings: [...s.store.warnings] }] : []
    )
  }
}

/** The incident report as a file: name, type and content (redacted unless asked otherwise). */
export function exportIncidentReport(input: ExportInput): ExportResponse {
  const model = reportModel(input)
  const opts = { redact: input.redact }
  return { ...reportFile(model, input.format, opts), content: renderReport(model, input.format, opts) }
}
