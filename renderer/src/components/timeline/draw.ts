import type { Bin } from './rebucket'

export interface TimelineColors {
  requests: string
  s500: string
  s502: string
  s503: string
  s504: string
  other5xx: string
  grid: string
}

/** The two lanes of the chart: request volume on top, 5xx by status below, each on its own scale. */
export const REQUEST_LANE = 0.3
const GAP = 6

/** The subset of CanvasRenderingContext2D the timeline uses (so it can be measured without a canvas). */
export type DrawContext = Pick<CanvasRenderingContext2D, 'clearRect' | 'fillRect' | 'fillStyle' | 'setTransform'>

/** A round number at or above `n` (1, 2, 5 × 10^k), so a lane's scale reads as a plain figure. */
export function niceCeil(n: number): number {
  if (n <= 1) return 1
  const p = 10 ** Math.floor(Math.log10(n))
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p
  return 10 * p
}

/**
 * The full height of each lane, in requests per bar. The 5xx lane is not stretched to its own
 * peak when errors are rare: it is at least a tenth of the request peak, so 3 × 500 among 10k
 * requests draw as low bars, not as full-height red ones.
 */
export function laneScales(bins: readonly Bin[]): { requests: number; s5xx: number } {
  let maxTotal = 0
  let max5xx = 0
  for (const b of bins) {
    if (b.total > maxTotal) maxTotal = b.total
    if (b.s5xx > max5xx) max5xx = b.s5xx
  }
  return { requests: niceCeil(maxTotal), s5xx: niceCeil(Math.max(max5xx, maxTotal / 10)) }
}

/**
 * Draws bins as bars; cost is linear in the number of bins (bounded by the canvas width),
 * never in the number of requests or source buckets.
 */
export function drawTimeline(
  ctx: DrawContext,
  bins: readonly Bin[],
  width: number,
  height: number,
  colors: TimelineColors,
  dpr = 1,
  scales = laneScales(bins)
): { maxTotal: number; max5xx: number } {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
  ctx.clearRect(0, 0, width, height)
  const maxTotal = scales.requests
  const max5xx = scales.s5xx
  const laneA = Math.floor(height * REQUEST_LANE) - GAP / 2
  const laneBTop = laneA + GAP
  const laneB = height - laneBTop
  ctx.fillStyle = colors.grid
  ctx.fillRect(0, laneA + GAP / 2, width, 1)
  if (bins.length === 0) return { maxTotal, max5xx }
  const w = width / bins.length
  const barW = Math.max(1, w - (w > 4 ? 1 : 0))
  for (let i = 0; i < bins.length; i++) {
    const b = bins[i]
    const x = i * w
    if (b.total > 0 && maxTotal > 0) {
      const h = Math.max(1, Math.min(1, b.total / maxTotal) * laneA)
      ctx.fillStyle = colors.requests
      ctx.fillRect(x, laneA - h, barW, h)
    }
    if (b.s5xx > 0 && max5xx > 0) {
      // Stacked from the bottom: 500, 502, 503, 504, then any other 5xx.
      let y = height
      const parts: [number, string][] = [
        [b.s500, colors.s500],
        [b.s502, colors.s502],
        [b.s503, colors.s503],
        [b.s504, colors.s504],
        [b.other5xx, colors.other5xx]
      ]
      for (const [n, color] of parts) {
        if (n <= 0) continue
        const h = Math.max(1, Math.min(1, n / max5xx) * laneB)
        ctx.fillStyle = color
        ctx.fillRect(x, y - h, barW, h)
        y -= h
      }
    }
  }
  return { maxTotal, max5xx }
}
