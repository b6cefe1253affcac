/** Numbers, times and durations as a report states them (UTC, so every reader sees the same clock). */

export const count = (n: number): string => n.toLocaleString('en-US')

export function pct(x: number): string {
  if (!Number.isFinite(x)) return '—'
  const p = x * 100
  return `${p > 0 && p < 0.1 ? p.toFixed(2) : p.toFixed(1)}%`
}

const pad = (n: number): string => String(n).padStart(2, '0')

/** `2026-05-01 12:03:04 UTC`; text that is not a time is shown as it is. */
export function time(value: string | number | null): string {
  if (value === null) return '—'
  const d = new Date(value)
  if (Number.isNaN(d.getTime())) return String(value)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`
}

/** `12:03` or `05-01 12:03` when the span covers more than a day. */
export function clock(ms: number, withDate: boolean): string {
  const d = new Date(ms)
  const hm = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
  return withDate ? `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${hm}` : hm
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min`
  const h = Math.floor(m / 60)
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`
  return `${Math.floor(h / 24)} d ${h % 24} h`
}

export const toMs = (iso: string): number => new Date(iso).getTime()

export const redactionSummary = (n: number): string =>
  n === 0 ? 'redaction on: no secrets or personal data found' : `secrets and personal data redacted (${count(n)} value${n === 1 ? '' : 's'})`

/** Sizes as people read them: 512 B, 1.5 KB, 84 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}
