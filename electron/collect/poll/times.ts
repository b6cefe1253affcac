/** Times as endpoints and evidence files write them. */
import { saneTime } from '../formats/time'

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/

/**
 * Epoch ms of an ISO-8601 date or date-time, or null when the text is not one (or names a
 * day that does not exist). A time without an offset is read as UTC, never as this machine's
 * local time, so a file means the same on every machine.
 */
export function parseIsoTime(text: string): number | null {
  const m = ISO_8601.exec(text.trim())
  if (!m) return null
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h)
  const minute = Number(mi)
  const second = Number(s)
  if (month < 1 || month > 12 || day < 1 || hour > 24 || minute > 59 || second > 60) return null
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0
  let utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms)
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0')
    utc -= sign * offsetMin * 60_000
  }
  return saneTime(utc)
}

/**
 * Epoch ms from a JSON time value: ISO-8601 text or a number (epoch seconds when it is too
 * small to be milliseconds after 1973, as some git.properties write it). Null when neither.
 */
export function parseTimeValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return saneTime(value < 1e11 ? value * 1000 : value)
  if (typeof value === 'string') return parseIsoTime(value)
  return null
}
