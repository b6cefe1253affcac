import { z } from 'zod'
import { ErrorGroupJson, TimelineBucket } from './analysis'

/** The most rows one page of `queryEvents` carries: the renderer pages, never takes the whole log. */
export const MAX_QUERY_PAGE = 500

/**
 * Rows the session keeps per answer: the list pages through them. Past this the total is still
 * exact, and the list says it shows the first of them.
 */
export const MAX_KEPT_ROWS = 200_000

/**
 * Requests and events matching a filter (shared/filter's language) within a time range, read from
 * the sources' files by the session. The range bounds the rows; the per-bucket counts and groups
 * cover the whole time of the evidence, so the timeline can draw the filter everywhere.
 */
export const QueryEventsRequest = z.object({
  query: z.string().max(2000),
  /** Epoch ms, inclusive; null: from the start. */
  from: z.number().nullable(),
  /** Epoch ms, exclusive; null: to the end. */
  to: z.number().nullable(),
  /** Index of the first row to return: 0, or the `nextCursor` of the previous page. */
  cursor: z.number().int().min(0),
  limit: z.number().int().min(1).max(MAX_QUERY_PAGE),
  /** The analysis timeline's bucket grid, so the filtered counts line up with it; null: no counts. */
  buckets: z.object({ start: z.number(), bucketMs: z.number().positive() }).nullable()
})
export type QueryEventsRequest = z.infer<typeof QueryEventsRequest>

export const EventRow = z.object({
  /** Epoch ms; null when the line carries no time. */
  time: z.number().nullable(),
  kind: z.enum(['request', 'app', 'proxy-error']),
  status: z.number().nullable(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  instance: z.string().nullable(),
  level: z.string().nullable(),
  /** One line of text: the request line, or the message (capped). */
  message: z.string(),
  sourceId: z.string(),
  /** The file and 1-based first line the event was read from: where its raw lines open. */
  file: z.string(),
  line: z.number().int(),
  lines: z.number().int()
})
export type EventRow = z.infer<typeof EventRow>

export const QueryEventsResponse = z.object({
  rows: z.array(EventRow),
  /** Matching events within the range. */
  total: z.number().int(),
  /** Matching events with no time (they cannot sit in a range, and are counted apart). */
  untimed: z.number().int(),
  nextCursor: z.number().int().nullable(),
  /** The filter's counts on the requested bucket grid; [] when none was asked for. */
  buckets: z.array(TimelineBucket),
  /** Error groups of the matching error events, most frequent first. */
  groups: z.array(ErrorGroupJson),
  /** Sources not scanned (still being read, or unreadable): the answer does not cover them. */
  skipped: z.array(z.object({ sourceId: z.string(), name: z.string(), reason: z.string() }))
})
export type QueryEventsResponse = z.infer<typeof QueryEventsResponse>
