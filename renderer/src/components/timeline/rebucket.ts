import type { TimelineBucket } from '../../../../shared/contract'

export interface Bin {
  t: number
  total: number
  s5xx: number
  s500: number
  s502: number
  s503: number
  s504: number
  /** 5xx with another status (501, 505…): counted so the stack adds up to s5xx. */
  other5xx: number
}

export interface Rebucketed {
  binMs: number
  bins: Bin[]
}

/** First index whose bucket starts at or after `t` (buckets sorted by t). */
export function lowerBound(buckets: readonly TimelineBucket[], t: number): number {
  let lo = 0
  let hi = buckets.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (buckets[mid].t < t) lo = mid + 1
    else hi = mid
  }
  return lo
}

/**
 * Merges the snapshot's buckets that fall in [from, to) into at most `maxBins` bins whose
 * width is a whole multiple of the source bucket, so a zoomed-in view shows the real
 * buckets and a zoomed-out one sums them. Only the visible buckets are visited.
 */
export function rebucket(buckets: readonly TimelineBucket[], bucketMs: number, from: number, to: number, maxBins: number): Rebucketed {
  const span = Math.max(to - from, bucketMs)
  const perBin = Math.max(1, Math.ceil(span / Math.max(1, maxBins) / bucketMs))
  const binMs = perBin * bucketMs
  const start = Math.floor(from / binMs) * binMs
  const count = Math.ceil((to - start) / binMs)
  const bins: Bin[] = Array.from({ length: Math.max(0, count) }, (_, i) => ({ t: start + i * binMs, total: 0, s5xx: 0, s500: 0, s502: 0, s503: 0, s504: 0, other5xx: 0 }))
  for (let i = lowerBound(buckets, start); i < buckets.length; i++) {
    const b = buckets[i]
    if (b.t >= to) break
    const bin = bins[Math.floor((b.t - start) / binMs)]
    if (!bin) continue
    bin.total += b.total
    bin.s5xx += b.s5xx
    bin.s500 += b.s500
    bin.s502 += b.s502
    bin.s503 += b.s503
    bin.s504 += b.s504
    bin.other5xx += Math.max(0, b.s5xx - b.s500 - b.s502 - b.s503 - b.s504)
  }
  return { binMs, bins }
}

export interface TimeWindow {
  from: number
  to: number
}

/** The window zoomed by `factor` (<1 zooms in) around `at`, kept inside `full`. */
export function zoomWindow(view: TimeWindow, full: TimeWindow, factor: number, at = (view.from + view.to) / 2, minSpan = 1000): TimeWindow {
  const span = Math.min(full.to - full.from, Math.max(minSpan, (view.to - view.from) * factor))
  const ratio = (at - view.from) / (view.to - view.from || 1)
  return clampWindow({ from: at - span * ratio, to: at - span * ratio + span }, full)
}

/** The window moved by `deltaMs`, kept inside `full`. */
export function panWindow(view: TimeWindow, full: TimeWindow, deltaMs: number): TimeWindow {
  return clampWindow({ from: view.from + deltaMs, to: view.to + deltaMs }, full)
}

export function clampWindow(w: TimeWindow, full: TimeWindow): TimeWindow {
  const span = Math.min(w.to - w.from, full.to - full.from)
  let from = Math.max(full.from, w.from)
  if (from + span > full.to) from = full.to - span
  return { from, to: from + span }
}
