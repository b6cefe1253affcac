/** Do the failures follow request volume? The one test both the traffic sub-pattern and the capacity checks read. */
import { coefficientOfVariation, pearson, quantile } from './stats'
import type { Series } from './series'

export interface LoadTracking {
  /** Correlation of requests and failures per bucket. */
  rFails: number
  /** Correlation of requests and the failure rate: a constant rate also makes more 5xx at peaks. */
  rRate: number
  /** Share of the failures in the busiest quarter of the buckets. */
  busyShare: number
  strength: number
}

const bySeries = new WeakMap<Series, LoadTracking | null>()

export function loadTracking(s: Series | null): LoadTracking | null {
  if (s === null || s.mode === 'app-errors') return null
  if (!bySeries.has(s)) bySeries.set(s, compute(s))
  return bySeries.get(s) ?? null
}

function compute(s: Series): LoadTracking | null {
  const totals: number[] = []
  const fails: number[] = []
  const rates: number[] = []
  for (let i = 0; i < s.trials.length; i++) {
    if (s.trials[i] <= 0) continue
    totals.push(s.trials[i])
    fails.push(s.fails[i])
    rates.push(s.fails[i] / s.trials[i])
  }
  if (totals.length < 8 || coefficientOfVariation(totals) < 0.25) return null
  const rFails = pearson(totals, fails)
  const rRate = pearson(totals, rates)
  const busy = quantile(totals, 0.75)
  let inBusy = 0
  let all = 0
  for (let i = 0; i < totals.length; i++) {
    all += fails[i]
    if (totals[i] >= busy) inBusy += fails[i]
  }
  const busyShare = all > 0 ? inBusy / all : 0
  if (rFails < 0.6 || rRate < 0.4 || busyShare < 0.5) return null
  return { rFails, rRate, busyShare, strength: Math.min(1, (rFails + rRate) / 2) }
}
