/** Counts, percentages and per-minute rates as an on-call engineer reads them. */

/** Two significant digits, trailing zeros dropped: 0.23, 2.5, 0.004 (never exponent notation). */
function twoDigits(x: number): string {
  const text = x.toFixed(Math.min(20, Math.max(0, 1 - Math.floor(Math.log10(x)))))
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text
}

/** `1,500`; fractions round to a whole number (a count of lines per second is still a count). */
export function count(n: number): string {
  if (!Number.isFinite(n)) return '—'
  return Math.round(n).toLocaleString('en-US')
}

/** `1 request`, `1,500 requests`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${count(n)} ${Math.round(n) === 1 ? one : many}`

/**
 * A rate in [0, 1] as a percentage with two significant digits below 10%, so a small rate never
 * reads as 0%: 0.0023 → `0.23%`, 0.025 → `2.5%`, 0.31 → `31%`, 0 → `0%`, 1 → `100%`.
 */
export function percent(rate: number): string {
  if (!Number.isFinite(rate)) return '—'
  if (rate < 0) return `-${percent(-rate)}`
  const p = rate * 100
  if (p === 0) return '0%'
  if (p >= 9.95) return `${Math.round(p)}%`
  return `${twoDigits(p)}%`
}

/** Events per minute: `12/min`, `4.2/min`, `0.35/min`. */
export function perMinute(n: number): string {
  if (!Number.isFinite(n)) return '—'
  if (n < 0) return `-${perMinute(-n)}`
  if (n === 0) return '0/min'
  if (n >= 9.95) return `${count(n)}/min`
  return `${twoDigits(n)}/min`
}
