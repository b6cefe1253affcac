import type { AppEvent, EvidenceEvent, LogFormatId, ProxyErrorEvent } from '../../../shared/model/evidence'

/**
 * How a format's lines continue (EventFolder reads it):
 * - `single`: every line is its own event or unparsed, no look-ahead (access logs);
 * - `trace`: stack-trace frames and their headers fold into the event before them;
 * - `text`: like `trace`, and any other non-header line after an event is part of it
 *   (wrapped messages in logback-style text, FastCGI stderr in nginx's error log);
 * - `header`: every line up to the next header is part of the event, blank lines included
 *   (formats whose every record opens with a full header: Spring Boot's failure-analysis block
 *   after a blank line, MyBatis `###` blocks inside a logback trace). Only lines before the
 *   first header are unparsed.
 */
export type Multiline = 'single' | 'trace' | 'text' | 'header'

/** Turns one physical line (no trailing newline) into an event, or null when the line is not of its format. */
export interface LineParser {
  readonly format: LogFormatId
  readonly multiline: Multiline
  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null
  /**
   * Optional, asked before `parse` while an event is open: whether the line continues that event
   * although it may look like a header, as the text to fold into it (null: it does not). It may
   * complete the open event: Sidekiq logs each backtrace line as a record of its own (the frame
   * is folded), Rails' `Completed 500` gives the request its `Started` line opened a status.
   */
  continues?(line: string, open: AppEvent | ProxyErrorEvent): string | null

  /**
   * Formats with directive lines (W3C's `#Fields:`): whether this line is one. The parser learns
   * from it (a new field list) and the folder reports it as read, neither event nor unparsed.
   */
  directive?(line: string): boolean
  /**
   * Wrapped formats only: a fresh LineJoin for one file. EventFolder then parses the logical
   * lines it yields and still counts every physical line in the items' `lines`.
   */
  joinLines?(): LineJoin
}

/** One logical line out of a LineJoin: its text and the physical lines it spans (the first one's number and offset). */
export interface LogicalLine {
  text: string
  line: number
  offset: number
  lines: number
}

/**
 * Turns physical lines into logical ones before they are parsed: a wrapped format
 * (`<wrapper>+<payload>`) strips each record's header and joins partial records.
 */
export interface LineJoin {
  push(line: string, lineNo: number, offset: number): LogicalLine[]
  flush(): LogicalLine[]
}
