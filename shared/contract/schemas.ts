import { z } from 'zod'
import { LOG_FORMATS } from '../model/evidence'

export const SourceState = z.enum(['reading', 'tailing', 'ready', 'error'])

export const SourceInfo = z.object({
  id: z.string(),
  path: z.string(),
  name: z.string(),
  sizeBytes: z.number(),
  /** Physical lines read so far. */
  lines: z.number(),
  events: z.number(),
  unparsed: z.number(),
  format: z.enum(LOG_FORMATS).nullable(),
  state: SourceState,
  bytesDone: z.number(),
  error: z.string().nullable(),
  addedAt: z.string()
})
export type SourceInfo = z.infer<typeof SourceInfo>

export const AddSourceRequest = z.object({
  path: z.string().min(1, 'path is empty').max(4096, 'path is too long')
})
export type AddSourceRequest = z.infer<typeof AddSourceRequest>

export const SourceRef = z.object({ id: z.string().min(1).max(200) })
export type SourceRef = z.infer<typeof SourceRef>

export const Empty = z.object({}).strict()
export type Empty = z.infer<typeof Empty>

export const SessionSnapshot = z.object({
  seq: z.number(),
  incident: z.object({ id: z.string(), title: z.string(), createdAt: z.string() }),
  sources: z.array(SourceInfo)
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
  topics: z.array(z.enum(['sources', 'analysis', 'incident']))
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
