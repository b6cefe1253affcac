import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'

/**
 * How a format's lines continue (EventFolder reads it):
 * - `single`: every line is its own event or unparsed, no look-ahead (access logs);
 * - `trace`: stack-trace frames and their headers fold into the event before them;
 * - `text`: like `trace`, and any other non-header line after an event is part of it
 *   (wrapped messages in logback-style text, FastCGI stderr in nginx's error log).
 */
export type Multiline = 'single' | 'trace' | 'text'

/** Turns one physical line (no trailing newline) into an event, or null when the line is not of its format. */
export interface LineParser {
  readonly format: LogFormatId
  readonly multiline: Multiline
  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null
}
