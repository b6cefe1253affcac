/**
 * Wall-clock parts of an instant in a named time zone (IANA, e.g. `Europe/Berlin`), read through
 * Intl so it works alike in Node and the browser. The timeline speaks the engineer's local time
 * and names the zone; everything else in the app stays UTC.
 */

export interface WallTime {
  year: number
  month: number
  day: number
  weekday: number
  hour: number
  minute: number
  second: number
  /** Offset from UTC at that instant, in minutes (east positive). */
  offsetMin: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
    formatters.set(zone, f)
  }
  return f
}

/** Whether Intl knows the zone: an unknown one falls back to UTC rather than throwing. */
export function knownZone(zone: string): string {
  try {
    formatter(zone)
    return zone
  } catch {
    return 'UTC'
  }
}

export function wallTime(t: number, zone: string): WallTime {
  const parts: Record<string, number> = {}
  for (const p of formatter(knownZone(zone)).formatToParts(new Date(t))) if (p.type !== 'literal') parts[p.type] = Number(p.value)
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second)
  const offsetMin = Math.round((asUtc - Math.floor(t / 1000) * 1000) / 60_000)
  const weekday = new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay()
  return { year: parts.year, month: parts.month, day: parts.day, weekday, hour: parts.hour, minute: parts.minute, second: parts.second, offsetMin }
}

/** The instant a local wall-clock time names in the zone (the later one in a DST overlap, the shifted one in a gap). */
export function fromWallTime(w: Pick<WallTime, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'>, zone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second)
  // Two passes settle the offset on either side of a DST change.
  let t = asUtc - wallTime(asUtc, zone).offsetMin * 60_000
  t = asUtc - wallTime(t, zone).offsetMin * 60_000
  return t
}

/** `UTC`, `UTC+1`, `UTC−5:30`: the zone as the offset it has at that instant. */
export function offsetName(offsetMin: number): string {
  if (offsetMin === 0) return 'UTC'
  const sign = offsetMin > 0 ? '+' : '−'
  const abs = Math.abs(offsetMin)
  const h = Math.floor(abs / 60)
  const m = abs % 60
  return `UTC${sign}${h}${m ? `:${String(m).padStart(2, '0')}` : ''}`
}

/** The zone this process (or page) runs in. */
export function localZone(): string {
  return knownZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')
}
