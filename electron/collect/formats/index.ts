/**
 * The parsing layer of log collection: detect a file's format, parse its lines, fold multi-line
 * events. Callers hand in already-split lines (no trailing \r or \n) with their 1-based line
 * number and byte offset. Formats are data: see definition.ts and defs/.
 */
import type { FormatFamily, LogFormatId } from '../../../shared/model/evidence'
import type { FieldMap } from './definition'
import type { LineParser } from './parser'
// Wrapped formats (`<wrapper>+<payload>`, wrapped.ts) resolve beside the registry's definitions.
import { resolveDefinition } from './wrapped'

export type { LineParser, Multiline } from './parser'
export type { Detection } from './detect'
export type { FieldMap, FieldRole, FormatDefinition } from './definition'
export { detectFormat, DETECT_SAMPLE_LINES } from './detect'
export { EventFolder } from './folder'
export { FORMAT_DEFINITIONS, formatCatalog, formatDefinition } from './registry'

/** Reads nothing: with an unknown format every line is reported as unparsed (and still counted). */
class UnknownFormatParser implements LineParser {
  readonly format: LogFormatId = 'unknown'
  readonly multiline = 'single'
  parse(): null {
    return null
  }
}

/** Whether the reader knows this format id (`unknown` and wrapped ids included). */
export function isKnownFormat(id: string): boolean {
  return id === 'unknown' || resolveDefinition(id) !== undefined
}

/** The family of a format (a wrapped format's is its payload's); `unknown` reads nothing, so it counts as nothing. */
export function formatFamily(id: LogFormatId): FormatFamily | null {
  return resolveDefinition(id)?.family ?? null
}

/** A fresh parser for one file (parsers keep small per-file caches, so do not share them across files). */
export function createParser(format: LogFormatId, fieldMap?: FieldMap): LineParser {
  if (format === 'unknown') return new UnknownFormatParser()
  const definition = resolveDefinition(format)
  if (definition === undefined) throw new Error(`unknown log format "${format}"`)
  return definition.create(fieldMap)
}
