/**
 * What the report says, worked out once from the (already redacted) model; the Markdown and
 * HTML renderers only lay it out. Every section exists even when empty, and says why it is.
 */
import type { AnalysisSnapshot, EvidenceRef, Playbook, SentryLink, TimelineBucket } from '../contract/analysis'
import type { JournalEntry } from '../contract/incident'
import { clock, count, duration, percent, plural, storeCost } from '../format'
import { toMs } from './wording'
import { healthName } from '../model/evidence'
import { isIdempotent } from '../model/methods'
import { byRank, PLAYBOOK_MODULES, type PlaybookRegistry } from '../playbooks'
import type { ReportModel, ReportRunbook } from './model'
import { trimStack } from './stack'
import { type ImpactLine, impactLines } from './impact'

const KIND_LABEL: Record<JournalEntry['kind'], string> = {
  incident: 'Incident',
  detection: 'Detection',
  source: 'Log',
  deploy: 'Deploy',
  health: 'Health',
  verdict: 'Verdict',
  step: 'Runbook',
  note: 'Note',
  decision: 'Decision'
}

export const MAX_TIMELINE_ROWS = 400
export const MAX_GROUPS = 10
export const MAX_FRAMES = 15
const MAX_ENDPOINTS = 5

export interface TimelineRow {
  at: string
  kind: string
  text: string
}

export interface ReasonFact {
  text: string
  evidence: string[]
}

export interface GroupFact {
  id: string
  title: string
  count: number
  firstSeen: string | null
  lastSeen: string | null
  endpoints: string[]
  newSinceDeploy: boolean
  trace: string
  framesDropped: number
  /** The Sentry issue of the same bug, cited with its link. */
  sentry: SentryFact | null
}

/** A Sentry issue as the report cites it: `SHOP-API-1Z` linking to its page, and what Sentry counted. */
export interface SentryFact {
  label: string
  permalink: string
  detail: string
}

export interface DeployFact {
  version: string
  at: string
  commit: string | null
  suspect: string | null
}

export interface DependencyFact {
  target: string
  implicated: boolean
  failing: { from: string; to: string; lasted: string; detail: string | null }[]
}

export interface ChartFact {
  bucketMs: number
  buckets: TimelineBucket[]
  deploys: { version: string; at: number }[]
  onset: number | null
}

export interface ReportFacts {
  title: string
  status: string
  generatedAt: string
  what: string
  impact: [label: string, value: string][]
  /** Who the 5xx hurt (clients, crawlers, re-sent POST/PATCH, cached 5xx); null before any analysis. */
  hurt: ImpactLine[] | null
  timeline: TimelineRow[]
  timelineOmitted: number
  verdict: { playbook: Playbook; label: string; confidence: number; reasons: ReasonFact[] } | null
  chosen: string | null
  secondary: { playbook: Playbook; label: string; confidence: number; reason: string | null }[]
  missingConfig: string[]
  runbook: ReportRunbook | null
  groups: GroupFact[]
  groupsOmitted: number
  /** Sentry issues of the window no error group matched; null when no Sentry was read. */
  sentryOnly: (SentryFact & { title: string })[] | null
  deploys: DeployFact[]
  /** What each watched deploy endpoint showed live, in words: said even when no version changed. */
  liveVersions: string[]
  /** The Deploys section's words when it lists none. */
  noDeploys: string
  dependencies: DependencyFact[]
  replay: { method: string; url: string; curl: string; idempotent: boolean } | null
  actions: TimelineRow[]
  sources: { path: string; detail: string }[]
  chart: ChartFact | null
  hasAnalysis: boolean
}


function evidenceText(ref: EvidenceRef, a: AnalysisSnapshot): string {
  switch (ref.kind) {
    case 'deploy':
      return `deploy ${ref.version} at ${clock(ref.at, { date: true })}`
    case 'health':
      return `${healthName(ref.target, ref.component)} failing ${ref.from ? clock(ref.from, { date: true }) : '?'} → ${ref.to ? clock(ref.to, { date: true }) : 'still failing'}`
    case 'group': {
      const g = a.v1.errorGroups.find((x) => x.id === ref.groupId)
      return g ? `error group ${ref.groupId}: ${g.type} ${g.message}`.trim() : `error group ${ref.groupId}`
    }
    case 'route':
      return `${ref.method} ${ref.route}`
    case 'window':
      return `${clock(ref.from, { date: true })} → ${clock(ref.to, { date: true })}`
    case 'line':
      return `${ref.path} line ${ref.line}`
    case 'config':
      return `configuration ${ref.name}`
  }
}

function fiveXX(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts)
    .filter(([s]) => Number(s) >= 500 && Number(s) < 600)
    .reduce((sum, [, c]) => sum + c, 0)
}

/**
 * From the onset (or the first 5xx bucket) to the change point that ended it (the rate went
 * back down), or else to the end of the last bucket with 5xx.
 */
function errorSpan(a: AnalysisSnapshot): { from: number; to: number } | null {
  const withErrors = a.timeline.buckets.filter((b) => b.s5xx > 0)
  if (withErrors.length === 0) return null
  const from = a.baseline.onset ?? withErrors[0].t
  const recovery = a.baseline.onset === null ? undefined : a.baseline.changePoints.find((t) => t > from)
  const to = recovery ?? withErrors[withErrors.length - 1].t + a.timeline.bucketMs
  return to > from ? { from, to } : null
}

function impactRows(model: ReportModel, registry: PlaybookRegistry): [string, string][] {
  const a = model.analysis
  const rows: [string, string][] = []
  if (!a) return [['Evidence', 'no analysis yet: no log was read']]
  const v1 = a.v1
  const errors = fiveXX(v1.statusCounts)
  if (v1.window) rows.push(['Window', `${clock(v1.window.from, { date: true })} → ${clock(v1.window.to, { date: true })} (${duration(toMs(v1.window.to) - toMs(v1.window.from))})`])
  rows.push(['Requests', count(v1.requests)])
  // Counts of what was read are no all-clear while a given log is unread: say so beside them.
  const unread = v1.sources.filter((s) => s.unread !== null)
  if (unread.length > 0) rows.push(['Unread evidence', unread.map((s) => s.unread).join('; ')])
  const byStatus = Object.entries(v1.statusCounts)
    .filter(([s, c]) => Number(s) >= 500 && c > 0)
    .sort(([x], [y]) => Number(x) - Number(y))
    .map(([s, c]) => `${s}: ${count(c)}`)
  rows.push(['5xx responses', `${count(errors)}${v1.requests > 0 ? ` (${percent(errors / v1.requests)} of requests)` : ''}${byStatus.length ? ` — ${byStatus.join(', ')}` : ''}`])
  rows.push(['Baseline 5xx rate', percent(a.baseline.errorRate)])
  if (a.baseline.onset !== null) rows.push(['Onset', clock(a.baseline.onset, { date: true })])
  const span = errorSpan(a)
  if (span) rows.push(['Duration', `${duration(span.to - span.from)} (${clock(span.from, { date: true })} → ${clock(span.to, { date: true })})`])
  const failing = a.routes.filter((r) => r.s5xx > 0).sort((x, y) => y.s5xx - x.s5xx)
  if (failing.length > 0) {
    const shown = failing.slice(0, MAX_ENDPOINTS).map((r) => `${r.method} ${r.route} (${count(r.s5xx)} 5xx, ${percent(r.errorRate)})`)
    rows.push(['Endpoints affected', `${shown.join('; ')}${failing.length > MAX_ENDPOINTS ? `; and ${failing.length - MAX_ENDPOINTS} more` : ''}`])
  }
  for (const m of byRank(registry)) rows.push(...(m.impact?.(a) ?? []))
  const appErrors = v1.errorGroups.reduce((sum, g) => sum + g.count, 0)
  if (appErrors > 0) rows.push(['Application errors', `${count(appErrors)} in ${count(v1.errorGroups.length)} group${v1.errorGroups.length === 1 ? '' : 's'}`])
  return rows
}

function whatHappened(model: ReportModel, registry: PlaybookRegistry): string {
  const a = model.analysis
  if (!a) return 'No evidence has been analysed yet.'
  const finding = a.findings[0]
  const verdict = a.v1.verdict
  const playbook = finding?.playbook ?? verdict?.playbook
  if (!playbook) return 'The evidence has not been classified yet.'
  const reason = finding?.reasons[0]?.text ?? verdict?.reasons[0]
  return `${registry[playbook].title}.${reason ? ` ${reason}` : ''}`
}

const entryData = (e: JournalEntry, key: string): unknown => e.data?.[key]

function timelineRows(model: ReportModel): TimelineRow[] {
  const rows: TimelineRow[] = model.journal.map((e) => ({ at: e.at, kind: KIND_LABEL[e.kind], text: e.text }))
  const a = model.analysis
  if (a) {
    const journaled = (kind: JournalEntry['kind'], test: (e: JournalEntry) => boolean): boolean => model.journal.some((e) => e.kind === kind && test(e))
    if (a.baseline.onset !== null && !journaled('detection', () => true))
      rows.push({ at: new Date(a.baseline.onset).toISOString(), kind: 'Detection', text: `5xx onset (baseline rate ${percent(a.baseline.errorRate)})` })
    for (const d of a.deploys)
      if (!journaled('deploy', (e) => entryData(e, 'version') === d.version || e.text.includes(d.version)))
        rows.push({ at: new Date(d.at).toISOString(), kind: 'Deploy', text: `Deploy ${d.version} went live${d.commit ? ` (commit ${d.commit.slice(0, 12)})` : ''}` })
    for (const h of a.health) {
      if (journaled('health', (e) => entryData(e, 'target') === h.target)) continue
      for (const band of h.bands)
        if (!band.ok) rows.push({ at: new Date(band.from).toISOString(), kind: 'Health', text: `${h.target} failing${band.detail ? `: ${band.detail}` : ''} (for ${duration(band.to - band.from)})` })
    }
  }
  return rows.sort((x, y) => toMs(x.at) - toMs(y.at))
}

function groupFacts(a: AnalysisSnapshot): GroupFact[] {
  return a.v1.errorGroups.slice(0, MAX_GROUPS).map((g) => {
    const trace = trimStack(a.groupSamples[g.id] ?? g.sample, MAX_FRAMES)
    return {
      id: g.id,
      title: [g.type, g.message].filter(Boolean).join(': ') || g.id,
      count: g.count,
      firstSeen: g.firstSeen,
      lastSeen: g.lastSeen,
      endpoints: g.endpoints,
      newSinceDeploy: g.newSinceDeploy,
      trace: trace.text,
      framesDropped: trace.framesDropped,
      sentry: g.sentry ? sentryFact(g.sentry) : null
    }
  })
}

function sentryFact(link: SentryLink): SentryFact {
  const release = link.release === null ? 'no release' : `release ${link.release}`
  return { label: link.shortId, permalink: link.permalink, detail: `${release}, ${plural(link.users, 'user')}, ${plural(link.count, 'event')} in Sentry` }
}

function deployFacts(model: ReportModel): DeployFact[] {
  const a = model.analysis
  if (!a) {
    return model.journal
      .filter((e) => e.kind === 'deploy' && typeof entryData(e, 'version') === 'string')
      .map((e) => ({ version: String(entryData(e, 'version')), at: e.at, commit: typeof entryData(e, 'commit') === 'string' ? String(entryData(e, 'commit')) : null, suspect: null }))
  }
  const suspect = a.v1.suspectDeploy
  return [...a.deploys]
    .sort((x, y) => x.at - y.at)
    .map((d) => ({
      version: d.version,
      at: new Date(d.at).toISOString(),
      commit: d.commit,
      suspect:
        suspect && suspect.version === d.version
          ? `suspect: 5xx rate ${percent(suspect.errorRateBefore)} before → ${percent(suspect.errorRateAfter)} after`
          : null
    }))
}

function liveVersionLines(model: ReportModel): string[] {
  return (model.liveVersions ?? []).map(
    (l) => `${l.target} showed ${l.version} live${l.since ? ` since ${clock(l.since, { date: true })}` : ''}${l.lastPollAt ? ` (last polled ${clock(l.lastPollAt, { date: true })})` : ''}`
  )
}

function dependencyFacts(a: AnalysisSnapshot): DependencyFact[] {
  return a.health.map((h) => ({
    target: h.target,
    implicated: (a.v1.dependency?.health?.target ?? a.v1.dependency?.target) === h.target,
    failing: h.bands
      .filter((b) => !b.ok)
      .map((b) => ({ from: new Date(b.from).toISOString(), to: new Date(b.to).toISOString(), lasted: duration(b.to - b.from), detail: b.detail }))
  }))
}

function sourceFacts(model: ReportModel): { path: string; detail: string }[] {
  const analysed = new Map((model.analysis?.v1.sources ?? []).map((s) => [s.path, s]))
  const paths = [...new Set([...model.incident.sources.map((s) => s.path), ...analysed.keys()])]
  const stores = new Map((model.storeReads ?? []).map((r) => [r.path, r]))
  return paths.map((p) => {
    const s = analysed.get(p)
    const read = s ? `${s.format}, ${count(s.lines)} lines, ${count(s.events)} events, ${count(s.unparsed)} unparsed` : 'not analysed'
    const store = stores.get(p)
    // A store's cost is part of the evidence: what was moved beside what the engine scanned, and what it warned of.
    const cost = store ? `; ${store.kind} store: ${storeCost(store.bytesMoved, store.scannedBytes)}${store.warnings.map((w) => `; ${w}`).join('')}` : ''
    return { path: p, detail: `${read}${cost}` }
  })
}

/** `registry`: the playbooks whose words and impact rows the report uses (a test may pass its own). */
export function reportFacts(model: ReportModel, registry: PlaybookRegistry = PLAYBOOK_MODULES): ReportFacts {
  const a = model.analysis
  const timeline = timelineRows(model)
  const finding = a?.findings[0]
  const verdict = finding
    ? {
        playbook: finding.playbook,
        label: registry[finding.playbook].title,
        confidence: finding.confidence,
        reasons: finding.reasons.map((r) => ({ text: r.text, evidence: a ? r.evidence.map((ref) => evidenceText(ref, a)) : [] }))
      }
    : a?.v1.verdict
      ? { playbook: a.v1.verdict.playbook, label: registry[a.v1.verdict.playbook].title, confidence: a.v1.verdict.confidence, reasons: a.v1.verdict.reasons.map((text) => ({ text, evidence: [] })) }
      : null
  const chosen = model.incident.chosenPlaybook
  const replay = a?.v1.replay ?? null
  const actions: TimelineRow[] = [
    ...model.incident.decisions.map((d) => ({ at: d.at, kind: 'Decision', text: d.text })),
    ...model.incident.notes.map((n) => ({ at: n.at, kind: 'Note', text: n.text }))
  ].sort((x, y) => toMs(x.at) - toMs(y.at))
  return {
    title: model.incident.title,
    status: model.incident.closedAt ? `Closed ${clock(model.incident.closedAt, { date: true })}` : 'Open',
    generatedAt: model.generatedAt,
    what: whatHappened(model, registry),
    impact: impactRows(model, registry),
    hurt: a ? impactLines(a.v1.impact) : null,
    timeline: timeline.slice(0, MAX_TIMELINE_ROWS),
    timelineOmitted: Math.max(0, timeline.length - MAX_TIMELINE_ROWS),
    verdict,
    chosen: chosen && chosen !== verdict?.playbook ? `The engineer switched the runbook to “${chosen}” (${registry[chosen].title}).` : null,
    secondary: (a?.findings.slice(1) ?? []).map((f) => ({ playbook: f.playbook, label: registry[f.playbook].title, confidence: f.confidence, reason: f.reasons[0]?.text ?? null })),
    missingConfig: a?.v1.missingConfig ?? [],
    runbook: model.runbook,
    groups: a ? groupFacts(a) : [],
    groupsOmitted: a ? Math.max(0, a.v1.errorGroups.length - MAX_GROUPS) : 0,
    sentryOnly: a?.v1.sentryOnly ? a.v1.sentryOnly.map((i) => ({ ...sentryFact(i), title: i.title })) : null,
    deploys: deployFacts(model),
    liveVersions: liveVersionLines(model),
    // A polled endpoint that never changed version is no deploy, but "none seen" would hide what it showed.
    noDeploys: (model.liveVersions ?? []).length > 0 ? 'No version change seen while the deploy endpoint was polled.' : 'No deploys seen.',
    dependencies: a ? dependencyFacts(a) : [],
    replay: replay ? { ...replay, idempotent: isIdempotent(replay.method) } : null,
    actions,
    sources: sourceFacts(model),
    chart: a && a.timeline.buckets.length > 0 ? { bucketMs: a.timeline.bucketMs, buckets: a.timeline.buckets, deploys: a.deploys, onset: a.baseline.onset } : null,
    hasAnalysis: a !== null
  }
}

export const STEP_STATUS_LABEL: Record<string, string> = { todo: 'to do', 'auto-checked': 'checked by the evidence', checked: 'done', skipped: 'skipped' }
export { fiveXX }
