import type { AppEvent, DeployEvent, HealthSample, ProxyErrorEvent } from '../model/evidence'
import type { RequestAggregateData } from './aggregate'
import type { SecondIndex } from './verdict/second-index'
import type { ErrorGroup } from './groups'
import type { SourceReading } from './readable'
import type { Restart } from './deploys/derive'
import type { MigrationSighting } from './deploys/lifecycle'

/** Everything the verdict engine reads: counters and bounded samples, never raw logs. */
export interface AnalysisInput {
  sources: SourceReading[]
  /** Requests of all sources merged: per status, per second, per route, and a sample of the failing ones. */
  requests: RequestAggregateData
  /** The same requests' per-second rows, merged and summed (kept between live analyses); built from `requests` when absent. */
  secondIndex?: SecondIndex
  /** Error-level app events (folded stack traces included): a bounded sample, in file order per source. */
  errorEvents: AppEvent[]
  errorEventsSeen: number
  /** Proxy error-log events (nginx/Apache): a bounded sample. */
  proxyErrors: ProxyErrorEvent[]
  proxyErrorsSeen: number
  /** Every error event grouped; `newSinceDeploy` is for the analysis to decide. */
  errorGroups: ErrorGroup[]
  /** Where each group's sample was read (file path and line), for "show the lines around it". */
  groupLocations: Record<string, { path: string; line: number }>
  timeFrom: number | null
  timeTo: number | null
  /** Given, polled and (origin `log`) seen in the apps' own logs, one entry per deploy. */
  deploys: DeployEvent[]
  /**
   * Starts of an instance that brought no new version, in time order (bounded): several on one
   * instance are a crash loop. The first start an instance logs is one too.
   */
  restarts: Restart[]
  /** Schema migrations the apps' logs show running (or finding nothing to do), in time order (bounded). */
  migrations: MigrationSighting[]
  health: HealthSample[]
  /** Wall-clock time of the analysis: a live incident's "still failing" is judged against it. */
  now: number
}
