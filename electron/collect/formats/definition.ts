/**
 * Log formats as data. A format is one file under `defs/` default-exporting a FormatDefinition:
 * its id, family, how a line is recognised and read, its multi-line rule and real sample lines with
 * the events they must yield (tests/unit/formats/definitions.test.ts runs every definition's
 * samples, and checks that detection picks the definition for them). The registry finds the
 * files by itself, so adding a format is adding one file.
 *
 * Three ways to write one:
 * - `definePattern`: a line regex with named groups (see FieldRole) and a time layout;
 * - `defineJson`: JSON lines recognised by the keys they must have, read through dotted paths;
 * - `defineParser`: a hand-written LineParser, for hot paths (the benchmark's access log) and
 *   layouts no single regex reads.
 */
import type { EvidenceEvent, FieldMap, FieldRole, FormatFamily, Level, UpstreamReason } from '../../../shared/model/evidence'
import type { LineParser, Multiline } from './parser'
import { JsonMappedParser, PatternParser } from './mapped'
import type { TimeLayout } from './time-layouts'

export type { FormatFamily } from '../../../shared/model/evidence'
export type { LineParser, Multiline } from './parser'
export type { TimeLayout } from './time-layouts'

export { FIELD_ROLES, type FieldMap, type FieldRole } from '../../../shared/model/evidence'

import { durationField, type DurationUnit } from './fields'

export { durationField, type DurationUnit } from './fields'

/** The fields of one sample event a definition must yield (only those named are checked). */
export interface SampleEvent {
  kind: EvidenceEvent['kind']
  /** ISO-8601 UTC, e.g. `2024-03-01T12:00:00.000Z`; null when the line has no time. */
  time?: string | null
  level?: Level | null
  message?: string
  method?: string | null
  path?: string | null
  route?: string
  status?: number | null
  upstreamStatus?: number | null
  bytes?: number | null
  durationMs?: number | null
  client?: string | null
  userAgent?: string | null
  requestId?: string | null
  instance?: string | null
  logger?: string | null
  errorType?: string | null
  errorMessage?: string | null
  reason?: UpstreamReason | null
  upstream?: string | null
  /** A request's cache status as logged (CDN and cache formats). */
  cacheStatus?: string | null
  clientKey?: string | null
  /** Physical lines folded into the event (a stack trace makes it more than 1). */
  lines?: number
  /** Whether a folded stack is attached. */
  hasStack?: boolean
}

/** Real lines of the format and what reading them must give, in order. */
export interface FormatSample {
  /** Where the lines come from (a fixture path or `repo@commit:path`), so a reader can check them. */
  source: string
  lines: readonly string[]
  events: readonly SampleEvent[]
  /** Lines that must stay unparsed (default 0). */
  unparsed?: number
  /**
   * For generic fallbacks (text-access): the more specific format detection picks for these real
   * lines. The fallback must still read them as said; detection rightly prefers the narrower format.
   */
  detectedAs?: string
  /** Directive lines read without an event (W3C `#Fields:`; default 0). */
  directives?: number
}

interface DefinitionBase {
  id: string
  title: string
  family: FormatFamily
  /** Detection tie-break: on equal coverage the higher value (the narrower format) wins. Default 0. */
  specificity?: number
  /** False for formats only chosen by hand or named by another definition's `variant`. Default true. */
  detectable?: boolean
  /**
   * Structured formats whose key names vary by producer (JSON lines, logfmt): detection infers a
   * field map from the sample (infer.ts) and builds the parser with it. Default false.
   */
  infersFields?: boolean
  samples: readonly FormatSample[]
}

export interface FormatDefinition extends Required<Omit<DefinitionBase, 'samples'>> {
  samples: readonly FormatSample[]
  multiline: Multiline
  /** A fresh parser for one file (parsers keep small per-file caches). */
  create(fieldMap?: FieldMap): LineParser
  /**
   * After detection scored this definition, the id the file is named by: the access parser reads
   * common, combined and ingress-nginx alike and tells which one it saw most.
   */
  variant?(parser: LineParser, events: readonly EvidenceEvent[]): string
}

/**
 * In an access format, a line the pattern matches that is no HTTP request (no status or no path:
 * a TCP proxy entry, a load balancer's TCP listener entry) is read as an app event carrying the
 * line (its `message` group, or the whole line), so it counts as read and its time is kept.
 */
export interface PatternSpec extends DefinitionBase {
  /** Named groups are FieldRoles; other groups are ignored. */
  pattern: RegExp
  /** Default: 'single' for access, 'trace' for proxy-error and app. */
  multiline?: Multiline
  time?: TimeLayout
  durationUnit?: DurationUnit
  /** Level words of this format beyond the common ones (`E` → error…). */
  levels?: Readonly<Record<string, Level>>
  /** Fixed values for roles the line does not carry (e.g. `{ level: 'error' }` for an error-only log). */
  constants?: Partial<Record<FieldRole, string>>
  /** A last look at the event, for what no regex says (return null to reject the line). */
  refine?(event: EvidenceEvent, groups: Readonly<Record<string, string | undefined>>): EvidenceEvent | null
  /**
   * The format logs each backtrace line as a record of its own (Sidekiq 4-6): a record whose
   * message is a stack frame folds into the event before it as that frame. Default false.
   */
  frameRecords?: boolean
}

export interface JsonSpec extends DefinitionBase {
  /** Dotted paths every record of this format has. */
  requires: readonly string[]
  fields: FieldMap
  multiline?: Multiline
  durationUnit?: DurationUnit
  levels?: Readonly<Record<string, Level>>
}

export interface ParserSpec extends DefinitionBase {
  multiline: Multiline
  create(fieldMap?: FieldMap): LineParser
  variant?(parser: LineParser, events: readonly EvidenceEvent[]): string
}

function base(spec: DefinitionBase): Required<Omit<DefinitionBase, 'samples'>> & { samples: readonly FormatSample[] } {
  return {
    id: spec.id,
    title: spec.title,
    family: spec.family,
    specificity: spec.specificity ?? 0,
    detectable: spec.detectable ?? true,
    infersFields: spec.infersFields ?? false,
    samples: spec.samples
  }
}

const defaultMultiline = (family: FormatFamily): Multiline => (family === 'access' ? 'single' : 'trace')

export function definePattern(spec: PatternSpec): FormatDefinition {
  const multiline = spec.multiline ?? defaultMultiline(spec.family)
  return { ...base(spec), multiline, create: () => new PatternParser(spec, multiline) }
}

export function defineJson(spec: JsonSpec): FormatDefinition {
  const multiline = spec.multiline ?? defaultMultiline(spec.family)
  return {
    ...base(spec),
    multiline,
    create: (fieldMap) => {
      const fields: FieldMap = { ...spec.fields, ...fieldMap }
      const duration = fields.duration === undefined ? null : durationField(fields.duration)
      if (duration === null || duration.unit === null) return new JsonMappedParser({ ...spec, fields }, multiline)
      return new JsonMappedParser({ ...spec, fields: { ...fields, duration: duration.path }, durationUnit: duration.unit }, multiline)
    }
  }
}

export function defineParser(spec: ParserSpec): FormatDefinition {
  const definition: FormatDefinition = { ...base(spec), multiline: spec.multiline, create: spec.create }
  if (spec.variant !== undefined) definition.variant = spec.variant
  return definition
}
