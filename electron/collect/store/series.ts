/**
 * The per-second series a store sends for a long window, in one place for every store: one row
 * per minute (at the minute's first second) plus one row per second that held a 5xx. A week of
 * seconds is 604,800 rows to send and parse, while the verdict needs second precision only for
 * failures: the onset and an episode's end are placed on them, and the burst/intermittent shape
 * is read from them. Only requests without a failure move to the start of their minute, a shift
 * the hour-wide buckets and the 30-minute deploy windows do not see.
 */
import { BUCKET, type SecondRow } from '../../../shared/analysis/aggregate'

/** Requests counted by status class, as a store's engine answers them. */
export interface ClassCounts {
  total: number
  s5xx: number
  s4xx: number
  s500: number
  s502: number
  s503: number
  s504: number
}

export const CLASS_NAMES = ['total', 's5xx', 's4xx', 's500', 's502', 's503', 's504'] as const satisfies readonly (keyof ClassCounts & keyof typeof BUCKET)[]

/** One RequestAggregateData.seconds row of a second's (or a minute's) counts. */
export function secondRow(second: number, counts: Partial<Record<keyof typeof BUCKET, number>>): SecondRow {
  const row = [second, 0, 0, 0, 0, 0, 0, 0, 0] as SecondRow
  for (const [name, n] of Object.entries(counts) as [keyof typeof BUCKET, number][]) row[1 + BUCKET[name]] = n
  return row
}

/**
 * Minute rows with the failing seconds taken out into rows of their own: each failing second's
 * counts (all its requests, not only the 5xx) leave its minute's row. Rows in time order, none empty.
 */
export function minutesWithFailingSeconds(minutes: readonly SecondRow[], failingSeconds: readonly SecondRow[]): SecondRow[] {
  const bySecond = new Map<number, SecondRow>()
  for (const m of minutes) bySecond.set(m[0], [...m] as SecondRow)
  for (const f of failingSeconds) {
    const row = [...f] as SecondRow
    const minuteStart = Math.floor(row[0] / 60) * 60
    const minute = bySecond.get(minuteStart)
    if (minute !== undefined && minuteStart !== row[0]) {
      for (let k = 1; k < row.length; k++) minute[k] -= row[k]
      bySecond.set(row[0], row)
    }
    // A failing first second already is its minute's row: its counts are in it.
  }
  return [...bySecond.values()].filter((r) => r[1 + BUCKET.total] > 0).sort((a, b) => a[0] - b[0])
}
