/** Sizes in binary units as people read them: `512 B`, `1.5 KB`, `1 MB`, `84 MB`. */
export function bytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—'
  if (n < 1024) return `${Math.round(n)} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let i = 0
  while (v >= 1023.95 && i < units.length - 1) {
    v /= 1024
    i++
  }
  const shown = v < 9.95 ? String(Math.round(v * 10) / 10) : String(Math.round(v))
  return `${shown} ${units[i]}`
}
