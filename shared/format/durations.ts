/**
 * A length of time in the two largest units that matter: `850 ms`, `1.5 s`, `45 s`,
 * `1 min 15 s`, `1 h 30 min`, `8 d 8 h`. The smaller unit is dropped when it is zero.
 */
export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—'
  const wholeMs = Math.round(ms)
  if (wholeMs < 1000) return `${wholeMs} ms`
  const tenths = Math.round(ms / 100) / 10
  if (tenths < 10) return `${String(tenths)} s`
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  if (s < 3600) return pair(Math.floor(s / 60), 'min', s % 60, 's')
  const m = Math.round(s / 60)
  if (m < 24 * 60) return pair(Math.floor(m / 60), 'h', m % 60, 'min')
  const h = Math.round(m / 60)
  return pair(Math.floor(h / 24), 'd', h % 24, 'h')
}

const pair = (big: number, bigUnit: string, small: number, smallUnit: string): string =>
  small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`
