import { z } from 'zod'
import { FieldMapSchema, FormatId, PLAYBOOKS } from './analysis'
import { StoreSourceSpec } from './schemas'

export const STEP_STATUSES = ['todo', 'auto-checked', 'checked', 'skipped'] as const
export type StepStatus = (typeof STEP_STATUSES)[number]

/** What the engineer did with one runbook step. Keyed `playbook:stepId` in IncidentState.steps. */
export const StepState = z.object({
  status: z.enum(STEP_STATUSES),
  note: z.string().max(20_000),
  updatedAt: z.string()
})
export type StepState = z.infer<typeof StepState>

export const Entry = z.object({ at: z.string(), text: z.string().max(20_000) })

/** incident.json: the incident's metadata, sources and runbook state (the journal holds its history). */
export const IncidentState = z.object({
  schema: z.literal('triage500.incident/v1'),
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** Log files by path (never copied, except files dropped in browser mode). */
  sources: z.array(
    z.object({
      path: z.string(),
      addedAt: z.string(),
      sizeBytes: z.number(),
      mtimeMs: z.number(),
      /** The format the engineer chose for it, when not detected. */
      format: FormatId.optional(),
      /** Fields the engineer mapped by hand (`status` ← `response_code`); inference fills the rest. */
      fieldMap: FieldMapSchema.optional(),
      /** A central log store instead of a file (`path` is then its URL and query): its credential by reference only. */
      store: StoreSourceSpec.optional()
    })
  ),
  targets: z.array(
    z.object({
      kind: z.enum(['health', 'deploy']),
      name: z.string(),
      url: z.string(),
      intervalMs: z.number().optional(),
      /** Header names only: values (tokens) are never written to disk. */
      headerNames: z.array(z.string())
    })
  ),
  /** The playbook the engineer switched to; null follows the verdict. */
  chosenPlaybook: z.enum(PLAYBOOKS).nullable(),
  steps: z.record(z.string(), StepState),
  notes: z.array(Entry),
  decisions: z.array(Entry)
})
export type IncidentState = z.infer<typeof IncidentState>

export const DEFAULT_INCIDENT_TITLE = 'Untitled incident'

/** An incident with nothing in it yet; with no arguments, the stand-in before any incident is read. */
export function emptyIncident(id = '', title = '', createdAt = ''): IncidentState {
  return {
    schema: 'triage500.incident/v1',
    id,
    title,
    createdAt,
    closedAt: null,
    sources: [],
    targets: [],
    chosenPlaybook: null,
    steps: {},
    notes: [],
    decisions: []
  }
}

export const JOURNAL_KINDS = ['incident', 'detection', 'source', 'deploy', 'health', 'verdict', 'step', 'note', 'decision'] as const

/** One line of journal.jsonl: the incident's timeline. */
export const JournalEntry = z.object({
  at: z.string(),
  kind: z.enum(JOURNAL_KINDS),
  text: z.string(),
  data: z.record(z.string(), z.unknown()).optional()
})
export type JournalEntry = z.infer<typeof JournalEntry>

export const IncidentSummary = z.object({
  id: z.string(),
  title: z.string(),
  createdAt: z.string(),
  closedAt: z.string().nullable(),
  /** Problems found opening it (a corrupt file, a moved log), in words. */
  problems: z.array(z.string()),
  /** The last verdict its journal recorded; null before any. */
  verdict: z.enum(PLAYBOOKS).nullable(),
  /** The paths of its log files. */
  sources: z.array(z.string()),
  /** When it last changed on disk (a save or a journal entry); null when unknown. */
  lastActivityAt: z.string().nullable(),
  /** True for the incident the app opens on its next start (the last one opened or created). */
  lastUsed: z.boolean()
})
export type IncidentSummary = z.infer<typeof IncidentSummary>

export const UpdateStepRequest = z.object({
  playbook: z.enum(PLAYBOOKS),
  stepId: z.string().min(1).max(100),
  status: z.enum(STEP_STATUSES),
  note: z.string().max(20_000).optional()
})
export type UpdateStepRequest = z.infer<typeof UpdateStepRequest>

export const TextRequest = z.object({ text: z.string().trim().min(1, 'is empty').max(20_000) })
export const ChoosePlaybookRequest = z.object({ playbook: z.enum(PLAYBOOKS).nullable() })
export const RenameRequest = z.object({ title: z.string().trim().min(1, 'is empty').max(200) })
export const ExportRequest = z.object({
  format: z.enum(['markdown', 'html', 'json']),
  /** Secrets are redacted unless this is explicitly false (internal use; the report says so). */
  redact: z.boolean().default(true)
})
export const ExportResponse = z.object({ fileName: z.string(), mimeType: z.string(), content: z.string() })
export type ExportResponse = z.infer<typeof ExportResponse>
export type ExportRequest = z.infer<typeof ExportRequest>
export type TextRequest = z.infer<typeof TextRequest>
export type ChoosePlaybookRequest = z.infer<typeof ChoosePlaybookRequest>
export type RenameRequest = z.infer<typeof RenameRequest>
