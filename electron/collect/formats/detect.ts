/**
 * Format detection from the first lines of a file: every detectable definition reads the sample
 * through an EventFolder, and the one that leaves the fewest lines unparsed wins. Ties go to the
 * definition whose own parser read more lines, then the more specific one (its `specificity`),
 * then the one that found more events. The cost is bounded by the sample, never by the file.
 * A file whose lines are mostly a wrapper's records (wrappers/) is also read as that wrapper
 * around the format its payloads are detected as; see wrappedScore.
 */
import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'
import type { FieldMap, FormatDefinition } from './definition'
import { EventFolder } from './folder'
import { inferFieldMap, type InferredFields, type JudgedField } from './infer'
import type { LineParser } from './parser'
import { FORMAT_DEFINITIONS } from './registry'
import { isBlank } from './trace'
import { samplePayloads, wrappedDefinition, wrappedFormatId } from './wrapped'
import { detectWrapper } from './wrappers'
import { looksLikeKubeJson } from '../kube/objects'

import { DETECT_SAMPLE_LINES } from './fields'

export { DETECT_SAMPLE_LINES } from './fields'
/** Below this share of readable lines a file is `unknown`: guessing would drop most of it as unparsed anyway. */
export const MIN_COVERAGE = 0.5
/** Coverage within this margin counts as a tie. */
const TIE_MARGIN = 0.02

export interface Detection {
  format: LogFormatId
  confidence: number
  /** When the format's keys vary by producer (JSON, logfmt): the field map inferred from the sample. */
  fieldMap?: FieldMap
  /** How each role of `fieldMap` was judged, best first. */
  judged?: JudgedField[]
}

export interface Score {
  definition: FormatDefinition
  parser: LineParser
  coverage: number
  events: EvidenceEvent[]
  /** Lines the candidate's own parser read: folding alone (bare stack traces) proves nothing. */
  ownLines: number
  /** The field map the parser was built with, when one was inferred. */
  inferred?: InferredFields
}

export function detectFormat(sample: readonly string[], candidates: readonly FormatDefinition[] = FORMAT_DEFINITIONS): Detection {
  const lines = sample.length > DETECT_SAMPLE_LINES ? sample.slice(0, DETECT_SAMPLE_LINES) : sample
  const nonBlank = lines.reduce((n, line) => (isBlank(line) ? n : n + 1), 0)
  if (nonBlank === 0) return { format: 'unknown', confidence: 0 }
  // An indented kubectl document is recognised by its shape: none of its lines is a record alone.
  if (looksLikeKubeJson(lines)) return { format: 'kube-json', confidence: 1 }
  const best = withInferredFields(lines, nonBlank, candidates, bestScore(lines, nonBlank, candidates))
  const wrapped = wrappedScore(lines, nonBlank, candidates, best)
  if (wrapped !== null) return { format: wrapped.definition.id, confidence: round(wrapped.coverage) }
  // For `unknown`, confidence says how little any format could read.
  if (best === null || best.coverage < MIN_COVERAGE) return { format: 'unknown', confidence: round(1 - (best?.coverage ?? 0)) }
  const detection: Detection = { format: formatName(best), confidence: round(best.coverage) }
  if (best.inferred !== undefined) {
    detection.fieldMap = best.inferred.map
    detection.judged = best.inferred.judged
  }
  return detection
}

// --- Inferred field maps (issue #20 point 4) ---------------------------------------------------
/**
 * Definitions that infer fields (JSON lines, logfmt) are scored again with the field map inferred
 * from the sample, so a file of requests under unknown key names (Envoy, Traefik, Kong JSON) is
 * seen as requests. The re-scored candidate replaces the best when it reads better, or when it is
 * the same definition reading no worse (then its events are the mapped ones).
 */
function withInferredFields(lines: readonly string[], nonBlank: number, candidates: readonly FormatDefinition[], best: Score | null): Score | null {
  const inferring = candidates.filter((d) => d.detectable && d.infersFields)
  if (inferring.length === 0) return best
  const inferred = inferFieldMap(lines)
  if (inferred === null) return best
  let result = best
  for (const definition of inferring) {
    const candidate = { ...score(lines, nonBlank, definition, inferred.map), inferred }
    if (candidate.events.length === 0 || candidate.ownLines === 0) continue
    const sameDefinition = result !== null && result.definition === definition && candidate.coverage >= result.coverage
    if (result === null || sameDefinition || better(candidate, result)) result = candidate
  }
  return result
}
// -------------------------------------------------------------------------------------------------

/** The id a scored definition names the file by (its variant, when it has one). */
function formatName(score: Score): LogFormatId {
  return score.definition.variant?.(score.parser, score.events) ?? score.definition.id
}

// ---- Wrapped formats (wrapped.ts, wrappers/) ----
/**
 * When a wrapper reads most of the sample, its payloads (partial records joined) are detected
 * over the same candidates and the file is scored as `<wrapper>+<payload>` (payloads no format
 * reads: the wrapper's plain-text reading, or nothing new when that is a registered format like
 * `syslog`). The wrapped score must match the plain best, within the tie margin, to win: on a tie
 * it is the more specific reading. The plain best counts with what it reads of the payloads too:
 * a format that reads a wrapped line only through the wrapper's header (text-app takes a CRI
 * line's time, json-app a docker record's `time`) has read none of what the program wrote.
 */
function wrappedScore(lines: readonly string[], nonBlank: number, candidates: readonly FormatDefinition[], plain: Score | null): Score | null {
  const found = detectWrapper(lines)
  if (found === null) return null
  const payloads = samplePayloads(found.wrapper, lines)
  const payloadLines = payloads.reduce((n, line) => (isBlank(line) ? n : n + 1), 0)
  const inner = payloadLines === 0 ? null : bestScore(payloads, payloadLines, candidates)
  const payload = inner === null || inner.coverage < MIN_COVERAGE ? null : formatName(inner)
  if (payload === null && found.wrapper.plainFormat !== undefined) return null
  const definition = wrappedDefinition(wrappedFormatId(found.wrapper, payload))
  if (definition === undefined) return null
  const candidate = score(lines, nonBlank, definition)
  if (candidate.events.length === 0 || candidate.coverage < MIN_COVERAGE) return null
  if (plain === null) return candidate
  const plainCoverage = Math.min(plain.coverage, payloadLines === 0 ? 0 : score(payloads, payloadLines, plain.definition).coverage)
  return candidate.coverage >= plainCoverage - TIE_MARGIN ? candidate : null
}
// ---- end of wrapped formats ----

export function bestScore(lines: readonly string[], nonBlank: number, candidates: readonly FormatDefinition[]): Score | null {
  let best: Score | null = null
  for (const definition of candidates) {
    if (!definition.detectable) continue
    const candidate = score(lines, nonBlank, definition)
    if (candidate.events.length === 0 || candidate.ownLines === 0) continue
    if (best === null || better(candidate, best)) best = candidate
  }
  return best
}

function better(a: Score, b: Score): boolean {
  if (a.coverage > b.coverage + TIE_MARGIN) return true
  if (a.coverage < b.coverage - TIE_MARGIN) return false
  if (a.ownLines !== b.ownLines) return a.ownLines > b.ownLines
  if (a.definition.specificity !== b.definition.specificity) return a.definition.specificity > b.definition.specificity
  return a.events.length > b.events.length
}

function score(lines: readonly string[], nonBlank: number, definition: FormatDefinition, fieldMap?: FieldMap): Score {
  const parser = definition.create(fieldMap)
  const folder = new EventFolder(parser)
  let unparsed = 0
  const events: EvidenceEvent[] = []
  const count = (items: ReturnType<EventFolder['push']>): void => {
    for (const item of items) {
      if (item.kind === 'unparsed') {
        if (!isBlank(item.text)) unparsed += item.lines
      } else if (item.kind !== 'directive') events.push(item)
    }
  }
  lines.forEach((line, i) => count(folder.push(line, i + 1, 0)))
  count(folder.flush())
  // A second parser, so the folder's own parsing does not count twice in per-parser state.
  const own = definition.create(fieldMap)
  let ownLines = 0
  for (const line of lines) if (own.directive?.(line) === true || own.parse(line, 0, 0) !== null) ownLines++
  return { definition, parser, coverage: (nonBlank - unparsed) / nonBlank, events, ownLines }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
