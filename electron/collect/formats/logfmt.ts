/** logfmt lines (`time=… level=error msg="…" err="…"`), mapped like JSON records. */
import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'
import type { FieldMap } from './definition'
import type { LineParser } from './parser'
import { RecordMapper } from './records'
import type { Record_ } from './records'

/**
 * Parses `k=v k2="quoted \" value" flag` pairs; null unless the line is clearly logfmt: a level or
 * message key, or with `anyKeys` (a field map says which keys matter) at least three pairs and more
 * pairs than bare words (Heroku's router: `at=info method=GET path=/ status=200 …`).
 */
export function parseLogfmt(line: string, anyKeys = false): Record_ | null {
  const { record, pairs, words } = logfmtPairs(line)
  if (record === null || pairs < 2) return null
  if (anyKeys) return pairs >= 3 && pairs > words ? record : null
  if (record.level === undefined && record.msg === undefined && record.lvl === undefined && record.message === undefined) return null
  return record
}

/** The `k=v` pairs of a line (at least two), without asking for a level or message key. */
export function parseLogfmtPairs(line: string): Record_ | null {
  const { record, pairs } = logfmtPairs(line)
  return record !== null && pairs >= 2 ? record : null
}

function logfmtPairs(line: string): { record: Record_ | null; pairs: number; words: number } {
  const record: Record_ = {}
  let pairs = 0
  let words = 0
  let p = 0
  const n = line.length
  while (p < n) {
    while (p < n && line.charCodeAt(p) === 32) p++
    if (p >= n) break
    const keyStart = p
    while (p < n) {
      const c = line.charCodeAt(p)
      if (c === 61 || c === 32 || c === 34) break
      p++
    }
    const key = line.slice(keyStart, p)
    if (key === '') return { record: null, pairs, words }
    if (p >= n || line.charCodeAt(p) !== 61) {
      if (line.charCodeAt(p) === 34) return { record: null, pairs, words }
      record[key] = true
      words++
      continue
    }
    p++
    let value: string
    if (line.charCodeAt(p) === 34) {
      let text = ''
      p++
      let segment = p
      while (p < n && line.charCodeAt(p) !== 34) {
        if (line.charCodeAt(p) === 92 && p + 1 < n) {
          text += line.slice(segment, p)
          const escaped = line[p + 1]
          text += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped
          p += 2
          segment = p
        } else p++
      }
      if (p >= n) return { record: null, pairs, words }
      value = text + line.slice(segment, p)
      p++
    } else {
      const valueStart = p
      while (p < n && line.charCodeAt(p) !== 32) p++
      value = line.slice(valueStart, p)
    }
    record[key] = value
    pairs++
  }
  return { record, pairs, words }
}

/** logfmt lines read under the common field names, and under a field map's keys first when one is given. */
export class LogfmtParser implements LineParser {
  readonly format: LogFormatId = 'logfmt'
  readonly multiline = 'trace'
  private readonly mapper: RecordMapper
  private readonly anyKeys: boolean

  constructor(fieldMap?: FieldMap) {
    this.mapper = new RecordMapper(fieldMap)
    this.anyKeys = fieldMap !== undefined && Object.keys(fieldMap).length > 0
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const record = parseLogfmt(line, this.anyKeys) ?? (this.anyKeys ? parseLogfmt(line) : null)
    return record === null ? null : this.mapper.toEvent(record, lineNo, offset)
  }
}
