/**
 * Dependency correlation: the failures overlap a failing health check, or the app's own
 * errors during the incident are mostly dependency failures (refused, timeouts, exhausted
 * pools, DNS, resets, database / cache client errors).
 *
 * `dependency.target` is the health target's name when a failing health check explains the
 * failures (`target/component` when the sample names the component that is down, e.g.
 * `api/db`), else the host or service the errors name (`postgres`, `redis:6379`, `payments-api`).
 */
import type { AnalysisV1, EvidenceRef, Finding, Reason } from '../../contract/analysis'
import { type AppEvent, healthName } from '../../model/evidence'
import { CLOCK_SLACK_MS, type Context, finding, inWindows, ref } from '../../analysis/verdict/context'
import { eventText, headline, memo } from '../../analysis/verdict/event-text'
import type { HealthBandMs } from '../../analysis/verdict/health'
import { proxyFindings, proxyReasonsText } from '../../analysis/verdict/proxy'
import { isCapacity, poolSaturation } from '../../analysis/verdict/saturation'
import { countsIn } from '../../analysis/verdict/series'
import { type DependencyKind, KIND_WORDS, matchDependency } from '../../analysis/verdict/signatures'
import { count, iso, isoOrNull, percent, plural } from '../../format'
import { quote } from '../../analysis/verdict/text'
import { OTHER_GROUP_ID } from '../../analysis/groups'

export type DependencyField = NonNullable<AnalysisV1['dependency']>

export interface DependencyResult {
  finding: Finding
  field: DependencyField
}

interface HealthMatch {
  /** The health target's own name, and the component reported down in the band (if any). */
  target: string
  component: string | null
  band: HealthBandMs
  share: number
  covered: number
  from: number
  to: number
}

interface SignatureMatch {
  target: string | null
  kinds: Map<DependencyKind, number>
  count: number
  errorsInWindow: number
  first: AppEvent
  from: number
  to: number
}

const MIN_HEALTH_SHARE = 0.5
const MIN_SIGNATURE_SHARE = 0.3
const MIN_SIGNATURES = 3

function medianGap(bands: HealthBandMs[]): number {
  const gaps = bands.map((b) => b.to - b.from).filter((g) => g > 0).sort((a, b) => a - b)
  return gaps.length > 0 ? Math.min(gaps[gaps.length >> 1], 10 * 60_000) : CLOCK_SLACK_MS
}

function matchHealth(ctx: Context): HealthMatch | null {
  const s = ctx.series
  const inc = ctx.incident
  if (s === null || inc === null) return null
  const total = inc.episodes.reduce((n, e) => n + e.fails, 0)
  if (total === 0) return null
  let best: HealthMatch | null = null
  for (const t of ctx.health) {
    const tail = medianGap(t.bands)
    t.bands.forEach((band, i) => {
      if (band.ok) return
      // The last sample says "down"; it stays down at least one polling interval past it.
      const bandTo = i === t.bands.length - 1 ? band.to + tail : band.to
      let covered = 0
      let from = Infinity
      let to = -Infinity
      for (const e of inc.episodes) {
        const a = Math.max(e.start, band.from - CLOCK_SLACK_MS)
        const b = Math.min(e.end, bandTo + CLOCK_SLACK_MS)
        if (b <= a) continue
        covered += countsIn(s, a, b).fails
        from = Math.min(from, Math.max(e.start, band.from))
        to = Math.max(to, Math.min(e.end, bandTo))
      }
      const share = covered / total
      if (covered > 0 && (best === null || share > best.share)) {
        best = { target: t.target, component: band.failingComponents[0] ?? null, band, share, covered, from, to: Math.max(from, to) }
      }
    })
  }
  return best
}

const classify = memo(matchDependency)

function matchSignatures(ctx: Context): SignatureMatch | null {
  const windows = ctx.incident?.present ? ctx.incident.episodes : []
  const appOnly = ctx.series?.mode === 'app-errors'
  let errorsInWindow = 0
  let total = 0
  const targets = new Map<string, number>()
  const kinds = new Map<DependencyKind, number>()
  let first: AppEvent | null = null
  let from = Infinity
  let to = -Infinity
  for (const e of ctx.scanned) {
    // Without a request log the errors are the incident: all of them count.
    if (!appOnly && !inWindows(windows, e.time)) continue
    errorsInWindow++
    const m = classify(eventText(e))
    if (m === null) continue
    total++
    first ??= e
    if (e.time !== null) {
      from = Math.min(from, e.time)
      to = Math.max(to, e.time)
    }
    kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1)
    if (m.target !== null) targets.set(m.target, (targets.get(m.target) ?? 0) + 1)
  }
  if (first === null || total < MIN_SIGNATURES || total < MIN_SIGNATURE_SHARE * errorsInWindow) return null
  let target: string | null = null
  let most = 0
  for (const [name, n] of targets) if (n > most) [target, most] = [name, n]
  // Counted on an even sample of the errors: scaled back to all of them.
  const scale = ctx.errors.length / Math.max(ctx.scanned.length, 1)
  for (const [k, n] of kinds) kinds.set(k, Math.round(n * scale))
  return { target, kinds, count: Math.round(total * scale), errorsInWindow: Math.round(errorsInWindow * scale), first, from, to }
}

function kindsText(kinds: Map<DependencyKind, number>): string {
  return [...kinds].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${KIND_WORDS[k]} ×${count(n)}`).join(', ')
}

const MAX_GROUP_IDS = 20

/** The error groups that read as dependency failures under the same signatures, most frequent first (proxy errors are the upstream's; the mixed "other" bucket is none). */
function dependencyGroupIds(ctx: Context): string[] {
  return ctx.groups
    .filter((g) => g.id !== OTHER_GROUP_ID && !g.type?.startsWith('proxy:') && (classify(g.type && !g.message.startsWith(g.type) ? `${g.type}: ${g.message}` : g.message) !== null || classify(g.sample) !== null))
    .sort((x, y) => y.count - x.count)
    .slice(0, MAX_GROUP_IDS)
    .map((g) => g.id)
}

/** What a failing check said in a sentence: its own words when it gave them (quoted), else its status. */
const checkSaid = (b: HealthBandMs): string => (b.words ? `"${quote(b.words, 160)}"` : b.detail ? quote(b.detail, 100) : 'no detail')

const HEALTH_ONLY_CONFIDENCE = { noLogs: 0.5, quietLogs: 0.35 }

/**
 * No incident in the logs, or no logs at all, while a health check is down: a dependency check
 * that says DOWN is a finding, never an all-clear, trusted less since no 5xx show what it costs.
 * The check still down at the end of the evidence wins, then the longest outage; with logs that
 * read fine, only a check still down counts.
 */
function healthOnly(ctx: Context): DependencyResult | null {
  let best: { target: string; band: HealthBandMs; open: boolean } | null = null
  for (const t of ctx.health)
    for (const [i, band] of t.bands.entries()) {
      if (band.ok) continue
      const open = i === t.bands.length - 1
      if (best === null || (open && !best.open) || (open === best.open && band.to - band.from > best.band.to - best.band.from)) best = { target: t.target, band, open }
    }
  if (best === null) return null
  const { target, band: b, open } = best
  const noLogs = ctx.series === null
  // Logs that read fine through a check's outage that has since recovered: a blip the logs clear, not a finding.
  if (!open && !noLogs) return null
  const component = b.failingComponents[0] ?? null
  const name = healthName(target, component)
  const reasons: Reason[] = [
    {
      text: `${name} health check is down from ${ctx.clock(b.from)}${open ? ' to the last sample' : ` to ${ctx.clock(b.to)}`}${component !== null ? ` (component ${component} of ${target})` : ''}: ${checkSaid(b)}`,
      evidence: [ref.health(target, b.from, b.to, component)]
    },
    {
      text: noLogs
        ? 'No request or error logs were given, so nothing shows the 5xx it causes: confidence is lower; add the app and proxy logs to confirm'
        : 'The logs read show no sustained 5xx while it was down: confidence is lower; check whether the app still depends on it, or add the logs of that time',
      evidence: []
    }
  ]
  const field: DependencyField = {
    target: name,
    from: isoOrNull(b.from),
    to: open ? null : isoOrNull(b.to),
    health: { target, component, detail: b.detail, from: iso(b.from), to: iso(b.to) },
    groupIds: dependencyGroupIds(ctx)
  }
  return { finding: finding('dependency', noLogs ? HEALTH_ONLY_CONFIDENCE.noLogs : HEALTH_ONLY_CONFIDENCE.quietLogs, reasons), field }
}

export function detectDependency(ctx: Context): DependencyResult | null {
  const s = ctx.series
  const inc = ctx.incident
  if (s === null || inc === null || !inc.present) return healthOnly(ctx)
  // The app's own pool running dry under load while the store's check stays green is capacity: the traffic pattern cites it.
  if (isCapacity(poolSaturation(ctx))) return null
  const health = matchHealth(ctx)
  const healthHolds = health !== null && (health.share >= MIN_HEALTH_SHARE || (health.share >= 0.25 && inc.onset !== null && health.band.from <= inc.onset + CLOCK_SLACK_MS))
  const sigs = matchSignatures(ctx)
  if (!healthHolds && sigs === null) return null

  const reasons: Reason[] = []
  let confidence: number
  let field: DependencyField
  const total = inc.episodes.reduce((n, e) => n + e.fails, 0)
  if (healthHolds && health !== null) {
    const b = health.band
    const name = healthName(health.target, health.component)
    reasons.push({
      text: `${name} health check failed from ${ctx.clock(b.from)}${b.to > b.from ? ` to ${ctx.clock(b.to)}` : ''}${b.words ? `: ${checkSaid(b)}` : b.detail ? ` (${quote(b.detail, 100)})` : ''}; ${percent(health.share)} of the ${s.failureLabel} (${count(health.covered)} of ${count(total)}) fall in that time`,
      evidence: [ref.health(health.target, b.from, b.to, health.component), ref.window(health.from, health.to)]
    })
    confidence = 0.55 + 0.3 * health.share + (inc.onset !== null && b.from <= inc.onset + CLOCK_SLACK_MS ? 0.08 : 0)
    field = {
      target: name,
      from: isoOrNull(health.from),
      to: isoOrNull(health.to),
      health: { target: health.target, component: health.component, detail: b.detail, from: iso(b.from), to: iso(b.to) },
      groupIds: dependencyGroupIds(ctx)
    }
    if (sigs !== null) confidence += 0.05
  } else if (sigs !== null) {
    confidence = 0.45 + 0.35 * (sigs.count / Math.max(sigs.errorsInWindow, 1)) + (sigs.target !== null ? 0.05 : 0)
    field = {
      target: sigs.target ?? 'unnamed dependency',
      from: Number.isFinite(sigs.from) ? isoOrNull(sigs.from) : null,
      to: Number.isFinite(sigs.to) ? isoOrNull(sigs.to) : null,
      health: null,
      groupIds: dependencyGroupIds(ctx)
    }
  } else return null
  if (sigs !== null) {
    const evidence: EvidenceRef[] = [...ref.line(ctx.sourceOf.app, sigs.first.line)]
    if (Number.isFinite(sigs.from)) evidence.push(ref.window(sigs.from, sigs.to))
    reasons.push({
      text: `${count(sigs.count)} of ${count(sigs.errorsInWindow)} app errors during the incident are dependency failures (${kindsText(sigs.kinds)})${sigs.target !== null ? ` naming ${sigs.target}` : ''}, e.g. "${quote(headline(sigs.first), 140)}"`,
      evidence
    })
  }
  const gateway = proxyFindings(ctx).dependencyBehind
  if (gateway !== null) {
    reasons.push({
      text: `The proxy's ${plural(gateway.s504, '504')} and ${plural(gateway.s502, '502')} are this dependency's doing, not a dead app server: the app answered its other routes and logged its own failures calling ${field.target}${gateway.reasons.length > 0 ? `; the proxy error log says ${proxyReasonsText(gateway.reasons)}` : ''} — it gave up waiting on the app while the app waited on ${field.target}`,
      evidence: [...(gateway.first !== null ? ref.line(ctx.sourceOf.proxy, gateway.first.line) : []), ...inc.episodes.map((e) => ref.window(e.start, e.end))]
    })
    confidence += 0.05
  }
  return { finding: finding('dependency', Math.min(confidence, 0.95), reasons), field }
}
