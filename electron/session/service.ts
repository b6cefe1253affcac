import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type {
  AddSourceRequest,
  AddTargetRequest,
  Empty,
  EventName,
  EventPayload,
  IncidentState,
  IncidentSummary,
  JournalEntry,
  PauseSourceRequest,
  ReadLinesRequest,
  SetSourceFormatRequest,
  ReadLinesResponse,
  RequestOf,
  SessionChangedEvent,
  SessionSnapshot,
  SourceInfo,
  SourceRef,
  TargetInfo,
  TriageHandlers,
  UpdateStepRequest
} from '../../shared/contract'
import type { AnalysisSnapshot, Playbook } from '../../shared/contract/analysis'
import type { ExportResponse } from '../../shared/contract/incident'
import { analyze } from '../../shared/analysis/verdict'
import { inspectSourceFile, resolveAppPath, SourceFileError, type SourceFileInfo } from '../collect/source-file'
import type { FieldMap, LogFormatId } from '../../shared/model/evidence'
import { readLinesAt } from '../collect/line-index'
import { formatCatalog } from '../collect/formats'
import { analysisInput } from '../collect/analysis-input'
import { UserError } from './errors'
import { LogSource } from './log-source'
import { PollTargets } from './targets'
import { IncidentRecord, type IncidentStorage, MemoryIncidentStorage } from './incident'
import { exportIncidentReport } from './export'
import { removeUploadFolders, uploadFoldersOf } from './uploads'
import { startDemoInSession, type DemoInfo, type DemoService } from '../demo'
import { deployEntry, detectionEntry, healthEntry, sourceEntry, verdictEntry } from './store/entries'

export { UserError } from './errors'

/** A source's counters before anything was read. */
function freshCounts(sizeBytes: number): Omit<SourceInfo, 'id' | 'path' | 'name' | 'addedAt' | 'format' | 'formatForced' | 'fieldMapForced'> {
  return { sizeBytes, lines: 0, events: 0, eventLines: 0, directiveLines: 0, unparsed: 0, behindBytes: 0, state: 'reading', bytesDone: 0, error: null, linesPerSec: 0, lastEventAt: null, note: null, fieldMap: null, unread: null }
}

function nonEmpty(map: FieldMap | null | undefined): FieldMap | null {
  return map && Object.keys(map).length > 0 ? map : null
}

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void
type Topic = SessionChangedEvent['topics'][number]

const PROGRESS_INTERVAL_MS = 200
/** Live changes are coalesced: at most one notification per window. */
const CHANGE_BATCH_MS = 100
/** Re-analysis waits for the evidence to settle this long (and never longer than the max). */
const ANALYSIS_DEBOUNCE_MS = 250
const ANALYSIS_MAX_WAIT_MS = 1000

export interface SessionOptions {
  /** Follow log files after reading them (default true). */
  follow?: boolean
  /** Where incidents live; memory when not given (CLI, tests). */
  storage?: IncidentStorage
  /** Open this incident instead of the most recent open one. */
  incidentId?: string
  /** Browser mode's upload folder: the uploads an incident's sources live in go when it is deleted. */
  uploadDir?: string
}

/**
 * One incident's evidence, in plain Node: the desktop app and browser mode both run this.
 * Handlers return snapshots; pushes are small notifications with a sequence number.
 */
export class SessionService implements TriageHandlers {
  private sources = new Map<string, LogSource>()
  private readonly listeners = new Set<Listener>()
  private seq = 0
  private readonly pendingTopics = new Set<Topic>()
  private changeTimer: NodeJS.Timeout | null = null
  targets: PollTargets
  private readonly follow: boolean
  private readonly storage: IncidentStorage
  private readonly uploadDir: string | null
  private incident!: IncidentRecord
  private readonly ready: Promise<void>
  private analysisCache: AnalysisSnapshot | null = null
  private analysisDirty = true
  private analysisTimer: NodeJS.Timeout | null = null
  private analysisFirstDirtyAt = 0
  private lastPlaybook: Playbook | null = null
  private readonly pending = new Set<Promise<unknown>>()
  private lastHealthOk = new Map<string, boolean>()

  constructor(opts: SessionOptions = {}) {
    this.follow = opts.follow ?? true
    this.storage = opts.storage ?? new MemoryIncidentStorage()
    this.uploadDir = opts.uploadDir ?? null
    this.targets = this.newTargets()
    this.ready = this.openInitial(opts.incidentId)
  }

  private newTargets(): PollTargets {
    return new PollTargets(() => this.changed('targets'), {
      onDeploy: (d) => {
        void this.storage.appendSample(this.incident.state.id, 'deploys', d)
        void this.incident.log(deployEntry(d))
      },
      onHealth: (h) => {
        void this.storage.appendSample(this.incident.state.id, 'health', h)
        const before = this.lastHealthOk.get(h.target)
        this.lastHealthOk.set(h.target, h.ok)
        if (before !== h.ok && (before !== undefined || !h.ok)) void this.incident.log(healthEntry(h.target, h.ok, h.error, h.at))
      }
    })
  }

  private async openInitial(id?: string): Promise<void> {
    if (id) return this.load(id)
    const open = (await this.storage.list()).filter((i) => i.closedAt === null).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    if (open.length > 0) return this.load(open[0].id)
    const state = await this.storage.create()
    this.incident = new IncidentRecord(state, (await this.storage.open(state.id)).journal, this.storage)
  }

  /** Opens a stored incident: re-reads its log files and restarts its pollers. */
  private async load(id: string): Promise<void> {
    const { state, journal, problems } = await this.storage.open(id)
    this.incident = new IncidentRecord(state, journal, this.storage)
    const samples = await this.storage.readSamples(id)
    this.targets.restore(samples.deploys, samples.health)
    const notes = [...problems, ...(samples.problems ?? []), ...(await this.storage.checkSources(state))]
    const recorded = [...state.sources]
    state.sources = []
    for (const s of recorded) {
      try {
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
    if (notes.length > 0)
      await this.incident.log({ at: new Date().toISOString(), kind: 'incident', text: `Reopened with problems: ${notes.join('; ')}`, data: { problems: notes } })
    this.problems = notes
    this.markDirty()
  }

  /** What reopening the incident found wrong (moved logs, corrupt files), in words. */
  problems: string[] = []
  private closed = false
  private demo: { demo: DemoService; info: DemoInfo; deployAt: number } | null = null

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit<E extends EventName>(event: E, payload: Omit<EventPayload<E>, 'seq'>): void {
    const full = { ...payload, seq: ++this.seq } as EventPayload<E>
    for (const l of this.listeners) l(event, full)
  }

  /** Notes a change; listeners hear of it once per batch window, whatever the rate of lines. */
  private changed(topic: Topic): void {
    if (this.closed) return
    this.pendingTopics.add(topic)
    if (topic === 'sources' || topic === 'targets') this.markDirty()
    if (this.changeTimer) return
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null
      const topics = [...this.pendingTopics]
      this.pendingTopics.clear()
      this.emit('session.changed', { topics })
    }, CHANGE_BATCH_MS)
  }

  private markDirty(): void {
    if (this.closed) return
    if (!this.analysisDirty) this.analysisFirstDirtyAt = Date.now()
    this.analysisDirty = true
    if (this.analysisTimer) clearTimeout(this.analysisTimer)
    const wait = Math.max(0, Math.min(ANALYSIS_DEBOUNCE_MS, this.analysisFirstDirtyAt + ANALYSIS_MAX_WAIT_MS - Date.now()))
    this.analysisTimer = setTimeout(() => {
      this.analysisTimer = null
      // A timer's last resort: a failed analysis is one line on stderr, never the end of the process.
      void this.refreshAnalysis().then(
        () => this.changed('analysis'),
        (err: unknown) => void process.stderr.write(`triage500: analysis failed: ${err instanceof Error ? err.message : String(err)}\n`)
      )
    }, wait)
  }

  /** Re-runs the verdict on the current evidence; journals detection and verdict changes. */
  private async refreshAnalysis(): Promise<AnalysisSnapshot | null> {
    if (!this.analysisDirty) return this.analysisCache
    this.analysisDirty = false
    const readings: { path: string; result: NonNullable<ReturnType<LogSource['result']>> }[] = []
    for (const s of this.sources.values()) {
      const r = s.result()
      if (r) readings.push({ path: s.info.path, result: r })
    }
    const empty = readings.length === 0 && this.targets.deploys.length === 0 && this.targets.healthSamples.length === 0
    this.analysisCache = empty ? null : analyze(analysisInput(readings, this.targets.deploys, this.targets.healthSamples, Date.now()))
    const verdict = this.analysisCache?.v1.verdict ?? null
    const playbook = verdict?.playbook ?? null
    if (playbook !== null && playbook !== this.lastPlaybook && verdict) {
      const baseline = this.analysisCache?.baseline
      if ((this.lastPlaybook === null || this.lastPlaybook === 'none') && playbook !== 'none' && baseline?.onset != null) {
        const after = this.analysisCache?.v1.suspectDeploy?.errorRateAfter ?? baseline.errorRate
        await this.incident.log(detectionEntry(baseline.onset, after, baseline.errorRate))
      }
      await this.incident.log(verdictEntry(playbook, verdict.confidence, this.lastPlaybook))
      this.lastPlaybook = playbook
    }
    return this.analysisCache
  }

  async getAnalysis(_req: Empty): Promise<AnalysisSnapshot | null> {
    await this.ready
    return this.analysisDirty ? this.refreshAnalysis() : this.analysisCache
  }

  async getSnapshot(_req: Empty): Promise<SessionSnapshot> {
    await this.ready
    return {
      seq: this.seq,
      incident: { id: this.incident.state.id, title: this.incident.state.title, createdAt: this.incident.state.createdAt },
      sources: [...this.sources.values()].map((s) => ({ ...s.info })),
      targets: this.targets.list(),
      deploys: this.targets.deployRecords(),
      formats: formatCatalog(),
      demo: this.demo
        ? { oldVersion: this.demo.info.oldVersion, newVersion: this.demo.info.newVersion, brokenRoute: this.demo.info.brokenRoute, deployAt: this.demo.deployAt }
        : null
    }
  }

  async addSource(req: AddSourceRequest): Promise<SourceInfo> {
    await this.ready
    return this.addSourceUnlocked(req)
  }

  private async addSourceUnlocked(req: AddSourceRequest): Promise<SourceInfo> {
    let filePath
    let file
    try {
      filePath = resolveAppPath(req.path)
      for (const s of this.sources.values()) if (s.info.path === filePath) throw new UserError(`${filePath}: already added`)
      file = await inspectSourceFile(filePath)
    } catch (err) {
      if (err instanceof SourceFileError) throw new UserError(err.message)
      throw err
    }
    const info: SourceInfo = {
      id: randomUUID(),
      path: filePath,
      name: path.basename(filePath),
      addedAt: new Date().toISOString(),
      ...freshCounts(file.sizeBytes),
      format: req.format ?? null,
      formatForced: req.format !== undefined,
      fieldMapForced: nonEmpty(req.fieldMap)
    }
    this.startLogSource(info, file, req.format ?? null, info.fieldMapForced)
    const st = await stat(filePath).catch(() => null)
    const record = { path: filePath, addedAt: info.addedAt, sizeBytes: st?.size ?? file.sizeBytes, mtimeMs: st?.mtimeMs ?? 0, ...(req.format ? { format: req.format } : {}), ...(info.fieldMapForced ? { fieldMap: info.fieldMapForced } : {}) }
    this.incident.state.sources.push(record)
    await this.incident.save()
    await this.incident.log(sourceEntry('added', record))
    this.changed('sources')
    return { ...info }
  }

  /** Reads the file (whole, then followed) into the session under `info.id`. */
  private startLogSource(info: SourceInfo, file: SourceFileInfo, format: LogFormatId | null, fieldMap: FieldMap | null): LogSource {
    let lastProgress = 0
    const source = new LogSource(
      info,
      file,
      {
        changed: () => this.changed('sources'),
        progress: (p) => {
          const now = Date.now()
          if (now - lastProgress < PROGRESS_INTERVAL_MS) return
          lastProgress = now
          this.emit('ingest.progress', { sourceId: info.id, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, linesPerSec: p.linesPerSec })
        }
      },
      this.follow,
      format,
      fieldMap
    )
    this.sources.set(info.id, source)
    this.track(source.start())
    return source
  }

  async setSourceFormat(req: SetSourceFormatRequest): Promise<SourceInfo> {
    await this.ready
    const old = this.sources.get(req.id)
    if (!old) throw new UserError(`no source with id ${req.id}`)
    await old.stop()
    let file
    try {
      file = await inspectSourceFile(old.info.path)
    } catch (err) {
      if (err instanceof SourceFileError) throw new UserError(err.message)
      throw err
    }
    const fieldMapForced = req.fieldMap === undefined ? old.info.fieldMapForced : nonEmpty(req.fieldMap)
    const info: SourceInfo = { ...old.info, ...freshCounts(file.sizeBytes), formatForced: req.format !== null, format: req.format, fieldMapForced }
    const source = this.startLogSource(info, file, req.format, fieldMapForced)
    const record = this.incident.state.sources.find((s) => s.path === info.path)
    if (record) {
      if (req.format) record.format = req.format
      else delete record.format
      if (fieldMapForced) record.fieldMap = fieldMapForced
      else delete record.fieldMap
      await this.incident.save()
    }
    this.changed('sources')
    return { ...source.info }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** Resolves when every whole-file read started so far has finished (tests, CLI). */
  async idle(): Promise<void> {
    await this.ready
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  async removeSource(req: SourceRef): Promise<Empty> {
    await this.ready
    const source = this.sources.get(req.id)
    if (!source) throw new UserError(`no source with id ${req.id}`)
    this.sources.delete(req.id)
    await source.stop()
    const record = this.incident.state.sources.find((s) => s.path === source.info.path)
    this.incident.state.sources = this.incident.state.sources.filter((s) => s.path !== source.info.path)
    await this.incident.save()
    if (record) await this.incident.log(sourceEntry('removed', record))
    this.changed('sources')
    return {}
  }

  async pauseSource(req: PauseSourceRequest): Promise<SourceInfo> {
    await this.ready
    const source = this.sources.get(req.id)
    if (!source) throw new UserError(`no source with id ${req.id}`)
    if (req.paused) {
      if (source.info.state !== 'tailing') throw new UserError(`${source.info.name} is not being followed, so it cannot be paused`)
      await source.pause()
    } else await source.resume()
    this.changed('sources')
    return { ...source.info }
  }

  async readLines(req: ReadLinesRequest): Promise<ReadLinesResponse> {
    const source = this.sources.get(req.sourceId)
    if (!source) throw new UserError(`no source with id ${req.sourceId}`)
    if (!source.base) throw new UserError(`${source.info.name} is still being read`)
    const { lines, eof } = await readLinesAt(source.file, source.index, req.fromLine, req.count)
    return { fromLine: req.fromLine, lines, eof }
  }

  async addTarget(req: AddTargetRequest): Promise<TargetInfo> {
    await this.ready
    const info = this.targets.add(req)
    this.incident.state.targets.push({ kind: req.kind, name: req.name, url: info.url, intervalMs: req.intervalMs, headerNames: Object.keys(req.headers ?? {}) })
    await this.incident.save()
    await this.incident.log({ at: new Date().toISOString(), kind: 'source', text: `${req.kind === 'health' ? 'Health' : 'Deploy'} endpoint added: ${req.name} (${info.url})`, data: { target: req.name, kind: req.kind } })
    this.changed('targets')
    return info
  }

  async removeTarget(req: SourceRef): Promise<Empty> {
    await this.ready
    const removed = this.targets.remove(req.id)
    this.incident.state.targets = this.incident.state.targets.filter((t) => !(t.kind === removed.kind && t.name === removed.name))
    await this.incident.save()
    this.changed('targets')
    return {}
  }

  async getIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    return structuredClone(this.incident.state)
  }

  async getJournal(_req: Empty): Promise<JournalEntry[]> {
    await this.ready
    return [...this.incident.journal]
  }

  private async incidentChanged<T>(p: Promise<T>): Promise<T> {
    const v = await p
    this.changed('incident')
    return v
  }

  async updateStep(req: UpdateStepRequest): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incident.updateStep(req))
  }

  async addNote(req: { text: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incident.addNote(req.text))
  }

  async addDecision(req: { text: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incident.addDecision(req.text))
  }

  async choosePlaybook(req: { playbook: Playbook | null }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incident.choosePlaybook(req.playbook))
  }

  async renameIncident(req: { title: string }): Promise<IncidentState> {
    await this.ready
    return this.incidentChanged(this.incident.rename(req.title))
  }

  async listIncidents(_req: Empty): Promise<IncidentSummary[]> {
    await this.ready
    return this.storage.list()
  }

  async startDemo(_req: Empty): Promise<IncidentState> {
    await this.ready
    if (this.demo) throw new UserError('the demo incident is already running')
    await this.newIncident({})
    await this.incident.rename('Demo: shop-api answers 500 after a deploy')
    const started = await startDemoInSession(this)
    this.demo = { ...started, deployAt: Date.now() + started.info.deployAfterMs }
    this.changed('incident')
    return structuredClone(this.incident.state)
  }

  async stopDemo(_req: Empty): Promise<Empty> {
    await this.ready
    await this.stopDemoService()
    this.changed('sources')
    return {}
  }

  /** The demo's tails and pollers stop with the service, and its temp folder goes. */
  private async stopDemoService(): Promise<void> {
    const demo = this.demo
    if (!demo) return
    this.demo = null
    for (const [id, s] of this.sources) if (s.info.path.startsWith(demo.info.dir)) await this.removeSource({ id })
    for (const t of this.targets.list()) if (t.url.startsWith(`http://127.0.0.1:${demo.info.port}/`)) await this.removeTarget({ id: t.id })
    await demo.demo.stop()
  }

  /** Stops what the open incident watches (its tails and pollers) before another is opened. */
  private async detach(): Promise<void> {
    await this.stopDemoService()
    await Promise.all([...this.sources.values()].map((s) => s.stop()))
    this.sources = new Map()
    this.targets.stopAll()
    this.targets = this.newTargets()
    this.lastHealthOk = new Map()
    this.lastPlaybook = null
    this.analysisCache = null
    this.markDirty()
  }

  async newIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    await this.detach()
    const state = await this.storage.create()
    this.incident = new IncidentRecord(state, (await this.storage.open(state.id)).journal, this.storage)
    this.changed('incident')
    this.changed('sources')
    return structuredClone(state)
  }

  async openIncident(req: SourceRef): Promise<IncidentState> {
    await this.ready
    await this.storage.open(req.id)
    await this.detach()
    await this.load(req.id)
    this.changed('incident')
    this.changed('sources')
    return structuredClone(this.incident.state)
  }

  async closeIncident(_req: Empty): Promise<IncidentState> {
    await this.ready
    await this.stopDemoService()
    return this.incidentChanged(this.incident.close())
  }

  async deleteIncident(req: SourceRef): Promise<Empty> {
    await this.ready
    if (req.id === this.incident.state.id) throw new UserError('close or switch away from the open incident before deleting it')
    const uploads = this.uploadDir === null ? [] : uploadFoldersOf((await this.storage.open(req.id)).state.sources, this.uploadDir)
    await this.storage.delete(req.id)
    if (this.uploadDir !== null) await removeUploadFolders(uploads, uploadFoldersOf(this.incident.state.sources, this.uploadDir))
    return {}
  }

  async exportReport(req: RequestOf<'exportReport'>): Promise<ExportResponse> {
    await this.ready
    return exportIncidentReport({
      incident: structuredClone(this.incident.state),
      analysis: await this.getAnalysis({}),
      journal: [...this.incident.journal],
      format: req.format,
      redact: req.redact
    })
  }

  /** Stops tails and pollers (window closed, server stopped). */
  async close(): Promise<void> {
    await this.ready.catch(() => undefined)
    await this.stopDemoService()
    this.closed = true
    if (this.changeTimer) clearTimeout(this.changeTimer)
    if (this.analysisTimer) clearTimeout(this.analysisTimer)
    this.targets.stopAll()
    await Promise.all([...this.sources.values()].map((s) => s.stop()))
  }
}
