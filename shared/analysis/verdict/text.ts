/** Wording helpers for reasons: numbers an on-call engineer reads at a glance. */

export const iso = (t: number): string => new Date(t).toISOString()
export const isoOrNull = (t: number | null): string | null => (t === null ? null : iso(t))

/** 0.0023 → "0.23%", 0.31 → "31%", 0 → "0%". */
export function pct(x: number): string {
  if (!Number.isFinite(x) || x <= 0) return '0%'
  const p = x * 100
  if (p >= 10) return `${Math.round(p)}%`
  if (p >= 1) return `${p.toFixed(1).replace(/\.0$/, '')}%`
  return `${p.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}%`
}

export const count = (n: number): string => Math.round(n).toLocaleString('en-US')

export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${n === 1 ? one : many}`

/** 45_000 → "45 s", 130_000 → "2 min", 5_400_000 → "1 h 30 min". */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 90) return `${s} s`
  const min = Math.round(s / 60)
  if (min < 90) return `${min} min`
  const h = Math.floor(min / 60)
  const rest = min % 60
  if (h < 48) return rest === 0 ? `${h} h` : `${h} h ${rest} min`
  return `${Math.round(h / 24)} days`
}

/** Clock times: `14:02:10Z`, with the date when the evidence spans more than one day. */
export function clockFormat(from: number | null, to: number | null): (t: number) => string {
  const sameDay = from !== null && to !== null && iso(from).slice(0, 10) === iso(to).slice(0, 10)
  return (t: number): string => {
    const text = iso(t)
    return sameDay ? `${text.slice(11, 19)}Z` : `${text.slice(0, 10)} ${text.slice(11, 19)}Z`
  }
}

export const round = (x: number, digits = 4): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The first line of a text, capped, for quoting an error in a sentence. */
export function quote(text: string, max = 120): string {
  const line = text.split(/\r?\n/, 1)[0].trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
