import { copyFile, mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type {
  AddSourceRequest,
  AddStoreRequest,
  AddTargetRequest,
  Empty,
  IncidentState,
  IncidentSummary,
  JournalEntry,
  PauseSourceRequest,
  QueryEventsRequest,
  QueryEventsResponse,
  ReadLinesRequest,
  SetSourceFormatRequest,
  ReadLinesResponse,
  RequestOf,
  SessionSnapshot,
  SourceInfo,
  SourceRef,
  TargetInfo,
  TriageHandlers,
  UpdateStepRequest
} from '../../shared/contract'
import type { AnalysisSnapshot, Playbook } from '../../shared/contract/analysis'
import type { Runbook } from '../../shared/contract/runbook'
import { buildRunbook } from '../../shared/runbook'
import { PLAYBOOK_MODULES } from '../../shared/playbooks'
import type { ExportResponse } from '../../shared/contract/incident'
import { formatCatalog } from '../collect/formats'
import { expandPathPattern } from '../collect/path-pattern'
import { SourceFileError } from '../collect/source-file'
import { UserError } from './errors'
import { PollTargets } from './targets'
import { type IncidentStorage, MemoryIncidentStorage } from './incident'
import { IncidentLifecycle } from './incident-lifecycle'
import { exportIncidentReport } from './export'
import type { DemoLauncher, DemoRun, DemoSink } from './demo-port'
import { deployEntry, healthEntry } from './store/entries'
import { ChangeFeed, type Listener, type Topic } from './change-feed'
import { AnalysisScheduler } from './analysis'
import { nonEmpty } from './sources'
import { createSourceHost, type SourceHost } from './source-host'
import type { StoreAdapter, StoreKind } from '../collect/store'
import type { KeychainLookup } from '../collect/store/credentials'
import { KEYCHAIN_DESKTOP_ONLY } from '../../shared/contract/credentials'
import { storeSourcePath } from './store-source'
import { EventQuery } from './explore'

export { UserError } from './errors'

export interface SessionOptions {
  /** Follow log files after reading them (default true). */
  follow?: boolean
  /** Where incidents live; memory when not given (CLI, tests). */
  storage?: IncidentStorage
  /** Open this incident instead of the most recent open one. */
  incidentId?: string
  /** Browser mode's upload folder: the uploads an incident's sources live in go when it is deleted. */
  uploadDir?: string
  /** Starts the built-in demo (`startDemo`); without it the demo is not offered. */
  demo?: DemoLauncher
  /**
   * The analysis clock: `wall` (default) for live evidence; `evidence` dates "now" at the end of
   * the evidence, so a one-shot analysis of files depends on the files only.
   */
  clock?: 'wall' | 'evidence'
  /** Worker threads for reading large files whole (default: one per core, up to 4). */
  workers?: number
  /** Store adapters by kind instead of the built-in ones (tests). */
  storeAdapters?: Partial<Record<StoreKind, StoreAdapter>>
  /**
   * The desktop app's keychain (electron/collect/store/vault.ts over Electron safeStorage): how
   * `keychain:NAME` credentials resolve. Without it (browser mode, CLI) they are refused in words.
   */
  keychain?: KeychainLookup
}

/** The running demo and the evidence it added, by id: what stopping it removes. */
interface RunningDemo {
  run: DemoRun
  deployAt: number
  sources: Set<string>
  targets: Set<string>
}

/**
 * One incident's evidence, in plain Node: the desktop app and browser mode both run this.
 * Handlers return snapshots; pushes are small notifications with a sequence number. The parts:
 * the change feed (pushes), the source set (log files), the poll targets, the analysis
 * scheduler (verdict) and the incident lifecycle (what is open, on disk); this class wires them.
 */
export class SessionService implements TriageHandlers {
  private readonly feed = new ChangeFeed()
  private readonly sources: SourceHost
  targets: PollTargets
  private readonly analysis: AnalysisScheduler
  private readonly incidents: IncidentLifecycle
  private readonly launchDemo: DemoLauncher | null
  /** How `keychain:` credentials resolve (stores, and any other reader given a credential reference, like Sentry); null: refused. */
  readonly keychain: KeychainLookup | null
  private readonly ready: Promise<void>
  private readonly eventQuery = new EventQuery()
  private lastHealthOk = new Map<string, boolean>()
  private demo: RunningDemo | null = null
  /** The runbook last built, and what it was built from: the analysis and the incident's revision. */
  private runbook: { analysis: AnalysisSnapshot | null; incidentRev: number; runbook: Runbook } | null = null
  /** Counts changes to the incident and its evidence (steps, notes, playbook, targets, which incident is open). */
  private incidentRev = 0
  private closed = false
  /** What reopening the incident found wrong (moved logs, corrupt files), in words. */
  problems: string[] = []

  constructor(opts: SessionOptions = {}) {
    this.incidents = new IncidentLifecycle(opts.storage ?? new MemoryIncidentStorage(), opts.uploadDir ?? null)
    this.launchDemo = opts.demo ?? null
    this.keychain = opts.keychain ?? null
    this.sources = createSourceHost(
      {
        changed: () => this.changed('sources'),
        progress: (sourceId, p) => this.feed.emit('ingest.progress', { sourceId, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, linesPerSec: p.linesPerSec })
      },
      opts.follow ?? true,
      opts.workers,
      opts.storeAdapters,
      opts.keychain
    )
    const clock = opts.clock ?? 'wall'
    this.analysis = new AnalysisScheduler({
      analyze: (now) => this.sources.analyze(this.targets.deploys, this.targets.healthSamples, now),
      log: (entry) => this.incidents.current.log(entry),
      analyzed: () => this.changed('analysis'),
      now: () => (clock === 'wall' ? Date.now() : undefined),
      staleWhileRunning: this.sources.remote
    })
    this.targets = this.newTargets()
    this.ready = this.openInitial(opts.incidentId)
  }

  private newTargets(): PollTargets {
    return new PollTargets(() => this.changed('targets'), {
      save: (kind, sample) => this.incidents.appendSample(kind, sample),
      onDeploy: (d) => this.incidents.current.log(deployEntry(d)),
      onHealth: async (h) => {
        const before = this.lastHealthOk.get(h.target)
        this.lastHealthOk.set(h.target, h.ok)
        if (before !== h.ok && (before !== undefined || !h.ok)) await this.incidents.current.log(healthEntry(h.target, h.ok, h.error, h.at))
      }
    })
  }

  private async openInitial(id?: string): Promise<void> {
    const open = id ?? (await this.incidents.initialId())
    if (open) return this.load(open)
    await this.incidents.create()
  }

  /** Opens a stored incident: re-reads its log files and restarts its pollers. */
  private async load(id: string): Promise<void> {
    const { state, samples, problems } = await this.incidents.open(id)
    this.targets.restore(samples.deploys, samples.health)
    const notes = [...problems]
    const recorded = [...state.sources]
    state.sources = []
    for (const s of recorded) {
      try {
        if (s.store) {
          await this.addStoreUnlocked(s.store)
          continue
        }
        await this.addSourceUnlocked({ path: s.path, ...(s.format ? { format: s.format } : {}), ...(s.fieldMap ? { fieldMap: s.fieldMap } : {}) })
      } catch (err) {
        // A moved log stays part of the incident: put it back where it was found, it may return.
        state.sources.push(s)
        notes.push(err instanceof Error ? err.message : String(err))
      }
    }
    for (const t of state.targets) {
      if (t.headerNames.length > 0) notes.push(`${t.name}: its ${t.headerNames.join(', ')} header is not stored; add the target again to poll with it`)
      try {
        this.targets.add({ kind: t.kind, name: t.name, url: t.url, intervalMs: t.intervalMs })
      } catch (err) {
        notes.push(err instanceof Error ? err.message : String(err))
      }
    }
    if (notes.length > 0) await this.incidents.reopenedWithProblems(notes)
    this.problems = notes
    this.analysis.markDirty()
  }

  subscribe(listener: Listener): () => void {
    return this.feed.subscribe(listener)
  }

  /** Notes a change for listeners; new evidence also schedules a fresh analysis. */
  private changed(topic: Topic): void {
    if (this.closed) return
    if (topic === 'sources' || topic === 'targets') this.analysis.markDirty()
    if (topic !== 'analysis') this.incidentRev++
    this.feed.changed(topic)
  }

  async getAnalysis(_req: Empty): Promise<AnalysisSnapshot | null> {
    await this.ready
    const analysis = await this.analysis.current()
    return analysis && this.analysis.behind ? { ...analysis, behind: true } : analysis
  }

  /** The runbook, built once per change of the analysis or the incident; the screen, the report and the CLI show this one. */
  async getRunbook(_req: Empty): Promise<Runbook> {
    await this.ready
    const analysis = await this.analysis.current()
    const last = this.runbook
    if (last && last.analysis === analysis && last.incidentRev === this.incidentRev) return last.runbook
    const runbook = buildRunbook(analysis, this.incidents.current.state)
    this.runbook = { analysis, incidentRev: this.incidentRev, runbook }
    return runbook
  }

  async getSnapshot(_req: Empty): Promise<SessionSnapshot> {
    await this.ready
    const incident = this.incidents.current.state
    const demo = this.demo
    return {
      seq: this.feed.seq,
      incident: { id: incident.id, title: incident.title, createdAt: incident.createdAt },
      sources: this.sources.infos(),
      targets: this.targets.list(),
      deploys: this.targets.deployRecords(),
      formats: formatCatalog(),
      demo: demo ? { oldVersion: demo.run.info.oldVersion, newVersion: demo.run.info.newVersion, brokenRoute: demo.run.info.brokenRoute, deployAt: demo.deployAt } : null
    }
  }

  /**
   * Adds the log at `req.path`, or every file its wildcard matches (`/var/log/nginx/*.log`, files
   * already added skipped); answers the first added. `~` is the home folder.
   */
  async addSource(req: AddSourceRequest): Promise<SourceInfo> {
    await this.ready
    let files: string[]
    try {
      files = await expandPathPattern(req.path)
    } catch (err) {
      if (err instanceof SourceFileError) throw new UserError(err.message)
      throw err
    }
    if (files.length === 1) return this.addSourceUnlocked({ ...req, path: files[0] })
    const known = new Set(this.sources.infos().map((s) => s.path))
    const fresh = files.filter((f) => !known.has(f))
    const [head, ...rest] = fresh
    if (head === undefined) throw new UserError(`${req.path.trim()}: every matching file is already added (${files.length})`)
    const first = await this.addSourceUnlocked({ ...req, path: head })
    for (const file of rest) await this.addSourceUnlocked({ ...req, path: file })
    return first
  }

  private async addSourceUnlocked(req: AddSourceRequest): Promise<SourceInfo> {
    const { info, file } = await this.sources.add(req)
    const st = await stat(info.path).catch(() => null)
    const record = {
      path: info.path,
      addedAt: info.addedAt,
      sizeBytes: st?.size ?? file.sizeBytes,
      mtimeMs: st?.mtimeMs ?? 0,
      ...(req.format ? { format: req.format } : {}),
      ...(info.fieldMapForced ? { fieldMap: info.fieldMapForced } : {})
    }
    await this.incidents.sourceAdded(record)
    this.changed('sources')
    return info
  }

  async addStore(req: AddStoreRequest): Promise<SourceInfo> {
    await this.ready
    return this.addStoreUnlocked(req)
  }

  private async addStoreUnlocked(req: AddStoreRequest): Promise<SourceInfo> {
    // Said when added, not at every read: without a vault this reference can never work here.
    if (req.credential.kind === 'keychain' && this.keychain === null) throw new UserError(`${storeSourcePath(req)}: credential keychain:${req.credential.id}: ${KEYCHAIN_DESKTOP_ONLY}`)
    const info = await this.sources.addStore(req)
    // Kept with the incident as it was given: a credential reference, never a secret.
    await this.incidents.sourceAdded({ path: info.path, addedAt: info.addedAt, sizeBytes: 0, mtimeMs: 0, store: req })
    this.changed('sources')
    return info
  }

  async setSourceFormat(req: SetSourceFormatRequest): Promise<SourceInfo> {
    await this.ready
    const old = this.sources.infos().find((s) => s.id === req.id)
    if (!old) throw new UserError(`no source with id ${req.id}`)
    const fieldMapForced = req.fieldMap === undefined ? old.fieldMapForced : nonEmpty(req.fieldMap)
    const info = await this.sources.reread(req.id, req.format, fieldMapForced)
    await this.incidents.sourceFormatSet(info.path, req.format, fieldMapForced)
    this.changed('sources')
    return info
  }

  /** Resolves when every whole-file read started so far has finished (tests, CLI). */
  async idle(): Promise<void> {
    await this.ready
    await this.sources.idle()
  }

  async removeSource(req: SourceRef): Promise<Empty> {
    await this.ready
    const removed = await this.sources.remove(req.id)
    await this.incidents.sourceRemoved(removed.path)
    this.changed('sources')
    return {}
  }

  async pauseSource(req: PauseSourceRequest): Promise<SourceInfo> {
    await this.ready
    const info = await this.sources.pause(req.id, req.paused)
    this.changed('sources')
    return info
  }

  async readLines(req: ReadLinesRequest): Promise<ReadLinesResponse> {
    return this.sources.readLines(req.sourceId, req.fromLine, req.count)
  }

  async queryEvents(req: QueryEventsRequest): Promise<QueryEventsResponse> {
    await this.ready
    const { targets, skipped } = await this.sources.scanTargets()
    const latestDeployAt = this.targets.deploys.reduce<number | null>((max, d) => (max === null || d.at > max ? d.at : max), null)
    return this.eventQuery.run(req, targets, skipped, latestDeployAt)
  }

  async addTarget(req: AddTargetRequest): Promise<TargetInfo> {
    await this.ready
    const info = this.targets.add(req)
    await this.incidents.targetAdded(req, info.url)
    this.changed('targets')
    return info
  }

  async removeTarget(req: SourceRef): Promise<Empty> {
    await this.ready
    const removed = this.targets.remove(req.id)
    await this.incidents.targetRemoved(removed.kind, removed.name)
    this.changed('targets')
    return {}
  }

  async getIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    return structuredClone(this.incidents.current.state)
  }

  async getJournal(_req: Empty): Promise<JournalEntry[]> {
    await this.ready
    return [...this.incidents.current.journal]
  }

  private async incidentChanged<T>(p: Promise<T>): Promise<T> {
    const v = await p
    this.changed('incident')
    return v
  }

  async updateStep(req: UpdateStepRequest): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incidents.current.updateStep(req, await this.stepTitle(req.playbook, req.stepId)))
  }

  /** A step's title as the engineer sees it: in the runbook shown, else in its playbook's own steps. */
  private async stepTitle(playbook: Playbook, stepId: string): Promise<string | undefined> {
    const runbook = await this.getRunbook({})
    if (runbook.playbook === playbook) return runbook.steps.find((s) => s.id === stepId)?.title
    const steps = PLAYBOOK_MODULES[playbook].steps({ a: await this.analysis.current(), incident: this.incidents.current.state })
    return steps.find((s) => s.id === stepId)?.title
  }

  async addNote(req: { text: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incidents.current.addNote(req.text))
  }

  async addDecision(req: { text: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incidents.current.addDecision(req.text))
  }

  async choosePlaybook(req: { playbook: Playbook | null }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incidents.current.choosePlaybook(req.playbook))
  }

  async renameIncident(req: { title: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incidents.current.rename(req.title))
  }

  async listIncidents(_req: Empty): Promise<IncidentSummary[]> {
    await this.ready
    return this.incidents.list()
  }

  async startDemo(_req: Empty): Promise<IncidentState> {
    await this.ready
    if (!this.launchDemo) throw new UserError('the demo is not available here')
    if (this.demo) throw new UserError('the demo incident is already running')
    await this.newIncident({})
    await this.incidents.current.rename('Demo: shop-api answers 500 after a deploy')
    const sources = new Set<string>()
    const targets = new Set<string>()
    const sink: DemoSink = {
      addSource: async (req) => {
        const info = await this.addSource(req)
        sources.add(info.id)
        return info
      },
      addTarget: async (req) => {
        const info = await this.addTarget(req)
        targets.add(info.id)
        return info
      }
    }
    let run: DemoRun
    try {
      run = await this.launchDemo(sink)
    } catch (err) {
      // The demo stopped itself; what it had added already goes with it.
      await this.removeDemoEvidence(sources, targets)
      throw err
    }
    this.demo = { run, deployAt: Date.now() + run.info.deployAfterMs, sources, targets }
    this.changed('incident')
    return structuredClone(this.incidents.current.state)
  }

  async stopDemo(_req: Empty): Promise<Empty> {
    await this.ready
    await this.stopDemoService()
    this.changed('sources')
    return {}
  }

  /**
   * The demo's pollers stop with the service and its temp folder goes, but the incident keeps
   * its evidence: the logs are copied into the incident's folder first and read from there, so
   * the verdict and the counts outlive Stop (the deploys and health samples are already saved).
   */
  private async stopDemoService(): Promise<void> {
    const demo = this.demo
    if (!demo) return
    this.demo = null
    const keepIn = this.incidents.evidenceDir()
    if (keepIn) await this.keepDemoLogs(demo.sources, keepIn)
    await this.removeDemoEvidence(demo.sources, demo.targets)
    await demo.run.demo.stop()
  }

  /** Swaps each demo log for a copy in `dir`; a log that cannot be copied goes, and the journal says so. */
  private async keepDemoLogs(sourceIds: Set<string>, dir: string): Promise<void> {
    await mkdir(dir, { recursive: true })
    for (const id of [...sourceIds]) {
      const info = this.sources.infos().find((s) => s.id === id)
      if (!info) continue
      const copy = path.join(dir, path.basename(info.path))
      try {
        await copyFile(info.path, copy)
      } catch (err) {
        await this.incidents.current.log({ at: new Date().toISOString(), kind: 'source', text: `The demo's log ${info.path} could not be kept: ${err instanceof Error ? err.message : String(err)}` })
        continue
      }
      await this.removeSource({ id })
      sourceIds.delete(id)
      await this.addSourceUnlocked({ path: copy })
    }
  }

  private async removeDemoEvidence(sources: Set<string>, targets: Set<string>): Promise<void> {
    for (const id of sources) if (this.sources.has(id)) await this.removeSource({ id })
    for (const id of targets) if (this.targets.list().some((t) => t.id === id)) await this.removeTarget({ id })
  }

  /** Stops what the open incident watches (its tails and pollers) before another is opened. */
  private async detach(): Promise<void> {
    await this.stopDemoService()
    await this.incidents.sourcesSeen(await this.sources.stopAll())
    this.targets.stopAll()
    this.targets = this.newTargets()
    this.lastHealthOk = new Map()
    this.analysis.reset()
  }

  async newIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    await this.detach()
    const state = await this.incidents.create()
    this.changed('incident')
    this.changed('sources')
    return structuredClone(state)
  }

  async openIncident(req: SourceRef): Promise<IncidentState> {
    await this.ready
    await this.incidents.check(req.id)
    await this.detach()
    await this.load(req.id)
    this.changed('incident')
    this.changed('sources')
    return structuredClone(this.incidents.current.state)
  }

  async closeIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    await this.stopDemoService()
    return this.incidentChanged(this.incidents.current.close())
  }

  async deleteIncident(req: SourceRef): Promise<Empty> {
    await this.ready
    await this.incidents.delete(req.id)
    return {}
  }

  async exportReport(req: RequestOf<'exportReport'>): Promise<ExportResponse> {
    await this.ready
    const analysis = await this.getAnalysis({})
    return exportIncidentReport({
      incident: structuredClone(this.incidents.current.state),
      analysis,
      runbook: await this.getRunbook({}),
      journal: [...this.incidents.current.journal],
      targets: this.targets.list(),
      sources: this.sources.infos(),
      format: req.format,
      redact: req.redact
    })
  }

  /** Stops tails and pollers (window closed, server stopped). */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined)
    await this.stopDemoService()
    this.closed = true
    this.feed.close()
    this.analysis.close()
    this.targets.stopAll()
    await this.incidents.sourcesSeen(await this.sources.stopAll())
    await this.sources.close()
  }
}
