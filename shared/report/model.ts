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
  /**
   * What each watched deploy endpoint showed live at its last poll, even when it never changed
   * (then there is no deploy event, but the version is a fact); absent or [] when none is watched.
   */
  liveVersions?: LiveVersion[]
  /** What each central log store's reads cost (bytes moved beside the engine's scan) and what it warned of; absent or [] without stores. */
  storeReads?: StoreRead[]
}

export interface StoreRead {
  /** The source's path (its URL and query), as in the incident's sources. */
  path: string
  kind: string
  bytesMoved: number
  scannedBytes: number | null
  warnings: string[]
}

export interface LiveVersion {
  /** The deploy endpoint's name. */
  target: string
  version: string
  /** ISO-8601: when it went live, when the endpoint says. */
  since: string | null
  /** ISO-8601: the last poll that saw it. */
  lastPollAt: string | null
}

export type ReportFormat = 'markdown' | 'html' | 'json'

export interface ReportOptions {
  /** Replace secrets and personal data by `[REDACTED:kind]` (the default everywhere). */
  redact: boolean
}

export const UNREDACTED_WARNING = 'Contains unredacted secrets — internal use only'
