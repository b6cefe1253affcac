/**
 * Is there an incident, and when did it start? Segments of constant failure rate are compared
 * with the best-behaved sustained period of the window (the reference rate); segments clearly
 * above it are elevated, adjacent ones form episodes (a burst, or a sustained rise).
 */
import { changePenalty, type RateModel, type Segment, segmentCost, segmentRates } from './segment'
import { countsIn, failingSeconds, rate, type Series } from './series'

export interface Episode {
  /** Bucket range [from, to). */
  from: number
  to: number
  /** First failure after the change, epoch ms (refined to the second). */
  start: number
  /** End of the last failing second. */
  end: number
  trials: number
  fails: number
  rate: number
  /** Failures above what the reference rate explains. */
  excess: number
  /** Lasts ≥ 10 min, or runs on to the end of the logs: a rise, not a burst. */
  sustained: boolean
}

export interface IncidentPicture {
  model: RateModel
  segments: Segment[]
  /** Rate of the best-behaved sustained period. */
  reference: number
  /** Rate outside the elevated episodes (0 when nothing is outside). */
  baseline: number
  episodes: Episode[]
  /** The episode with the most excess failures. */
  primary: Episode | null
  /** Start of the sustained rise (or of the first burst), epoch ms. */
  onset: number | null
  changePoints: number[]
  /** Enough failures above baseline to call it an incident. */
  present: boolean
  /** Failing at one steady level across the logs: no rise inside the window. */
  level: boolean
  overallRate: number
}

/** Failures an episode needs, all together, before it is an incident. */
export const MIN_INCIDENT_FAILURES = 5
/** A steady failure level is an incident from this many failures and (for requests) this rate. */
const MIN_LEVEL_FAILURES = 10
const MIN_LEVEL_RATE = 0.01
const SUSTAINED_MS = 10 * 60_000
const MIN_RISE_MS = 2 * 60_000

export function findIncident(s: Series): IncidentPicture {
  const model: RateModel = s.mode === 'app-errors' ? 'poisson' : 'binomial'
  const penalty = changePenalty(model, s.totalTrials, s.totalFails, s.trials.length)
  const segments = segmentRates(model, s.trials, s.fails, penalty)
  const reference = referenceRate(segments, s.totalTrials)
  const overallRate = s.totalTrials > 0 ? s.totalFails / s.totalTrials : 0
  const minDelta = model === 'binomial' ? 0.01 : 1 / 600
  const elevated = segments.map((g) => isElevated(model, g, reference, minDelta))

  const groups: [number, number][] = []
  for (let i = 0; i < segments.length; i++) {
    if (!elevated[i]) continue
    const prev = groups[groups.length - 1]
    // A one-bucket dip between two elevated stretches does not end the episode.
    if (prev !== undefined && (prev[1] === i - 1 || (prev[1] === i - 2 && segments[i - 1].to - segments[i - 1].from <= 1))) prev[1] = i
    else groups.push([i, i])
  }
  let episodes = groups.map(([a, b]) => toEpisode(s, model, segments.slice(a, b + 1), reference))
  let level = false
  if (episodes.length === 0 && s.totalFails >= MIN_LEVEL_FAILURES && (model === 'poisson' || overallRate >= MIN_LEVEL_RATE)) {
    const withFails = segments.filter((g) => g.fails > 0)
    const span: Segment[] = segments.slice(segments.indexOf(withFails[0]), segments.indexOf(withFails[withFails.length - 1]) + 1)
    episodes = [toEpisode(s, model, span, 0)]
    level = true
  }
  episodes = episodes.filter((e) => e.fails >= 3)
  const failing = episodes.reduce((n, e) => n + e.fails, 0)
  // A handful of 5xx inside a few seconds is a blip; a handful spread over minutes, or many, is not.
  const present = failing >= 2 * MIN_INCIDENT_FAILURES || (failing >= MIN_INCIDENT_FAILURES && episodes.some((e) => e.end - e.start >= MIN_RISE_MS))
  const primary = episodes.reduce<Episode | null>((best, e) => (best === null || e.excess > best.excess ? e : best), null)
  const onset = primary === null ? null : primary.sustained ? primary.start : episodes[0].start

  let outsideTrials = s.totalTrials
  let outsideFails = s.totalFails
  for (const e of episodes) {
    outsideTrials -= e.trials
    outsideFails -= e.fails
  }
  const minOutside = model === 'binomial' ? 30 : 60
  const baseline = outsideTrials >= minOutside ? Math.max(0, outsideFails) / outsideTrials : 0
  const changePoints = segments.slice(1).map((g) => s.buckets[g.from].t)
  return { model, segments, reference, baseline, episodes, primary, onset, changePoints, present, level, overallRate }
}

/** The lowest rate among segments long enough to stand for normal operation. */
function referenceRate(segments: Segment[], totalTrials: number): number {
  const enough = Math.max(Math.min(0.05 * totalTrials, 500), Math.min(30, totalTrials))
  let best: Segment | null = null
  for (const g of segments) if (g.trials >= enough && (best === null || g.rate < best.rate)) best = g
  if (best === null) for (const g of segments) if (best === null || g.trials > best.trials) best = g
  return best?.rate ?? 0
}

function isElevated(model: RateModel, g: Segment, r0: number, minDelta: number): boolean {
  if (g.fails < 3 || g.rate < 2 * r0 || g.rate - r0 < minDelta) return false
  const expected = r0 * g.trials
  const variance = model === 'binomial' ? expected * (1 - r0) : expected
  return (g.fails - expected) / Math.sqrt(Math.max(variance, 1)) >= 3
}

function toEpisode(s: Series, model: RateModel, segs: Segment[], r0: number): Episode {
  const from = segs[0].from
  const to = segs[segs.length - 1].to
  const fromMs = s.buckets[from].t
  const toMs = Math.min(s.to, s.buckets[to - 1].t + s.bucketMs)
  let trials = 0
  let fails = 0
  for (const g of segs) {
    trials += g.trials
    fails += g.fails
  }
  const start = refineStart(s, model, fromMs)
  const seconds = failingSeconds(s, fromMs, toMs)
  let lastFail = start
  for (const x of seconds) if (x.fails > 0) lastFail = x.second * 1000
  const end = Math.max(start, lastFail) + 1000
  const reachesEnd = to === s.buckets.length
  const sustained = end - start >= SUSTAINED_MS || (reachesEnd && end - start >= MIN_RISE_MS)
  return { from, to, start, end, trials, fails, rate: trials > 0 ? fails / trials : 0, excess: fails - r0 * trials, sustained }
}

/**
 * The second the rise began: the split of [bucket before, first elevated bucket] that best
 * separates a lower rate before from a higher one after, placed on a failing second.
 */
function refineStart(s: Series, model: RateModel, bucketStart: number): number {
  const a = Math.max(s.from, bucketStart - s.bucketMs)
  const b = Math.min(s.to, bucketStart + s.bucketMs)
  const seconds = failingSeconds(s, a, b)
  let bestCost = Infinity
  let best = bucketStart
  for (const x of seconds) {
    if (x.fails === 0) continue
    const at = x.second * 1000
    const before = countsIn(s, a, at)
    const after = countsIn(s, at, b)
    if (before.trials > 0 && rate(after) <= rate(before)) continue
    const cost = segmentCost(model, before.trials, before.fails) + segmentCost(model, after.trials, after.fails)
    if (cost < bestCost - 1e-9) {
      bestCost = cost
      best = at
    }
  }
  return best
}
