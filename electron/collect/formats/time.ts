/**
 * Timestamp parsing for log lines. Every result is epoch milliseconds (UTC).
 * A timestamp that carries an explicit offset (`Z`, `+0200`, `-05:00`) honours it; one that
 * carries none is taken as UTC, because a log file does not say which zone its host used and
 * guessing the analysing machine's zone would shift evidence between machines.
 */

/**
 * The years a log timestamp may name. Anything outside is a corrupt or hostile value (1e300,
 * year 275760, a negative epoch): the line is still read, with no time, and nothing downstream
 * (bucketing, `toISOString`) ever meets a time it cannot handle.
 */
export const SANE_TIME_YEARS = { first: 1970, last: 2200 } as const
const SANE_MIN_MS = Date.UTC(SANE_TIME_YEARS.first, 0, 1)
const SANE_END_MS = Date.UTC(SANE_TIME_YEARS.last + 1, 0, 1)

/** `ms` when it is a whole-number time within SANE_TIME_YEARS, else null. */
export function saneTime(ms: number): number | null {
  return Number.isFinite(ms) && ms >= SANE_MIN_MS && ms < SANE_END_MS ? ms : null
}

const MONTHS: Record<string, number> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11
}

/** Month index (0-11) for a three-letter English month name, or -1. */
export function monthIndex(name: string): number {
  const month = MONTHS[name]
  return month === undefined ? -1 : month
}

function digits(s: string, from: number, count: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    value = value * 10 + c
  }
  return value
}

/** Offset text (`Z`, `+0200`, `+02:00`, `-05`, `UTC`) → minutes east of UTC, or null when invalid. */
export function parseOffsetMinutes(text: string): number | null {
  if (text === '' || text === 'Z' || text === 'z' || text === 'UTC' || text === 'GMT') return 0
  const sign = text.charCodeAt(0) === 45 ? -1 : text.charCodeAt(0) === 43 ? 1 : 0
  if (sign === 0) return null
  const body = text.length > 3 && text.charCodeAt(3) === 58 ? text.slice(1, 3) + text.slice(4) : text.slice(1)
  if (body.length !== 2 && body.length !== 4) return null
  const hours = digits(body, 0, 2)
  const minutes = body.length === 4 ? digits(body, 2, 2) : 0
  if (hours < 0 || minutes < 0 || hours > 14 || minutes > 59) return null
  return sign * (hours * 60 + minutes)
}

/** Builds epoch ms from UTC fields, rejecting out-of-range fields (no Date rollover). */
export function utcMillis(
  year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number, offsetMinutes: number
): number | null {
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null
  if (hour < 0 || minute < 0 || second < 0 || year < SANE_TIME_YEARS.first || year > SANE_TIME_YEARS.last) return null
  return saneTime(Date.UTC(year, month, day, hour, minute, second, millis) - offsetMinutes * 60_000)
}

/** Fraction digits (`123`, `123456`, `1`) → milliseconds. */
export function fractionToMillis(fraction: string | undefined): number {
  if (fraction === undefined || fraction === '') return 0
  const padded = (fraction + '00').slice(0, 3)
  return Number(padded)
}

/**
 * CLF timestamps `[17/May/2015:10:05:03 +0000]`, read in place from the line. The date and zone
 * (`17/May/2015`, `+0000`) are parsed once per day and reused while lines repeat them; only the
 * clock digits are read per line. No substring is made on the hot path.
 */
export class ClfTimeCache {
  /** `17/May/2015` and ` +0000` of the day last parsed, and that day's midnight in epoch ms. */
  // A key no line can start with: an empty one would match the first line's day unread.
  private dayKey = '\u0000'
  private zoneKey = ''
  private dayBase = 0

  /** `start` is the index of the day digits (just after `[`), `end` the index of `]`. */
  parseAt(line: string, start: number, end: number): number | null {
    if (end - start < 20 || line.charCodeAt(start + 11) !== 58) return null
    if (end - start !== 20 + this.zoneKey.length || !line.startsWith(this.dayKey, start) || !line.startsWith(this.zoneKey, start + 20)) {
      const dayKey = line.slice(start, start + 11)
      const zoneKey = line.slice(start + 20, end)
      const day = parseClfTime(`${dayKey}:00:00:00${zoneKey}`)
      if (day === null) return null
      this.dayKey = dayKey
      this.zoneKey = zoneKey
      this.dayBase = day
    }
    const hour = digits(line, start + 12, 2)
    const minute = digits(line, start + 15, 2)
    const second = digits(line, start + 18, 2)
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return null
    return this.dayBase + hour * 3_600_000 + minute * 60_000 + second * 1000
  }
}

export function parseClfTime(text: string): number | null {
  // dd/Mon/yyyy:HH:MM:SS[.fff] [+zzzz]
  if (text.length < 20 || text.charCodeAt(2) !== 47 || text.charCodeAt(6) !== 47 || text.charCodeAt(11) !== 58) return null
  const day = digits(text, 0, 2)
  const month = monthIndex(text.slice(3, 6))
  const year = digits(text, 7, 4)
  const hour = digits(text, 12, 2)
  const minute = digits(text, 15, 2)
  const second = digits(text, 18, 2)
  if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0) return null
  // HAProxy writes milliseconds after the seconds (`30/Jul/2018:09:03:52.726`) and no zone.
  let p = 20
  if (text.charCodeAt(p) === 46) while (p + 1 < text.length && text.charCodeAt(p + 1) >= 48 && text.charCodeAt(p + 1) <= 57) p++
  const fraction = p > 20 ? fractionToMillis(text.slice(21, p + 1)) : 0
  if (p > 20) p++
  let offset = 0
  if (text.length > p + 1) {
    const parsed = parseOffsetMinutes(text.slice(p + 1).trim())
    if (parsed === null) return null
    offset = parsed
  }
  return utcMillis(year, month, day, hour, minute, second, fraction, offset)
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/

/** ISO-8601-ish date-time (`2024-03-01T12:00:00.123+02:00`, `2024-03-01 12:00:00,123`, date only). */
export function parseIsoTime(text: string): number | null {
  const m = ISO_RE.exec(text)
  if (m === null) return null
  const offset = m[8] === undefined ? 0 : parseOffsetMinutes(m[8])
  if (offset === null) return null
  return utcMillis(
    Number(m[1]), Number(m[2]) - 1, Number(m[3]),
    m[4] === undefined ? 0 : Number(m[4]), m[5] === undefined ? 0 : Number(m[5]), m[6] === undefined ? 0 : Number(m[6]),
    fractionToMillis(m[7]), offset
  )
}

/**
 * A numeric epoch of unknown unit → ms, judged by magnitude (seconds, ms, µs or ns since 1970):
 * zap writes float seconds, pino ms, Cloudflare ns.
 */
export function epochToMillis(value: number): number | null {
  if (!Number.isFinite(value) || value <= 0) return null
  if (value >= 1e17) return saneTime(Math.round(value / 1e6))
  if (value >= 1e14) return saneTime(Math.round(value / 1e3))
  if (value >= 1e11) return saneTime(Math.round(value))
  return saneTime(Math.round(value * 1000))
}

/** A JSON time field: number (epoch of any unit) or string (ISO, or digits). */
export function parseTimeValue(value: unknown): number | null {
  if (typeof value === 'number') return epochToMillis(value)
  if (typeof value !== 'string' || value === '') return null
  const iso = parseIsoTime(value)
  if (iso !== null) return iso
  if (/^\d+(\.\d+)?$/.test(value)) return epochToMillis(Number(value))
  const fallback = Date.parse(value)
  // Date.parse only for texts that name their zone, so no local-time guess slips in.
  return Number.isNaN(fallback) || !/(Z|GMT|UTC|[+-]\d{2}:?\d{2})\s*$/.test(value) ? null : saneTime(fallback)
}

/**
 * Syslog (RFC 3164) `Mar  1 12:00:00` has no year: the current year, unless that lands more
 * than a day in the future (a December line read in January), then the previous year.
 */
export function parseSyslogTime(month: number, day: number, hms: string, now: number): number | null {
  const hour = digits(hms, 0, 2)
  const minute = digits(hms, 3, 2)
  const second = digits(hms, 6, 2)
  if (hour < 0 || minute < 0 || second < 0) return null
  const fraction = hms.length > 9 ? fractionToMillis(hms.slice(9)) : 0
  const year = new Date(now).getUTCFullYear()
  const value = utcMillis(year, month, day, hour, minute, second, fraction, 0)
  if (value === null) return null
  if (value > now + 86_400_000) return utcMillis(year - 1, month, day, hour, minute, second, fraction, 0)
  return value
}
