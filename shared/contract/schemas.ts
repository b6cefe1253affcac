import { z } from 'zod'
import { FieldMapSchema, FormatId } from './analysis'
import { FORMAT_FAMILIES } from '../model/evidence'

export const FormatInfo = z.object({ id: FormatId, title: z.string(), family: z.enum(FORMAT_FAMILIES) })
export type FormatInfo = z.infer<typeof FormatInfo>

export const SourceState = z.enum(['reading', 'tailing', 'paused', 'ready', 'error'])

export const SourceInfo = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number(),
  /** Physical lines read so far. */
  lines: z.number(),
  events: z.number(),
  /** Lines inside those events (folded lines included). lines = eventLines + directiveLines + unparsed, once read. */
  eventLines: z.number(),
  /** Lines read as format directives (W3C `#Fields:`): no event, not unparsed. */
  directiveLines: z.number(),
  unparsed: z.number(),
  format: FormatId.nullable(),
  /** True when the user chose the format rather than the detector. */
  formatForced: z.boolean(),
  /** The field map the format is read with (inferred, plus the user's corrections); null for fixed layouts. */
  fieldMap: FieldMapSchema.nullable(),
  /** The roles the user mapped by hand. */
  fieldMapForced: FieldMapSchema.nullable(),
  /** What is unread and why, when most of the file could not be read (null when it reads). */
  unread: z.string().nullable(),
  state: SourceState,
  bytesDone: z.number(),
  error: z.string().nullable(),
  addedAt: z.string(),
  /** Lines per second arriving while tailing (0 when quiet). */
  linesPerSec: z.number(),
  /** Bytes written to the followed file that the session has not read yet (0 when it keeps up). */
  behindBytes: z.number(),
  lastEventAt: z.string().nullable(),
  /** The time of the earliest event read (ISO); with lastEventAt, the span the file covers. */
  firstEventAt: z.string().nullable().optional(),
  /** What happened to the file while following it (rotated, truncated, deleted…), in words. */
  note: z.string().nullable()
})
export type SourceInfo = z.infer<typeof SourceInfo>

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a valid header name')

export const AddTargetRequest = z.object({
  kind: z.enum(['health', 'deploy']),
  name: z.string().trim().min(1, 'name is empty').max(100),
  url: z.string().url('is not a URL').max(2048),
  intervalMs: z.number().int().min(1000, 'must be at least 1000 ms').max(3_600_000).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  /** Sent with every poll (e.g. Authorization); never shown back, logged or reported. */
  headers: z.record(headerName, z.string().max(8192)).optional(),
  /** Deploy endpoints of no known shape: dot paths to the version / time / commit fields. */
  mapping: z.object({ version: z.string().min(1), at: z.string().optional(), commit: z.string().optional() }).optional()
})
export type AddTargetRequest = z.infer<typeof AddTargetRequest>

export const TargetInfo = z.object({
  id: z.string(),
  kind: z.enum(['health', 'deploy']),
  name: z.string(),
  /** The URL with any credentials removed. */
  url: z.string(),
  intervalMs: z.number(),
  hasHeaders: z.boolean(),
  running: z.boolean(),
  ok: z.boolean().nullable(),
  status: z.number().nullable(),
  latencyMs: z.number().nullable(),
  version: z.string().nullable(),
  since: z.string().nullable(),
  lastPollAt: z.string().nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number(),
  components: z.array(z.object({ name: z.string(), ok: z.boolean(), status: z.string() }))
})
export type TargetInfo = z.infer<typeof TargetInfo>

export const DeployRecord = z.object({ version: z.string(), at: z.string(), commit: z.string().nullable(), source: z.string() })
export type DeployRecord = z.infer<typeof DeployRecord>

export const AddSourceRequest = z.object({
  path: z.string().min(1, 'path is empty').max(4096, 'path is too long'),
  /** Read the file as this format instead of detecting it. */
  format: FormatId.optional(),
  /** Fields mapped by hand (`status` ← `response_code`); inference fills the rest. */
  fieldMap: FieldMapSchema.optional()
})
export type AddSourceRequest = z.infer<typeof AddSourceRequest>

export const SourceRef = z.object({ id: z.string().min(1).max(200) })
export type SourceRef = z.infer<typeof SourceRef>

export const SetSourceFormatRequest = z.object({
  id: z.string().min(1).max(200),
  /** null: detect it. */
  format: FormatId.nullable(),
  /** Roles mapped by hand; omitted keeps the current ones, null or {} clears them. */
  fieldMap: FieldMapSchema.nullable().optional()
})
export type SetSourceFormatRequest = z.infer<typeof SetSourceFormatRequest>

export const PauseSourceRequest = z.object({ id: z.string().min(1).max(200), paused: z.boolean() })
export type PauseSourceRequest = z.infer<typeof PauseSourceRequest>

export const Empty = z.object({}).strict()
export type Empty = z.infer<typeof Empty>

export const SessionSnapshot = z.object({
  seq: z.number(),
  incident: z.object({ id: z.string(), title: z.string(), createdAt: z.string() }),
  sources: z.array(SourceInfo),
  targets: z.array(TargetInfo),
  deploys: z.array(DeployRecord),
  /** Every log format the reader knows, for the format picker. */
  formats: z.array(FormatInfo),
  /** The built-in demo incident, while it runs. */
  demo: z
    .object({ oldVersion: z.string(), newVersion: z.string(), brokenRoute: z.string(), deployAt: z.number() })
    .nullable()
})
export type SessionSnapshot = z.infer<typeof SessionSnapshot>

export const ReadLinesRequest = z.object({
  sourceId: z.string().min(1),
  /** 1-based first line to return. */
  fromLine: z.number().int().min(1),
  count: z.number().int().min(1).max(1000)
})
export type ReadLinesRequest = z.infer<typeof ReadLinesRequest>

export const ReadLinesResponse = z.object({
  fromLine: z.number(),
  lines: z.array(z.string()),
  /** True when the file ended before `count` lines. */
  eof: z.boolean()
})
export type ReadLinesResponse = z.infer<typeof ReadLinesResponse>

export const SessionChangedEvent = z.object({
  seq: z.number(),
  topics: z.array(z.enum(['sources', 'targets', 'analysis', 'incident']))
})
export type SessionChangedEvent = z.infer<typeof SessionChangedEvent>

export const IngestProgressEvent = z.object({
  seq: z.number(),
  sourceId: z.string(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  linesPerSec: z.number()
})
export type IngestProgressEvent = z.infer<typeof IngestProgressEvent>

/** How every reply crosses IPC or the WebSocket: a value, or an error in words. */
export const ApiError = z.object({ code: z.string(), message: z.string() })
export type ApiError = z.infer<typeof ApiError>
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiError }
