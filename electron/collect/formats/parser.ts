import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'

/** Turns one physical line (no trailing newline) into an event, or null when the line is not of its format. */
export interface LineParser {
  readonly format: LogFormatId
  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null
}
