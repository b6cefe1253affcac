/** logfmt lines (`time=… level=error msg="…" err="…"`), mapped like JSON records. */
import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'
import type { LineParser } from './parser'
import { recordToEvent } from './records'
import type { Record_ } from './records'

/** Parses `k=v k2="quoted \" value" flag` pairs; null unless the line is clearly logfmt. */
export function parseLogfmt(line: string): Record_ | null {
  const record = parseLogfmtPairs(line)
  if (record === null) return null
  if (record.level === undefined && record.msg === undefined && record.lvl === undefined && record.message === undefined) return null
  return record
}

/** The `k=v` pairs of a line (at least two), without asking for a level or message key. */
export function parseLogfmtPairs(line: string): Record_ | null {
  const record: Record_ = {}
  let pairs = 0
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
    if (key === '') return null
    if (p >= n || line.charCodeAt(p) !== 61) {
      if (line.charCodeAt(p) === 34) return null
      record[key] = true
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
      if (p >= n) return null
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
  return pairs < 2 ? null : record
}

export class LogfmtParser implements LineParser {
  readonly format: LogFormatId = 'logfmt'
  readonly multiline = 'trace'

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const record = parseLogfmt(line)
    return record === null ? null : recordToEvent(record, lineNo, offset)
  }
}
