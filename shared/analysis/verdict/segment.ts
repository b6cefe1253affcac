/**
 * Change points of the failure rate: optimal partitioning of the buckets into segments of
 * constant rate (exact dynamic programming, O(buckets²), at most ~240 buckets). The cost of a
 * segment is its negative log-likelihood — binomial for failures out of requests, Poisson for
 * errors per unit of time — and every extra segment pays a BIC-like penalty, so a lone 500
 * never opens a segment of its own while a real rise or a burst does.
 */

export type RateModel = 'binomial' | 'poisson'

export interface Segment {
  /** Bucket range [from, to). */
  from: number
  to: number
  trials: number
  fails: number
  rate: number
}

const xlogx = (x: number, y: number): number => (x > 0 ? x * Math.log(x / y) : 0)

/** −2 · log-likelihood of `fails` in `trials` at their own best rate. */
export function segmentCost(model: RateModel, trials: number, fails: number): number {
  if (trials <= 0) return 0
  if (model === 'poisson') return -2 * (xlogx(fails, trials) - fails)
  return -2 * (xlogx(fails, trials) + xlogx(trials - fails, trials))
}

export function changePenalty(model: RateModel, totalTrials: number, totalFails: number, buckets: number): number {
  const n = model === 'binomial' ? totalTrials : totalFails + buckets
  return Math.max(12, 2 * Math.log(Math.max(n, 2)))
}

export function segmentRates(model: RateModel, trials: Float64Array, fails: Float64Array, penalty: number): Segment[] {
  const n = trials.length
  const cumT = new Float64Array(n + 1)
  const cumF = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) {
    cumT[i + 1] = cumT[i] + trials[i]
    cumF[i + 1] = cumF[i] + fails[i]
  }
  const best = new Float64Array(n + 1)
  const last = new Int32Array(n + 1)
  best[0] = -penalty
  for (let t = 1; t <= n; t++) {
    let min = Infinity
    let arg = 0
    for (let s = 0; s < t; s++) {
      const c = best[s] + segmentCost(model, cumT[t] - cumT[s], cumF[t] - cumF[s]) + penalty
      // Strictly smaller: ties keep the earliest split, so the result is the same on every run.
      if (c < min - 1e-9) {
        min = c
        arg = s
      }
    }
    best[t] = min
    last[t] = arg
  }
  const out: Segment[] = []
  for (let t = n; t > 0; t = last[t]) {
    const s = last[t]
    const tr = cumT[t] - cumT[s]
    const f = cumF[t] - cumF[s]
    out.push({ from: s, to: t, trials: tr, fails: f, rate: tr > 0 ? f / tr : 0 })
  }
  return out.reverse()
}
