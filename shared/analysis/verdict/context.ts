/** What every detector reads: the input plus the shared derived picture, computed once. */
import type { EvidenceRef, Finding, Playbook, Reason } from '../../contract/analysis'
import type { AppEvent, DeployEvent } from '../../model/evidence'
import type { ErrorGroup } from '../groups'
import type { AnalysisInput } from '../input'
import type { TargetHealth } from './health'
import type { Episode, IncidentPicture } from './incident'
import { countsIn, rate, reportedRate, type Series } from './series'
import { count, iso, percent, perMinute } from '../../format'

export interface Context {
  input: AnalysisInput
  series: Series | null
  incident: IncidentPicture | null
  /** Error-level app events by time (undated last), file order within a time. */
  errors: AppEvent[]
  /** `errors`, evenly thinned to a bounded number for the text-matching checks. */
  scanned: AppEvent[]
  deploys: DeployEvent[]
  health: TargetHealth[]
  groups: ErrorGroup[]
  clock: (t: number) => string
  /** The file a kind of event came from, when only one source can have produced it. */
  sourceOf: { app: string | null; access: string | null; proxy: string | null }
}

/** Log clocks and deploy markers disagree by seconds; a minute of slack on either side. */
export const CLOCK_SLACK_MS = 60_000

type Source = AnalysisInput['sources'][number]

/** An application's own log; JSON request lines (pino-http) are written by the app too. Formats are data: judged by family. */
const isAppSource = (s: Source): boolean => s.family === 'app' || s.format === 'json-access'
const isAccessSource = (s: Source): boolean => s.family === 'access'
const isProxySource = (s: Source): boolean => s.family === 'proxy-error'

export function onlySource(sources: AnalysisInput['sources'], kind: (s: Source) => boolean): string | null {
  const matching = sources.filter((s) => kind(s) && s.events > 0)
  return matching.length === 1 ? matching[0].path : null
}

export function sourcesOf(sources: AnalysisInput['sources']): Context['sourceOf'] {
  // Structured app logs also carry request lines (pino-http): they are the access source when no access log is given.
  const hasAccessLog = sources.some((s) => isAccessSource(s) && s.events > 0)
  return {
    app: onlySource(sources, isAppSource),
    access: onlySource(sources, hasAccessLog ? isAccessSource : isAppSource),
    proxy: onlySource(sources, isProxySource)
  }
}

export const finding = (playbook: Playbook, confidence: number, reasons: Reason[]): Finding => ({
  playbook,
  confidence: Math.round(Math.min(0.99, Math.max(0.05, confidence)) * 100) / 100,
  reasons
})

export const ref = {
  window: (from: number, to: number): EvidenceRef => ({ kind: 'window', from: iso(from), to: iso(Math.max(from, to)) }),
  deploy: (d: DeployEvent): EvidenceRef => ({ kind: 'deploy', version: d.version, at: iso(d.at) }),
  group: (g: ErrorGroup): EvidenceRef => ({ kind: 'group', groupId: g.id }),
  route: (method: string, route: string): EvidenceRef => ({ kind: 'route', method, route }),
  health: (target: string, from: number | null, to: number | null, component: string | null = null): EvidenceRef => ({
    kind: 'health',
    target,
    ...(component === null ? {} : { component }),
    from: from === null ? null : iso(from),
    to: to === null ? null : iso(to)
  }),
  config: (name: string): EvidenceRef => ({ kind: 'config', name }),
  line: (path: string | null, line: number): EvidenceRef[] => (path === null ? [] : [{ kind: 'line', path, line }])
}

/** A failure rate in words: "31%" of requests, or "4.2/min" app errors. */
export function rateText(s: Series, r: number): string {
  if (s.mode !== 'app-errors') return percent(r)
  return perMinute(reportedRate(s, r))
}

/** "460 5xx in 1,500 requests (31%)" or "460 app errors (12/min)". */
export function countsText(s: Series, fromMs: number, toMs: number): string {
  const c = countsIn(s, fromMs, toMs)
  if (s.mode === 'app-errors') return `${count(c.fails)} ${s.failureLabel} (${rateText(s, rate(c))})`
  return `${count(c.fails)} ${s.failureLabel} in ${count(c.trials)} requests (${percent(rate(c))})`
}

export const inWindows = (windows: Episode[], t: number | null, slack = CLOCK_SLACK_MS): boolean =>
  t !== null && windows.some((e) => t >= e.start - slack && t <= e.end + slack)
