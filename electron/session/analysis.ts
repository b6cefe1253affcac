import { LIVE_BUDGET } from '../../shared/live-budget'
import type { JournalEntry } from '../../shared/contract'
import type { AnalysisSnapshot, AnalysisV1, Playbook } from '../../shared/contract/analysis'
import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import { analyze } from '../../shared/analysis/verdict'
import type { SecondIndex } from '../../shared/analysis/verdict/second-index'
import type { IngestResult } from '../collect/ingest'
import { analysisInput } from './analysis-input'
import { detectionEntry, verdictEntry } from './store/entries'

/** What the session holds when the verdict runs: every source's reading and the pollers' samples. */
export interface Evidence {
  readings: { path: string; result: IngestResult }[]
  deploys: DeployEvent[]
  health: HealthSample[]
}

/**
 * The whole analysis (verdict, findings, timeline, routes…) of the evidence: what the session,
 * the report and `analyze` show. `now` defaults to the end of the evidence, so a one-shot
 * analysis depends on the files only. A live session passes its `index` of the sources' seconds,
 * kept between analyses (see analysisInput).
 */
export function buildAnalysisSnapshot(readings: Evidence['readings'], deploys: DeployEvent[], health: HealthSample[], now?: number, index?: SecondIndex): AnalysisSnapshot {
  return analyze(analysisInput(readings, deploys, health, now, index))
}

/** The `analyze --format json` document (schema triage500.analysis/v1). */
export function buildAnalysis(readings: Evidence['readings'], deploys: DeployEvent[], health: HealthSample[]): AnalysisV1 {
  return buildAnalysisSnapshot(readings, deploys, health).v1
}

/** Re-analysis waits for the evidence to settle this long (and never longer than the max): see LIVE_BUDGET. */
const ANALYSIS_DEBOUNCE_MS = LIVE_BUDGET.analysisDebounceMs
const ANALYSIS_MAX_WAIT_MS = LIVE_BUDGET.analysisMaxWaitMs

export interface AnalysisHooks {
  /** The analysis of the evidence as it is now (on the live worker when there is one); null with no evidence. */
  analyze(now: number | undefined): Promise<AnalysisSnapshot | null>
  /** Journals the onset and each change of verdict. */
  log(entry: JournalEntry): Promise<void>
  /** A scheduled analysis finished: listeners may pull it. */
  analyzed(): void
  /** The analysis clock: the wall clock live, undefined (the end of the evidence) for a one-shot analysis. */
  now(): number | undefined
  /**
   * Answer a caller with the last picture while the next is being computed (the live worker:
   * that picture's "analysis" notification follows), instead of making it wait for one.
   */
  staleWhileRunning?: boolean
}

/**
 * Runs the verdict when the evidence has settled, at most once per change burst, and keeps the
 * last answer; journals detection and verdict changes. One analysis runs at a time: evidence
 * that changes meanwhile is analysed right after it, so a fast log coarsens the updates but
 * never queues them up.
 */
export class AnalysisScheduler {
  private cache: AnalysisSnapshot | null = null
  private dirty = true
  private timer: NodeJS.Timeout | null = null
  private firstDirtyAt = 0
  private running: Promise<void> | null = null
  private lastPlaybook: Playbook | null = null
  private closed = false

  constructor(private readonly hooks: AnalysisHooks) {}

  /**
   * Whether newer evidence has waited behind the last analysis for longer than the live budget:
   * at thousands of lines a second there is always a batch waiting, which is no news.
   */
  get behind(): boolean {
    return this.dirty && Date.now() - this.firstDirtyAt > LIVE_BUDGET.totalMs
  }

  /** The evidence changed: analyze again once it settles. */
  markDirty(): void {
    if (this.closed) return
    if (!this.dirty) this.firstDirtyAt = Date.now()
    this.dirty = true
    // An analysis in flight re-schedules itself when it ends.
    if (this.running) return
    if (this.timer) clearTimeout(this.timer)
    const wait = Math.max(0, Math.min(ANALYSIS_DEBOUNCE_MS, this.firstDirtyAt + ANALYSIS_MAX_WAIT_MS - Date.now()))
    this.timer = setTimeout(() => {
      this.timer = null
      // A timer's last resort: a failed analysis is one line on stderr, never the end of the process.
      void this.current().then(
        () => this.hooks.analyzed(),
        (err: unknown) => void process.stderr.write(`triage500: analysis failed: ${err instanceof Error ? err.message : String(err)}\n`)
      )
    }, wait)
  }

  /** Another incident is open: forget the last verdict and analyze its evidence afresh. */
  reset(): void {
    this.lastPlaybook = null
    this.cache = null
    this.markDirty()
  }

  /**
   * The analysis of the current evidence, re-run only when it changed; null with no evidence.
   * Waits for the analysis in flight, then for at most one more: a steady stream of lines
   * never keeps a caller waiting.
   */
  async current(): Promise<AnalysisSnapshot | null> {
    // Live on the worker: the next picture is under way (or scheduled) and will be announced.
    if (this.hooks.staleWhileRunning === true && (this.running || this.timer) && this.cache !== null && !this.behind) return this.cache
    for (let round = 0; round < 2 && (this.dirty || this.running); round++) {
      this.running ??= this.runOnce().finally(() => {
        this.running = null
        if (this.dirty && !this.closed) this.markDirty()
      })
      await this.running
    }
    return this.cache
  }

  private async runOnce(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.dirty = false
    this.cache = await this.hooks.analyze(this.hooks.now())
    const verdict = this.cache?.v1.verdict ?? null
    const playbook = verdict?.playbook ?? null
    if (playbook !== null && playbook !== this.lastPlaybook && verdict) {
      const baseline = this.cache?.baseline
      if ((this.lastPlaybook === null || this.lastPlaybook === 'none') && playbook !== 'none' && baseline?.onset != null) {
        const after = this.cache?.v1.suspectDeploy?.errorRateAfter ?? baseline.errorRate
        await this.hooks.log(detectionEntry(baseline.onset, after, baseline.errorRate))
      }
      await this.hooks.log(verdictEntry(playbook, verdict.confidence, this.lastPlaybook))
      this.lastPlaybook = playbook
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
