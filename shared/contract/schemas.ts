import { z } from 'zod'
import { FieldMapSchema, FormatId } from './analysis'
import { FORMAT_FAMILIES } from '../model/evidence'

export const FormatInfo = z.object({ id: FormatId, title: z.string(), family: z.enum(FORMAT_FAMILIES) })
export type FormatInfo = z.infer<typeof FormatInfo>

export const SourceState = z.enum(['reading', 'tailing', 'paused', 'ready', 'error'])

/** Central log stores a source can read (issue #17). */
export const STORE_KINDS = ['clickhouse', 'loki', 'elasticsearch', 'opensearch'] as const
export const StoreKind = z.enum(STORE_KINDS)
export type StoreKind = z.infer<typeof StoreKind>

const credentialScheme = z.enum(['basic', 'bearer', 'apikey'])

/**
 * The name a secret is kept under in the desktop app's keychain: it names a file, so no path,
 * and lower case only, so two names never share a file on a case-insensitive disk.
 */
export const KEYCHAIN_NAME_RULE = /^[a-z0-9][a-z0-9._-]{0,63}$/
export const KeychainName = z
  .string()
  .regex(KEYCHAIN_NAME_RULE, 'a keychain name is 1 to 64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit')
/** Where a store's secret comes from: a reference only, the secret never crosses the API, nor reaches disk, logs or reports. */
export const StoreCredentialRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  /** An environment variable holding `user:password` (basic) or a token (bearer / ApiKey). */
  z.object({ kind: z.literal('env'), name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'is not an environment variable name').max(200), scheme: credentialScheme }),
  /** A file of mode 0600 holding the same. */
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(4096), scheme: credentialScheme }),
  /** Electron safeStorage, by the id the desktop app stored it under. */
  z.object({ kind: z.literal('keychain'), id: KeychainName, scheme: credentialScheme })
])
export type StoreCredentialRef = z.infer<typeof StoreCredentialRef>

/** `env:NAME`, `file:PATH`, `keychain:NAME` (desktop app), optionally `basic:`/`bearer:`/`apikey:` first (default basic): the CLI's and the form's spelling. */
export function parseCredentialRef(text: string): StoreCredentialRef | null {
  let rest = text.trim()
  let scheme: 'basic' | 'bearer' | 'apikey' = 'basic'
  const schemeMatch = /^(basic|bearer|apikey):(.*)$/i.exec(rest)
  if (schemeMatch) {
    scheme = schemeMatch[1].toLowerCase() as typeof scheme
    rest = schemeMatch[2]
  }
  if (rest === '' || rest === 'none') return { kind: 'none' }
  const m = /^(env|file|keychain):(.+)$/.exec(rest)
  if (!m) return null
  if (m[1] === 'env') return /^[A-Za-z_][A-Za-z0-9_]*$/.test(m[2]) ? { kind: 'env', name: m[2], scheme } : null
  if (m[1] === 'file') return { kind: 'file', path: m[2], scheme }
  return KEYCHAIN_NAME_RULE.test(m[2]) ? { kind: 'keychain', id: m[2], scheme } : null
}

/** A store's address: http(s), and no user or password in it (they go through a credential reference). */
const storeUrl = z
  .string()
  .url('is not a URL')
  .max(2048)
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'must be http or https')
  .refine((u) => new URL(u).username === '' && new URL(u).password === '', 'must not carry credentials: use a credential reference (env:NAME or file:PATH)')

/** What an incident keeps of a store source (incident.json) and what adds one: never a secret. */
export const StoreSourceSpec = z.object({
  kind: StoreKind,
  url: storeUrl,
  /** ClickHouse: `db.table [WHERE …]`; Loki: a stream selector; Elasticsearch/OpenSearch: an index pattern [query]. */
  query: z.string().trim().min(1, 'query is empty').max(4000),
  /** Epoch ms. */
  from: z.number().int().nonnegative(),
  /** Epoch ms; null: up to now, and followed (its newest window read again on a schedule). */
  to: z.number().int().nonnegative().nullable(),
  credential: StoreCredentialRef,
  /** Fields mapped by hand; inference fills the rest. */
  fieldMap: FieldMapSchema.optional(),
  /** Loki's `X-Scope-OrgID`, for a multi-tenant Loki (not a secret: a tenant name). Other kinds ignore it. */
  tenant: z.string().trim().min(1).max(200).regex(/^[^\s|]+$/, 'is not a tenant id').optional(),
  /** How often a followed store's newest window is read. */
  intervalMs: z.number().int().min(5000, 'must be at least 5000 ms').max(3_600_000).optional()
})
export type StoreSourceSpec = z.infer<typeof StoreSourceSpec>

export const AddStoreRequest = StoreSourceSpec.refine((s) => s.to === null || s.to > s.from, { message: 'the window ends before it starts', path: ['to'] })
export type AddStoreRequest = z.infer<typeof AddStoreRequest>

/** A store source's card: where it reads, how the store answers, what the reads cost. */
export const StoreSourceInfo = z.object({
  kind: StoreKind,
  /** Without credentials. */
  url: z.string(),
  query: z.string(),
  from: z.string(),
  /** null: followed up to now. */
  to: z.string().nullable(),
  /** How the credential is found (`env:NAME`), never the secret. */
  credential: z.string(),
  /** ok; slow (429/503/timeouts: backing off); unreachable; error (a bad query, refused credentials). */
  health: z.enum(['reading', 'ok', 'slow', 'unreachable', 'error']),
  /** Bytes received from the store over all reads. */
  bytesMoved: z.number(),
  /** The engine's own count of bytes it read to answer; null when it does not say. */
  scannedBytes: z.number().nullable(),
  /** Partial results, sampled-only evidence, shard failures: one line each. */
  warnings: z.array(z.string()),
  lastReadAt: z.string().nullable(),
  nextReadAt: z.string().nullable()
})
export type StoreSourceInfo = z.infer<typeof StoreSourceInfo>

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
  /** Lines longer than the line cap (shared/model/line-cap.ts): counted, their text cut at the cap. */
  longLines: z.number(),
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
  note: z.string().nullable(),
  /** Set for a central log store source (its path is the store URL and query); absent or null for a file. */
  store: StoreSourceInfo.nullable().optional()
})
export type SourceInfo = z.infer<typeof SourceInfo>

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not a valid header name')

export const AddTargetRequest = z.object({
  kind: z.enum(['health', 'deploy']),
  name: z.string().trim().min(1, 'name is empty').max(100),
  url: z.string().url('must be a whole URL such as http://127.0.0.1:8080/actuator/health').max(2048),
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
  components: z.array(z.object({ name: z.string(), ok: z.boolean(), status: z.string(), detail: z.string().optional() }))
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
