/** Instants as text. Every time is UTC, like the logs the app reads, and says so. */

type Instant = number | string

const two = (n: number): string => String(n).padStart(2, '0')

const toDate = (t: Instant): Date | null => {
  const d = new Date(t)
  return Number.isNaN(d.getTime()) ? null : d
}

/** The machine form, for JSON: `2026-05-01T12:03:04.000Z`. */
export const iso = (t: number): string => new Date(t).toISOString()
export const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t))

/** Whether a window crosses a UTC day boundary, so its times need the date to be unambiguous. */
export function spansDays(from: Instant | null, to: Instant | null): boolean {
  if (from === null || to === null) return true
  const a = toDate(from)
  const b = toDate(to)
  if (!a || !b) return true
  return a.toISOString().slice(0, 10) !== b.toISOString().slice(0, 10)
}

export interface ClockOptions {
  /** Print the date: always (`true`) or when the window spans days (`spansDays(from, to)`). */
  date?: boolean
  /** `14:02:07` (the default) or `14:02` for axis labels and short wording. */
  seconds?: boolean
  /** Append ` UTC` (the default). Axis labels under a caption that says UTC leave it off. */
  zone?: boolean
}

/**
 * `14:02:07 UTC`, or `2026-05-01 14:02:07 UTC` with the date. Missing → `—`; text that is not a
 * time is shown as it is, so nothing the engineer should see is hidden.
 */
export function clock(t: Instant | null, options: ClockOptions = {}): string {
  if (t === null) return '—'
  const d = toDate(t)
  if (!d) return String(t)
  const hms = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${options.seconds === false ? '' : `:${two(d.getUTCSeconds())}`}`
  const date = options.date ? `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` : ''
  return `${date}${hms}${options.zone === false ? '' : ' UTC'}`
}

/** A clock for every time of one window: with the date only when the window spans days. */
export function clockFor(from: Instant | null, to: Instant | null, options: Omit<ClockOptions, 'date'> = {}): (t: Instant | null) => string {
  const date = spansDays(from, to)
  return (t) => clock(t, { ...options, date })
}
