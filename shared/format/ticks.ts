/**
 * Time-axis ticks and ranges that say which day they are on: a 3.5-day log reads
 * "Mon 2 Dec 10:00 … Thu 5 Dec 06:00", logs years apart carry the year, and the zone is named.
 */
import { fromWallTime, offsetName, wallTime, type WallTime } from './zoned'

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number): string => String(n).padStart(2, '0')

const S = 1000
const M = 60 * S
const H = 60 * M
const D = 24 * H
/** Steps below a day, aligned on the local clock; a day and more align on local midnights, months on the 1st. */
const CLOCK_STEPS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, H, 2 * H, 3 * H, 6 * H, 12 * H]
const DAY_STEPS = [1, 2, 7, 14]
const MONTH_STEPS = [1, 3, 6, 12, 24, 60, 120]

export interface Tick {
  t: number
  /** The clock (`10:00`, `10:00:30`), or the day/month for steps of a day and more. */
  label: string
  /** The date when it changed since the tick before (and on the first tick): `Mon 2 Dec`, with the year when the range spans years. */
  date: string | null
}

export type TickStep = { unit: 'ms'; ms: number } | { unit: 'day'; days: number } | { unit: 'month'; months: number }

/** The smallest step giving at most `maxTicks` ticks over the span. */
export function tickStep(span: number, maxTicks: number): TickStep {
  const want = span / Math.max(1, maxTicks)
  for (const ms of CLOCK_STEPS) if (ms >= want) return { unit: 'ms', ms }
  for (const days of DAY_STEPS) if (days * D >= want) return { unit: 'day', days }
  for (const months of MONTH_STEPS) if (months * 30.44 * D >= want) return { unit: 'month', months }
  return { unit: 'month', months: Math.ceil(want / (365.25 * D)) * 12 }
}

export interface DateStyle {
  /** Print the year: the range spans more than one year. */
  year: boolean
}

export const dateStyleFor = (from: number, to: number, zone: string): DateStyle => ({ year: wallTime(from, zone).year !== wallTime(to, zone).year })

/** `Mon 2 Dec`, or `Mon 2 Dec 2024` with the year. */
export function dayText(w: WallTime, style: DateStyle): string {
  return `${WEEKDAYS[w.weekday]} ${w.day} ${MONTHS[w.month - 1]}${style.year ? ` ${w.year}` : ''}`
}

export function clockText(w: WallTime, seconds: boolean): string {
  return `${two(w.hour)}:${two(w.minute)}${seconds ? `:${two(w.second)}` : ''}`
}

function firstTick(from: number, step: TickStep, zone: string): WallTime {
  const w = wallTime(from, zone)
  if (step.unit === 'month') {
    const months = (w.year * 12 + w.month - 1) - ((w.year * 12 + w.month - 1) % step.months)
    return { ...w, year: Math.floor(months / 12), month: (months % 12) + 1, day: 1, hour: 0, minute: 0, second: 0 }
  }
  if (step.unit === 'day') {
    // Whole days from a fixed epoch day, so a 2-day step lands on the same days whatever the window.
    const dayNo = Math.floor(Date.UTC(w.year, w.month - 1, w.day) / D)
    const aligned = new Date((dayNo - (((dayNo % step.days) + step.days) % step.days)) * D)
    return { ...w, year: aligned.getUTCFullYear(), month: aligned.getUTCMonth() + 1, day: aligned.getUTCDate(), hour: 0, minute: 0, second: 0 }
  }
  const secOfDay = w.hour * 3600 + w.minute * 60 + w.second
  const stepS = step.ms / 1000
  const aligned = secOfDay - (secOfDay % stepS)
  return { ...w, hour: Math.floor(aligned / 3600), minute: Math.floor((aligned % 3600) / 60), second: aligned % 60 }
}

type WallParts = Pick<WallTime, 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second'>

function advance(w: WallParts, step: TickStep): WallParts {
  if (step.unit === 'month') {
    const m = w.year * 12 + w.month - 1 + step.months
    return { year: Math.floor(m / 12), month: (m % 12) + 1, day: 1, hour: 0, minute: 0, second: 0 }
  }
  if (step.unit === 'day') {
    const d = new Date(Date.UTC(w.year, w.month - 1, w.day + step.days))
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }
  }
  // Wall-clock arithmetic (Date.UTC normalises the overflow), so ticks stay on round local times across DST.
  const d = new Date(Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) + step.ms)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
}

/** Ticks inside [from, to] in the zone: at most about `maxTicks`, on round local times. */
export function timeTicks(from: number, to: number, maxTicks: number, zone: string): Tick[] {
  if (!(to > from)) return []
  const step = tickStep(to - from, maxTicks)
  const style = dateStyleFor(from, to, zone)
  const seconds = step.unit === 'ms' && step.ms < M
  const ticks: Tick[] = []
  let wall: WallParts = firstTick(from, step, zone)
  let lastDay = ''
  for (let guard = 0; guard < 1000; guard++) {
    const t = fromWallTime(wall, zone)
    if (t > to) break
    if (t >= from) {
      const w = wallTime(t, zone)
      const day = dayText(w, style)
      const label = step.unit === 'month' ? `${MONTHS[w.month - 1]}${w.month === 1 || style.year ? ` ${w.year}` : ''}` : step.unit === 'day' ? day : clockText(w, seconds)
      ticks.push({ t, label, date: step.unit === 'ms' && day !== lastDay ? day : null })
      lastDay = day
    }
    wall = advance(wall, step)
  }
  return ticks
}

export interface ZonedClockOptions {
  /** Print the date (`Mon 2 Dec`), and the year with it when `year` is set. */
  date?: boolean
  year?: boolean
  seconds?: boolean
  /** Append the zone as an offset (`UTC+1`). */
  zone?: boolean
}

/** One instant in the zone: `Mon 2 Dec 10:00:07 UTC+1`, as much of it as asked. */
export function zonedClock(t: number | null, zone: string, options: ZonedClockOptions = {}): string {
  if (t === null || !Number.isFinite(t)) return '—'
  const w = wallTime(t, zone)
  const date = options.date ? `${dayText(w, { year: options.year === true })} ` : ''
  return `${date}${clockText(w, options.seconds !== false)}${options.zone ? ` ${offsetName(w.offsetMin)}` : ''}`
}

/**
 * A window as text in the zone: `Mon 2 Dec 10:00 – Thu 5 Dec 06:52 UTC+1`, the second date left out
 * when both ends are on one day, years shown when they differ.
 */
export function zonedRange(from: number, to: number, zone: string, options: { seconds?: boolean } = {}): string {
  const a = wallTime(from, zone)
  const b = wallTime(to, zone)
  const style = dateStyleFor(from, to, zone)
  const seconds = options.seconds !== false
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day
  return `${dayText(a, style)} ${clockText(a, seconds)} – ${sameDay ? '' : `${dayText(b, style)} `}${clockText(b, seconds)} ${offsetName(b.offsetMin)}`
}
