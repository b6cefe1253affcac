/**
 * Intermittent 5xx — bursts that predate the last deploy — and what they follow:
 * `data` (a few ids / users / records), `traffic` (request volume: resource exhaustion),
 * `time-of-day` (the same clock window every hour or every day: a scheduled job, an external
 * rate limit), else `unknown`.
 */
import type { AnalysisV1, EvidenceRef, Finding, Reason } from '../../contract/analysis'
import { type Context, CLOCK_SLACK_MS, finding, rateText, ref } from '../../analysis/verdict/context'
import { eventText, headline, MAX_SCANNED, spread } from '../../analysis/verdict/event-text'
import { isCapacity, type PoolSaturation, poolSaturation } from '../../analysis/verdict/saturation'
import { quote } from '../../analysis/verdict/text'
import type { Episode } from '../../analysis/verdict/incident'
import { idsInMessage, idsInPath, type RecordId, recordIdLabel } from '../../analysis/verdict/ids'
import { loadTracking } from '../../analysis/verdict/traffic'
import { clock, count, duration, percent, plural } from '../../format'

export type IntermittentField = NonNullable<AnalysisV1['intermittent']>

interface PatternResult {
  strength: number
  reason: Reason
}

// ---- data -------------------------------------------------------------------------------

interface DataResult extends PatternResult {
  keys: string[]
}

const MAX_KEYS = 5
const MIN_KEYED = 8
const MIN_KEY_COVERAGE = 0.5

function dataPattern(ctx: Context, windows: Episode[]): DataResult | null {
  // Each failing item (request or error) and the ids it is about (their values: one record read
  // from a path segment and from a query key is one id).
  const items: { ids: string[]; route: string | null }[] = []
  // How each id is shown: under the first name it was read with (`user_id=4242`), else bare.
  const labels = new Map<string, string>()
  const values = (ids: RecordId[]): string[] => {
    for (const id of ids) {
      const shown = labels.get(id.value)
      if (shown === undefined || (shown === id.value && id.name !== null)) labels.set(id.value, recordIdLabel(id))
    }
    return [...new Set(ids.map((id) => id.value))]
  }
  for (const r of spread(ctx.input.requests.failing, MAX_SCANNED)) {
    const ids = idsInPath(r.path)
    if (ids.length > 0) items.push({ ids: values(ids), route: `${r.method} ${r.route}` })
  }
  if (items.length < MIN_KEYED)
    for (const e of ctx.scanned) {
      if (windows.length > 0 && e.time !== null && !windows.some((w) => e.time !== null && e.time >= w.start - CLOCK_SLACK_MS && e.time <= w.end + CLOCK_SLACK_MS)) continue
      const ids = [...(e.path !== null ? idsInPath(e.path) : []), ...idsInMessage(eventText(e))]
      if (ids.length > 0) items.push({ ids: values(ids), route: e.path })
    }
  if (items.length < MIN_KEYED) return null
  const counts = new Map<string, number>()
  for (const it of items) for (const id of it.ids) counts.set(id, (counts.get(id) ?? 0) + 1)
  const ranked = [...counts].sort((a, b) => b[1] - a[1])
  const top = ranked.filter(([, n]) => n >= 3 && n >= 0.1 * items.length).slice(0, MAX_KEYS).map(([id]) => id)
  if (top.length === 0) return null
  const covered = items.filter((it) => it.ids.some((id) => top.includes(id)))
  const coverage = covered.length / items.length
  if (coverage < MIN_KEY_COVERAGE) return null
  const routes = new Set(covered.map((c) => c.route)).size
  const keys = top.map((id) => labels.get(id) ?? id)
  const named = top.map((id, i) => `${keys[i]} (${counts.get(id)}×)`).join(', ')
  return {
    keys,
    strength: coverage,
    reason: {
      text: `${percent(coverage)} of the failing requests (${count(covered.length)} of ${count(items.length)} that name an id) are about ${keys.length === 1 ? 'one id' : `${keys.length} ids`}: ${named}${routes > 1 ? `, across ${routes} routes` : ''}`,
      evidence: []
    }
  }
}

// ---- traffic ----------------------------------------------------------------------------

function trafficPattern(ctx: Context): PatternResult | null {
  const s = ctx.series
  const load = loadTracking(s)
  if (s === null || load === null) return null
  return {
    strength: load.strength,
    reason: {
      text: `The ${s.failureLabel} follow request volume: correlation ${load.rFails.toFixed(2)} between requests and ${s.failureLabel} per ${duration(s.bucketMs)}, and the rate climbs with load (${load.rRate.toFixed(2)}); ${percent(load.busyShare)} of them fall in the busiest quarter of the time`,
      evidence: []
    }
  }
}

/** Pool exhaustion at the peaks with the store's check green: say it is capacity, so nobody chases a healthy database. */
function capacityReason(ctx: Context, p: PoolSaturation): Reason {
  const latency = p.latency === null ? '' : ` with flat latency (median ${duration(p.latency.during)} during the bursts, ${duration(p.latency.outside)} outside)`
  return {
    text: `${count(p.count)} app errors are its own connection pool${p.target !== null ? ` to the ${p.target}` : ''} running out, e.g. "${quote(headline(p.first), 120)}", while the ${p.healthTarget ?? 'dependency'} health check stayed green${latency}: the pool runs out under load, the ${p.target ?? 'dependency'} does not — capacity (pool size, threads, slow queries holding connections), not a dependency failure`,
    evidence: [...ref.line(ctx.sourceOf.app, p.first.line), ...(p.first.time !== null ? [ref.window(p.first.time, p.first.time)] : [])]
  }
}

// ---- time of day ------------------------------------------------------------------------

const PERIODS_MS = [15, 30, 60, 120, 180, 360, 720, 1440].map((m) => m * 60_000)

function clockWindow(phaseFrom: number, phaseTo: number, period: number): string {
  // A phase is an offset into the day; as an instant of 1970-01-01 it prints as that time of day.
  const hhmm = (ms: number, zone = false): string => clock(((ms % 86_400_000) + 86_400_000) % 86_400_000, { seconds: false, zone })
  const mm = (ms: number): string => String(Math.floor((((ms % 3_600_000) + 3_600_000) % 3_600_000) / 60_000)).padStart(2, '0')
  if (period < 3_600_000) return `minute ${mm(phaseFrom)}–${mm(phaseTo)} of every ${duration(period)}`
  if (period === 3_600_000) return `hh:${mm(phaseFrom)}–hh:${mm(phaseTo)} every hour`
  if (period === 86_400_000) return `${hhmm(phaseFrom)}–${hhmm(phaseTo, true)} every day`
  return `${hhmm(phaseFrom)}–${hhmm(phaseTo, true)} every ${duration(period)}`
}

function timeOfDayPattern(ctx: Context, episodes: Episode[]): PatternResult | null {
  const s = ctx.series
  if (s === null || episodes.length < 2) return null
  const starts = episodes.map((e) => e.start)
  for (const period of PERIODS_MS) {
    const tolerance = Math.max(Math.min(period / 12, 30 * 60_000), 2 * s.bucketMs, 2 * 60_000)
    if (tolerance >= period / 2) continue
    // The tightest arc of the clock (mod period) that holds every start.
    const phases = starts.map((t) => t % period).sort((a, b) => a - b)
    let widestGap = phases[0] + period - phases[phases.length - 1]
    let arcStart = phases[0]
    for (let i = 1; i < phases.length; i++)
      if (phases[i] - phases[i - 1] > widestGap) {
        widestGap = phases[i] - phases[i - 1]
        arcStart = phases[i]
      }
    const arc = period - widestGap
    if (arc > tolerance) continue
    const cycles = new Set(starts.map((t) => Math.floor((t - arcStart + tolerance) / period)))
    const minCycles = period >= 86_400_000 ? 2 : 3
    if (cycles.size < minCycles) continue
    const firstCycle = Math.min(...cycles)
    const lastCycle = Math.max(...cycles)
    // Recurring means most cycles in the span have their burst, not three hits among many misses.
    if (cycles.size < 0.6 * (lastCycle - firstCycle + 1)) continue
    const phaseEnd = arcStart + arc + Math.max(...episodes.map((e) => Math.min(e.end - e.start, period / 4)))
    return {
      strength: Math.min(1, 0.6 + 0.1 * cycles.size),
      reason: {
        text: `The bursts recur in the same clock window: ${clockWindow(arcStart, phaseEnd, period)} (${plural(cycles.size, 'time')})`,
        evidence: episodes.slice(0, 10).map((e) => ref.window(e.start, e.end))
      }
    }
  }
  return null
}

// ---- the finding ------------------------------------------------------------------------

export interface IntermittentResult {
  finding: Finding
  field: IntermittentField
}

/**
 * `fallback`: nothing else explains the incident — report it as intermittent/unknown with a low
 * confidence rather than as no incident at all.
 */
export function detectIntermittent(ctx: Context, fallback: boolean): IntermittentResult | null {
  const s = ctx.series
  const inc = ctx.incident
  if (s === null || inc === null || !inc.present) return null
  const episodes = inc.episodes
  const bursty = episodes.length >= 2
  const lastDeploy = [...ctx.deploys].reverse().find((d) => d.at <= s.to) ?? null
  const predates = lastDeploy === null || episodes.some((e) => e.start < lastDeploy.at - CLOCK_SLACK_MS)

  const data = dataPattern(ctx, episodes)
  const traffic = trafficPattern(ctx)
  const clock = timeOfDayPattern(ctx, episodes)
  const pattern: IntermittentField['pattern'] = data ? 'data' : traffic ? 'traffic' : clock ? 'time-of-day' : 'unknown'
  const holds = predates && (bursty || pattern !== 'unknown')
  if (!holds && !fallback) return null

  const reasons: Reason[] = []
  const windows: EvidenceRef[] = episodes.slice(0, 10).map((e) => ref.window(e.start, e.end))
  if (bursty) {
    const shown = episodes.slice(0, 3).map((e) => `${ctx.clock(e.start)} (${count(e.fails)} in ${duration(e.end - e.start)})`)
    reasons.push({
      text: `${episodes.length === 1 ? '1 burst' : `${episodes.length} bursts`} of ${s.failureLabel}: ${shown.join(', ')}${episodes.length > 3 ? ', …' : ''}; ${rateText(s, inc.baseline)} between them`,
      evidence: windows
    })
  } else if (inc.level) {
    reasons.push({
      text: `${s.failureLabel} at a steady ${rateText(s, inc.primary?.rate ?? inc.overallRate)} across the logs from ${ctx.clock(episodes[0].start)}, with no deploy, dependency, configuration or endpoint that explains them`,
      evidence: windows
    })
  } else {
    // One rise that stays up is a step, not bursts: saying "intermittent" would hide that something changed at that moment.
    const e = episodes[0]
    const upToEnd = e.end >= s.to - s.bucketMs
    reasons.push({
      text: `A sustained step, not bursts: ${s.failureLabel} went from ${rateText(s, inc.baseline)} to ${rateText(s, e.rate)} at ${ctx.clock(e.start)} and ${upToEnd ? 'stayed there to the end of the logs' : `stayed there until ${ctx.clock(e.end)}`}; no deploy, dependency, configuration or endpoint in the evidence explains it — look for what changed at that moment`,
      evidence: windows
    })
  }
  if (lastDeploy === null) reasons.push({ text: 'No deploy in the evidence: they are not a deploy regression', evidence: [] })
  else if (predates)
    reasons.push({
      text: `They began at ${ctx.clock(episodes[0].start)}, before the last deploy (${lastDeploy.version} at ${ctx.clock(lastDeploy.at)})`,
      evidence: [ref.deploy(lastDeploy), windows[0]]
    })
  const chosen = data ?? traffic ?? clock
  if (chosen) reasons.push(chosen.reason)
  const capacity = pattern === 'traffic' ? poolSaturation(ctx) : null
  if (isCapacity(capacity)) reasons.push(capacityReason(ctx, capacity))
  let confidence = holds ? (chosen ? 0.5 + 0.35 * chosen.strength : 0.45) : 0.3
  if (!bursty && holds) confidence -= 0.05
  return { finding: finding('intermittent', Math.min(confidence, 0.9), reasons), field: { pattern, keys: data?.keys ?? [], shape: bursty ? 'bursts' : 'step' } }
}
