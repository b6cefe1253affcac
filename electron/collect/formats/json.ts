/**
 * JSON-lines logs (application and access): one JSON object per line, decided per line by
 * recordToEvent. Lines prefixed by `docker compose` (`service  | {...}`) are read too.
 */
import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'
import type { FieldMap } from '../../../shared/model/evidence'
import type { LineParser, Multiline } from './parser'
import { RecordMapper } from './records'
import { composePayloadStart } from './wrappers/compose'
import type { Record_ } from './records'

const OPEN_BRACE = 123

/** Index of the JSON object in the line: 0, after a `name | ` compose prefix, or -1. */
export function jsonStart(line: string): number {
  let p = 0
  while (p < line.length && (line.charCodeAt(p) === 32 || line.charCodeAt(p) === 9)) p++
  if (line.charCodeAt(p) === OPEN_BRACE) return p
  p = composePayloadStart(line)
  if (p < 0) return -1
  while (line.charCodeAt(p) === 32) p++
  return line.charCodeAt(p) === OPEN_BRACE ? p : -1
}

export function parseJsonRecord(line: string): Record_ | null {
  const start = jsonStart(line)
  if (start < 0) return null
  let end = line.length
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--
  if (line.charCodeAt(end - 1) !== 125) return null
  try {
    const value: unknown = JSON.parse(start === 0 && end === line.length ? line : line.slice(start, end))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record_) : null
  } catch {
    return null
  }
}

/** JSON lines read under the common field names, and under a field map's keys first when one is given. */
export class JsonLineParser implements LineParser {
  readonly multiline: Multiline
  private readonly mapper: RecordMapper

  constructor(readonly format: LogFormatId, fieldMap?: FieldMap) {
    this.multiline = format === 'json-access' ? 'single' : 'trace'
    this.mapper = new RecordMapper(fieldMap)
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const record = parseJsonRecord(line)
    return record === null ? null : this.mapper.toEvent(record, lineNo, offset)
  }
}
