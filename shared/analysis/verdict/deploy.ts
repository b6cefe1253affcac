/**
 * Deploy correlation: did the failures rise within minutes after a deploy, from a quiet
 * before? Rates are compared over windows of up to 30 min on each side of the deploy (cut at
 * the neighbouring deploys and at the ends of the logs).
 */
import type { AnalysisV1, Finding, Reason } from '../../contract/analysis'
import type { DeployEvent } from '../../model/evidence'
import type { ErrorGroup } from '../groups'
import { CLOCK_SLACK_MS, type Context, countsText, finding, rateText, ref } from './context'
import type { Episode } from './incident'
import { type Counts, countsIn, rate, reportedRate } from './series'
import { count, duration } from '../../format'
import { quote, round } from './text'
import { judgeMigration, type MigrationJudgement } from '../deploys/migration'

/** The rise must start within this long after the deploy. */
export const MAX_DEPLOY_LAG_MS = 10 * 60_000
const COMPARE_WINDOW_MS = 30 * 60_000
/** Earlier bursts this large (relative to the rise) mean the problem predates the deploy. */
const EARLIER_EXCESS_SHARE = 0.25

const RATE_NAMES = { requests: '5xx rate', 'failed-requests': 'Failure rate', 'app-errors': 'App error rate' } as const

export interface DeployCorrelation {
  deploy: DeployEvent
  rise: Episode
  before: Counts
  after: Counts
  beforeMs: number
  afterMs: number
  rateBefore: number
  rateAfter: number
}

export type SuspectDeploy = NonNullable<AnalysisV1['suspectDeploy']>

/** The latest deploy at or before the onset (or the end of the logs): "new since deploy" is judged against it. */
export function referenceDeploy(ctx: Context): DeployEvent | null {
  const until = (ctx.incident?.present ? ctx.incident.onset : null) ?? ctx.series?.to ?? Infinity
  let ref: DeployEvent | null = null
  for (const d of ctx.deploys) if (d.at <= until + CLOCK_SLACK_MS) ref = d
  return ref
}

export function correlateDeploy(ctx: Context): DeployCorrelation | null {
  const s = ctx.series
  const inc = ctx.incident
  if (s === null || inc === null || !inc.present || ctx.deploys.length === 0) return null
  const minDelta = s.mode === 'app-errors' ? 1 / 600 : 0.01
  let best: DeployCorrelation | null = null
  for (const rise of inc.episodes) {
    let index = -1
    for (let i = 0; i < ctx.deploys.length; i++) {
      const at = ctx.deploys[i].at
      if (at <= rise.start + CLOCK_SLACK_MS && rise.start - at <= MAX_DEPLOY_LAG_MS) index = i
    }
    if (index < 0) continue
    const d = ctx.deploys[index]
    const cutoff = d.at - CLOCK_SLACK_MS
    const ongoing = inc.episodes.some((o) => o !== rise && o.start < cutoff && o.end > cutoff)
    const earlierExcess = inc.episodes.filter((o) => o !== rise && o.end <= cutoff).reduce((n, o) => n + Math.max(0, o.excess), 0)
    if (ongoing || earlierExcess > EARLIER_EXCESS_SHARE * rise.excess) continue

    const previous = index > 0 ? ctx.deploys[index - 1].at : -Infinity
    const next = index + 1 < ctx.deploys.length ? ctx.deploys[index + 1].at : Infinity
    const beforeMs = Math.max(0, Math.min(COMPARE_WINDOW_MS, d.at - s.from, d.at - previous))
    const afterMs = Math.max(0, Math.min(COMPARE_WINDOW_MS, s.to - d.at, next - d.at))
    const before = countsIn(s, d.at - beforeMs, d.at)
    const after = countsIn(s, d.at, d.at + afterMs)
    // Nothing logged before the deploy: the quiet part of the logs stands for "before".
    const rateBefore = before.trials > 0 ? rate(before) : inc.baseline
    const rateAfter = rate(after)
    if (after.fails < 5 || rateAfter < 2 * rateBefore || rateAfter - rateBefore < minDelta) continue
    if (best === null || rise.excess > best.rise.excess) best = { deploy: d, rise, before, after, beforeMs, afterMs, rateBefore, rateAfter }
  }
  return best
}

export function suspectDeployField(ctx: Context, c: DeployCorrelation): SuspectDeploy {
  const s = ctx.series
  const scale = (r: number): number => (s === null ? r : round(reportedRate(s, r)))
  const migration = migrationOf(ctx, c.deploy)
  return {
    version: c.deploy.version,
    at: new Date(c.deploy.at).toISOString(),
    errorRateBefore: scale(c.rateBefore),
    errorRateAfter: scale(c.rateAfter),
    source: c.deploy.origin ?? 'given',
    migration: migration === null ? null : { ran: migration.ran, schemaErrors: migration.schemaErrors }
  }
}

function migrationText(m: MigrationJudgement): string | null {
  const ran = m.applied.length === 0 ? '' : `${m.applied[0].tool} ${m.applied.length === 1 ? `migration ${quote(m.applied[0].id ?? 'unnamed', 60)}` : `${count(m.applied.length)} migrations`}`
  const schema = m.schemaGroups.reduce((n, s) => n + s.group.count, 0)
  const errors = `${count(schema)} ${schema === 1 ? 'error points' : 'errors point'} at the schema (${quote(m.schemaGroups[0]?.group.message ?? '', 80)})`
  if (m.ran === true && m.schemaErrors) return `A schema migration ran with the deploy (${ran}) and ${errors}: rolling back the code alone may not roll back the schema`
  if (m.ran === true) return `A schema migration ran with the deploy (${ran}): check the previous version works with the migrated schema before rolling back`
  if (m.schemaErrors) return `${errors.charAt(0).toUpperCase()}${errors.slice(1)}, and ${m.ran === false ? 'no migration is seen with the deploy' : 'no log shows a migration'}: a migration may not have run at all`
  return null
}

export function migrationOf(ctx: Context, d: DeployEvent): ReturnType<typeof judgeMigration> {
  const appLogRead = ctx.input.sources.some((s) => s.family === 'app' && s.events > 0)
  return judgeMigration(d, ctx.input.migrations, ctx.groups, appLogRead)
}

export function rollbackFinding(ctx: Context, c: DeployCorrelation, groups: ErrorGroup[]): Finding {
  const s = ctx.series
  if (s === null) throw new Error('rollbackFinding needs a series')
  const d = c.deploy
  const lag = c.rise.start - d.at
  const reasons: Reason[] = []
  const when = lag < 0 ? `as ${d.version} was being deployed at ${ctx.clock(d.at)}` : `within ${duration(Math.max(lag, 1000))} after ${d.version} was deployed at ${ctx.clock(d.at)}`
  reasons.push({
    text: `${RATE_NAMES[s.mode]} rose from ${rateText(s, c.rateBefore)} to ${rateText(s, c.rateAfter)} ${when}`,
    evidence: [ref.deploy(d), ref.window(c.rise.start, c.rise.end)]
  })
  const beforeText = c.beforeMs > 0 && c.before.trials > 0 ? `${duration(c.beforeMs)} before: ${countsText(s, d.at - c.beforeMs, d.at)}` : 'no traffic logged before the deploy'
  reasons.push({
    text: `${beforeText}; ${duration(c.afterMs)} after: ${countsText(s, d.at, d.at + c.afterMs)}`,
    evidence: [ref.window(d.at - c.beforeMs, d.at + c.afterMs)]
  })
  if (d.origin === 'kubernetes')
    reasons.push({
      text: `The deploy is a Kubernetes rollout: image tag ${d.version} in a ReplicaSet created at ${ctx.clock(d.at)}${d.previousVersion ? `, replacing ${d.previousVersion}` : ''}`,
      evidence: [ref.deploy(d)]
    })
  if (d.origin === 'log')
    reasons.push({
      text: `The deploy is seen in the app's own log: ${d.version} first logged at ${ctx.clock(d.at)}${d.previousVersion ? `, where ${d.previousVersion} ran before` : ''}`,
      evidence: [ref.deploy(d)]
    })
  const migration = migrationOf(ctx, d)
  const migrationReason = migration === null ? null : migrationText(migration)
  if (migration !== null && migrationReason !== null) reasons.push({ text: migrationReason, evidence: migration.schemaGroups.slice(0, 3).map((s) => ref.group(s.group)) })
  const newGroups = groups.filter((g) => g.newSinceDeploy && g.count > 0)
  const newCount = newGroups.reduce((n, g) => n + g.count, 0)
  const allAfter = groups.filter((g) => g.lastSeen !== null && Date.parse(g.lastSeen) >= d.at).reduce((n, g) => n + g.count, 0)
  if (newGroups.length > 0) {
    const named = newGroups.slice(0, 3).map((g) => `${g.type ?? 'error'}: ${quote(g.message, 80)} (${count(g.count)}×)`)
    reasons.push({
      text: `${newGroups.length === 1 ? '1 error group' : `${newGroups.length} error groups`} first seen after the deploy: ${named.join('; ')}`,
      evidence: newGroups.slice(0, 3).map(ref.group)
    })
  }
  let confidence = 0.6
  if (lag <= 2 * 60_000) confidence += 0.15
  else if (lag <= 5 * 60_000) confidence += 0.08
  if (c.rateAfter >= 5 * Math.max(c.rateBefore, 1e-9)) confidence += 0.08
  if (newGroups.length > 0) confidence += allAfter > 0 && newCount >= 0.5 * allAfter ? 0.1 : 0.05
  if (c.rise.sustained) confidence += 0.04
  return finding('rollback', Math.min(confidence, 0.97), reasons)
}

/** Groups with `newSinceDeploy` set against the reference deploy. */
export function markNewSinceDeploy(groups: ErrorGroup[], deploy: DeployEvent | null): ErrorGroup[] {
  return groups.map((g) => ({
    ...g,
    newSinceDeploy: deploy !== null && g.firstSeen !== null && Date.parse(g.firstSeen) >= deploy.at - CLOCK_SLACK_MS
  }))
}
