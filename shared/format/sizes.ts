import { percent } from './numbers'

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

/**
 * What a store's reads cost: the bytes that crossed the wire beside what the engine scanned for
 * them, with the share when both are known (`0.5 MB moved of 1.7 GB scanned by the engine (0.03%)`).
 */
export function storeCost(bytesMoved: number, scannedBytes: number | null): string {
  if (scannedBytes === null) return `${bytes(bytesMoved)} moved; the engine did not say what it scanned`
  const share = scannedBytes > 0 ? ` (${percent(bytesMoved / scannedBytes)})` : ''
  return `${bytes(bytesMoved)} moved of ${bytes(scannedBytes)} scanned by the engine${share}`
}
