/**
 * The verdict engine: which situation this is, and why. Runs on aggregates and bounded samples
 * (never per raw line), so a live session can re-evaluate it on every batch.
 *
 * Deterministic: the same input gives the same snapshot; `computedAt` is `input.now`, and
 * `computeMs` (how long this took) is the only field that varies between runs.
 */
import type { AnalysisSnapshot, AnalysisV1, ErrorGroupJson, RouteSummary } from '../../contract/analysis'
import type { AppEvent, DeployEvent } from '../../model/evidence'
import type { ErrorGroup } from '../groups'
import { bucketCounts, slots } from '../time-histogram'
import type { AnalysisInput } from '../input'
import { type Context, sourcesOf } from './context'
import { correlateDeploy, markNewSinceDeploy, referenceDeploy } from './deploy'
import { routeFailures } from './endpoint'
import { healthBands } from './health'
import { findIncident } from './incident'
import { MAX_SCANNED, spread } from './event-text'
import { buildReplay } from './replay'
import { impactJson } from './impact'
import { buildSeries, reportedRate } from './series'
import { clockFor, isoOrNull } from '../../format'
import { round } from './text'
import { type SourceReading, unparsedShare, unreadReason } from '../readable'
import { byRank, type Detection, type FindingOf, noPlaybookFields, PLAYBOOK_MODULES, type PlaybookFields, type PlaybookModule, type PlaybookRegistry, type UnreadSource } from '../../playbooks'

const MAX_GROUPS_LISTED = 100
const MAX_GROUP_SAMPLES = 20
const MAX_ROUTES_LISTED = 200

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : 0)

/**
 * The picture every detector reads, computed once: series, incident, sorted deploys and errors,
 * health bands, the deploy correlation (which also decides "new since deploy"), route failures
 * and the unread sources.
 */
export function detectionFor(input: AnalysisInput): Detection {
  const deploys = sortedDeploys(input.deploys)
  const errors = sortedErrors(input.errorEvents)
  const series = buildSeries(input.requests, errors, input.timeFrom, input.timeTo, input.secondIndex)
  const incident = series === null ? null : findIncident(series)
  const ctx: Context = {
    input,
    series,
    incident,
    errors,
    scanned: spread(errors, MAX_SCANNED),
    deploys,
    health: healthBands(input.health),
    groups: input.errorGroups,
    // The same window as v1.window, so every surface adds the date under the same rule.
    clock: clockFor(input.timeFrom ?? series?.from ?? null, input.timeTo ?? (series === null ? null : series.to - 1)),
    sourceOf: sourcesOf(input.sources)
  }
  const correlation = correlateDeploy(ctx)
  ctx.groups = markNewSinceDeploy(input.errorGroups, correlation?.deploy ?? referenceDeploy(ctx))
  return { ctx, correlation, routes: routeFailures(ctx), found: new Map(), unread: unreadSources(input.sources) }
}

export function analyze(input: AnalysisInput): AnalysisSnapshot {
  const started = now()
  const detection = detectionFor(input)
  const { ctx, routes } = detection
  const { series, incident, deploys, groups } = ctx
  const { findings, fields } = detectFindings(PLAYBOOK_MODULES, detection)
  const primary = findings[0]

  const statusCounts: Record<string, number> = { '500': 0, '502': 0, '503': 0, '504': 0 }
  for (const [s, n] of Object.entries(input.requests.statusCounts)) statusCounts[s] = n
  const from = isoOrNull(input.timeFrom ?? series?.from ?? null)
  const to = isoOrNull(input.timeTo ?? (series === null ? null : series.to - 1))
  const v1: AnalysisV1 = {
    schema: 'triage500.analysis/v1',
    window: from !== null && to !== null ? { from, to } : null,
    sources: input.sources.map((s) => ({
      path: s.path,
      format: s.format,
      lines: s.lines,
      events: s.events,
      eventLines: s.eventLines,
      directiveLines: s.directiveLines,
      unparsed: s.unparsed,
      unparsedShare: unparsedShare(s),
      fieldMap: s.fieldMap,
      unread: unreadReason(baseName(s.path), s),
      unreadShapes: s.unreadShapes
    })),
    requests: input.requests.requests,
    statusCounts,
    verdict: { playbook: primary.playbook, confidence: primary.confidence, reasons: primary.reasons.map((r) => r.text) },
    ...fields,
    errorGroups: groups.slice(0, MAX_GROUPS_LISTED).map(groupJson),
    sentryOnly: null,
    replay: buildReplay(ctx, routes),
    impact: impactJson(input.requests)
  }

  const routeSummaries: RouteSummary[] = (routes.length > 0 ? routes : input.requests.routes.map((r) => ({ method: r.method, route: r.route, trials: r.total, fails: r.s5xx })))
    .slice(0, MAX_ROUTES_LISTED)
    .map((r) => ({ method: r.method, route: r.route, total: r.trials, s5xx: r.fails, errorRate: r.trials > 0 ? round(r.fails / r.trials) : 0 }))
  const groupSamples: Record<string, string> = {}
  const groupLocations: Record<string, { path: string; line: number }> = {}
  for (const g of groups.slice(0, MAX_GROUP_SAMPLES)) {
    groupSamples[g.id] = g.sample
    const at = input.groupLocations[g.id]
    if (at) groupLocations[g.id] = at
  }

  const timeline = { bucketMs: series?.bucketMs ?? 1000, buckets: series?.buckets ?? [] }
  const groupDetails: AnalysisSnapshot['groupDetails'] = {}
  for (const g of groups.slice(0, MAX_GROUP_SAMPLES)) groupDetails[g.id] = groupDetail(g, timeline, deploys)

  return {
    v1,
    findings,
    timeline,
    deploys: deploys.map((d) => ({ version: d.version, at: d.at, commit: d.commit, previousVersion: d.previousVersion ?? null })),
    health: ctx.health.map((t) => ({ target: t.target, bands: t.bands.map((b) => ({ from: b.from, to: b.to, ok: b.ok, detail: b.detail })) })),
    routes: routeSummaries,
    baseline: {
      errorRate: series === null || incident === null ? 0 : round(reportedRate(series, incident.baseline), 6),
      onset: incident?.present ? incident.onset : null,
      changePoints: incident?.changePoints ?? []
    },
    groupSamples,
    groupLocations,
    groupDetails,
    computedAt: input.now,
    computeMs: Math.round((now() - started) * 100) / 100
  }
}

function sortedDeploys(list: DeployEvent[]): DeployEvent[] {
  const seen = new Set<string>()
  const out: DeployEvent[] = []
  for (const d of [...list].sort((a, b) => a.at - b.at || (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))) {
    const key = `${d.version}@${d.at}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(d)
  }
  return out
}

/** By time (undated last); the sort is stable, so file order holds within a time. */
function sortedErrors(list: AppEvent[]): AppEvent[] {
  return [...list].sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || 0)
}

/** Names by count, most first (ties by name), as the drawer lists them. */
const ranked = (counts: Map<string, number> | Record<string, number>): { name: string; count: number }[] =>
  [...(counts instanceof Map ? counts : Object.entries(counts))]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))

function groupDetail(g: ErrorGroup, timeline: { bucketMs: number; buckets: { t: number }[] }, deploys: DeployEvent[]): AnalysisSnapshot['groupDetails'][string] {
  const first = timeline.buckets[0]?.t ?? 0
  const versions = new Map<string, number>()
  if (deploys.length > 0)
    for (const [at, n] of slots(g.times)) {
      // The version live then: the last deploy at or before it, else the one the first deploy replaced.
      let live: string | null = deploys[0].previousVersion ?? null
      for (const d of deploys) if (d.at <= at) live = d.version
      if (live !== null) versions.set(live, (versions.get(live) ?? 0) + n)
    }
  return { buckets: bucketCounts(g.times, first, timeline.bucketMs, timeline.buckets.length), instances: ranked(g.instances), versions: ranked(versions) }
}

export function groupJson(g: ErrorGroup): ErrorGroupJson {
  return {
    id: g.id,
    type: g.type ?? '(untyped)',
    message: g.message,
    count: g.count,
    firstSeen: g.firstSeen,
    lastSeen: g.lastSeen,
    endpoints: g.endpoints,
    sample: g.sample,
    newSinceDeploy: g.newSinceDeploy,
    // Joined after the analysis, when a Sentry project is read (shared/analysis/sentry.ts).
    sentry: null
  }
}

const baseName = (p: string): string => p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1) || p

function unreadSources(sources: readonly SourceReading[]): UnreadSource[] {
  return sources.flatMap((source) => {
    const why = unreadReason(baseName(source.path), source)
    return why === null ? [] : [{ source, why }]
  })
}

/** How much a finding is trusted when some given evidence could not be read: by the share of lines unread. */
function unreadPenalty(unread: UnreadSource[], all: readonly SourceReading[]): number {
  const lines = all.reduce((n, s) => n + s.lines, 0)
  // A source is unread as a whole (mostly unparsed, requests not read, or undated): its lines all count.
  const unreadLines = unread.reduce((n, u) => n + u.source.lines, 0)
  return 1 - 0.5 * Math.min(1, lines > 0 ? unreadLines / lines : 1)
}

function withUnread<F extends FindingOf<string>>(f: F, unread: UnreadSource[], penalty: number): F {
  return {
    ...f,
    confidence: Math.round(Math.max(0.05, f.confidence * penalty) * 100) / 100,
    reasons: [...f.reasons, ...unread.map((u) => ({ text: `Confidence lowered: ${u.why}`, evidence: [] }))]
  }
}

/**
 * Runs a registry's detectors in rank order (fallbacks last, seeing what the others found) and
 * orders the findings by rank: the first is the verdict. The fields are the v1 fields they fill.
 */
export function detectFindings<Id extends string>(registry: PlaybookRegistry<Id>, d: Detection): { findings: FindingOf<Id>[]; fields: PlaybookFields } {
  const found = new Map<Id, FindingOf<Id>>()
  const fields = noPlaybookFields()
  const ranked = byRank(registry)
  const run = (m: PlaybookModule<Id>): void => {
    const result = m.detect({ ...d, found })
    if (result === null) return
    if (result.finding !== null) found.set(m.id, { ...result.finding, playbook: m.id })
    Object.assign(fields, result.fields)
  }
  for (const m of ranked) if (m.fallback !== true) run(m)
  // An all-clear needs all the given evidence read: with a source mostly unread, any finding is trusted less.
  if (found.size > 0 && d.unread.length > 0) {
    const penalty = unreadPenalty(d.unread, d.ctx.input.sources)
    for (const [p, f] of found) found.set(p, withUnread(f, d.unread, penalty))
  }
  for (const m of ranked) if (m.fallback === true) run(m)
  return { findings: causesFirst(ranked.flatMap((m) => found.get(m.id) ?? []), registry), fields }
}

/** Findings by rank, except that one comes before the findings it explains (its module's `explains`); movers keep their rank order. */
function causesFirst<Id extends string>(ranked: FindingOf<Id>[], registry: PlaybookRegistry<Id>): FindingOf<Id>[] {
  const out = [...ranked]
  for (const f of ranked) {
    const explains: readonly string[] = registry[f.playbook].explains ?? []
    if (explains.length === 0) continue
    const first = out.findIndex((g) => explains.includes(g.playbook))
    const at = out.indexOf(f)
    if (first < 0 || first > at) continue
    out.splice(at, 1)
    out.splice(first, 0, f)
  }
  return out
}
