/** Wording shared by the runbook steps: UTC clock times, rates and counts as an engineer reads them. */

const two = (n: number): string => String(n).padStart(2, '0')

/** `14:02:07 UTC` from epoch ms or an ISO string; `?` when unreadable. */
export function clock(t: number | string | null): string {
  if (t === null) return '?'
  const d = new Date(t)
  if (Number.isNaN(d.getTime())) return '?'
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`
}

/** `14:02` (no seconds, no zone) for decision wording. */
export function hhmm(t: number | string): string {
  const d = new Date(t)
  if (Number.isNaN(d.getTime())) return '?'
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`
}

/** A rate in [0,1] as a percentage with precision where it matters: 0.04%, 2.5%, 23%. */
export function percent(rate: number): string {
  const p = rate * 100
  if (p === 0) return '0%'
  // Thresholds sit where rounding would carry into the next precision (9.96 → "10%", not "10.0%").
  if (p < 0.095) return `${p.toFixed(2)}%`
  if (p < 9.95) return `${p.toFixed(1)}%`
  return `${Math.round(p)}%`
}

export { count } from '../report/format'

/** `7 min`, `45 s`, `2 h 5 min` between two instants. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`
}
