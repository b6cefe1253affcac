/**
 * The 5xx rate over time as inline SVG (HTML report) and as a one-line sparkline (Markdown),
 * built from the analysis' timeline buckets, with deploys and the onset marked.
 */
import type { TimelineBucket } from '../contract/analysis'
import type { ChartFact } from './facts'
import { clock, duration, percent, spansDays } from '../format'

const WIDTH = 960
const HEIGHT = 240
const PAD = { left: 56, right: 20, top: 36, bottom: 36 }
const MAX_POINTS = 480

interface Point {
  t: number
  total: number
  s5xx: number
}

/** Merges neighbouring buckets so a long incident still draws at most MAX_POINTS points. */
function downsample(buckets: TimelineBucket[], bucketMs: number, maxPoints: number): { points: Point[]; stepMs: number } {
  const sorted = [...buckets].sort((a, b) => a.t - b.t)
  const k = Math.max(1, Math.ceil(sorted.length / maxPoints))
  const points: Point[] = []
  for (let i = 0; i < sorted.length; i += k) {
    const chunk = sorted.slice(i, i + k)
    points.push({ t: chunk[0].t, total: chunk.reduce((s, b) => s + b.total, 0), s5xx: chunk.reduce((s, b) => s + b.s5xx, 0) })
  }
  return { points, stepMs: bucketMs * k }
}

const rateOf = (p: Point): number => (p.total > 0 ? p.s5xx / p.total : 0)

/** A round ceiling for the y axis: 1%, 2%, 5%, 10%, 20%, 25%, 50%, 100%. */
function axisMax(maxRate: number): number {
  for (const step of [0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1]) if (maxRate <= step) return step
  return 1
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const f1 = (n: number): string => n.toFixed(1)

export function chartSvg(chart: ChartFact): string {
  const { points, stepMs } = downsample(chart.buckets, chart.bucketMs, MAX_POINTS)
  const t0 = points[0].t
  const t1 = points[points.length - 1].t + stepMs
  const span = Math.max(1, t1 - t0)
  const innerW = WIDTH - PAD.left - PAD.right
  const innerH = HEIGHT - PAD.top - PAD.bottom
  const yMax = axisMax(Math.max(...points.map(rateOf)))
  const x = (t: number): number => PAD.left + ((t - t0) / span) * innerW
  const y = (rate: number): number => PAD.top + innerH - (rate / yMax) * innerH
  const withDate = spansDays(t0, t1)

  // A step line: each bucket is flat across its width, so short spikes stay visible.
  const path: string[] = []
  points.forEach((p, i) => {
    const r = y(rateOf(p))
    path.push(`${i === 0 ? 'M' : 'L'}${f1(x(p.t))},${f1(r)}`, `L${f1(x(p.t + stepMs))},${f1(r)}`)
  })
  const base = f1(y(0))
  const area = `${path.join(' ')} L${f1(x(t1))},${base} L${f1(x(t0))},${base} Z`

  const parts: string[] = []
  for (const frac of [0, 0.5, 1]) {
    const gy = f1(y(yMax * frac))
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${gy}" y2="${gy}"/>`)
    parts.push(`<text class="axis" x="${PAD.left - 8}" y="${gy}" text-anchor="end" dominant-baseline="middle">${percent(yMax * frac)}</text>`)
  }
  for (const frac of [0, 0.25, 0.5, 0.75, 1]) {
    const t = t0 + span * frac
    const anchor = frac === 0 ? 'start' : frac === 1 ? 'end' : 'middle'
    parts.push(`<text class="axis" x="${f1(x(t))}" y="${HEIGHT - PAD.bottom + 20}" text-anchor="${anchor}">${clock(t, { date: withDate, seconds: false, zone: false })}</text>`)
  }
  parts.push(`<path class="area" d="${area}"/>`, `<path class="rate" d="${path.join(' ')}"/>`)

  const inRange = (t: number): boolean => t >= t0 && t <= t1
  if (chart.onset !== null && inRange(chart.onset)) {
    const ox = f1(x(chart.onset))
    parts.push(`<line class="onset" x1="${ox}" x2="${ox}" y1="${PAD.top}" y2="${base}"/>`)
    parts.push(`<text class="onset-label" x="${ox}" y="${PAD.top + 12}" dx="4">onset</text>`)
  }
  const deploys = chart.deploys.filter((d) => inRange(d.at))
  deploys.forEach((d, i) => {
    const dx = f1(x(d.at))
    const labelled = deploys.length <= 8
    // Neighbouring labels alternate between two rows so close deploys stay readable.
    const labelY = i % 2 === 0 ? 12 : 26
    parts.push(`<g class="deploy"><title>Deploy ${esc(d.version)} at ${clock(d.at, { date: true, seconds: false })}</title><line x1="${dx}" x2="${dx}" y1="${labelY + 4}" y2="${base}"/>`)
    if (labelled) parts.push(`<text x="${dx}" y="${labelY}" text-anchor="middle">${esc(d.version)}</text>`)
    parts.push('</g>')
  })

  const caption = `5xx rate per ${duration(stepMs)} from ${clock(t0, { date: true, seconds: false, zone: false })} to ${clock(t1, { date: true, seconds: false })}; peak ${percent(Math.max(...points.map(rateOf)))}${deploys.length ? `; ${deploys.length} deploy${deploys.length === 1 ? '' : 's'} marked` : ''}`
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title"><title id="chart-title">${esc(caption)}</title>${parts.join('')}</svg>`
}

const SPARKS = '▁▂▃▄▅▆▇█'

/** `▁▁▂▇██▅▂` (at most `width` characters), scaled to the peak rate. */
export function sparkline(chart: ChartFact, width = 60): { line: string; from: number; to: number; peak: number; stepMs: number } {
  const { points, stepMs } = downsample(chart.buckets, chart.bucketMs, width)
  const peak = Math.max(...points.map(rateOf))
  const line = points.map((p) => (peak > 0 ? SPARKS[Math.min(SPARKS.length - 1, Math.floor((rateOf(p) / peak) * (SPARKS.length - 1) + 0.5))] : SPARKS[0])).join('')
  return { line, from: points[0].t, to: points[points.length - 1].t + stepMs, peak, stepMs }
}
