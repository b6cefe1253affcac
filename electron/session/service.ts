import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type {
  AddSourceRequest,
  AddTargetRequest,
  Empty,
  EventName,
  EventPayload,
  ReadLinesRequest,
  ReadLinesResponse,
  SessionChangedEvent,
  SessionSnapshot,
  SourceInfo,
  SourceRef,
  TargetInfo,
  TriageHandlers
} from '../../shared/contract'
import { inspectSourceFile, SourceFileError } from '../collect/source-file'
import { readLinesAt } from '../collect/line-index'
import { UserError } from './errors'
import { LogSource } from './log-source'
import { PollTargets } from './targets'

export { UserError } from './errors'

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void
type Topic = SessionChangedEvent['topics'][number]

const PROGRESS_INTERVAL_MS = 200
/** Live changes are coalesced: at most one notification per window. */
const CHANGE_BATCH_MS = 100

export interface SessionOptions {
  /** Follow log files after reading them (default true; the CLI reads once). */
  follow?: boolean
}

/**
 * One incident's evidence, in plain Node: the desktop app and browser mode both run this.
 * Handlers return snapshots; pushes are small notifications with a sequence number.
 */
export class SessionService implements TriageHandlers {
  private readonly sources = new Map<string, LogSource>()
  private readonly listeners = new Set<Listener>()
  private seq = 0
  private readonly incident = { id: randomUUID(), title: 'Untitled incident', createdAt: new Date().toISOString() }
  private readonly pending = new Set<Promise<unknown>>()
  private readonly pendingTopics = new Set<Topic>()
  private changeTimer: NodeJS.Timeout | null = null
  readonly targets = new PollTargets(() => this.changed('targets'))
  private readonly follow: boolean

  constructor(opts: SessionOptions = {}) {
    this.follow = opts.follow ?? true
  }

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
    this.pendingTopics.add(topic)
    if (this.changeTimer) return
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null
      const topics = [...this.pendingTopics]
      this.pendingTopics.clear()
      this.emit('session.changed', { topics })
    }, CHANGE_BATCH_MS)
  }

  async getSnapshot(_req: Empty): Promise<SessionSnapshot> {
    return {
      seq: this.seq,
      incident: { ...this.incident },
      sources: [...this.sources.values()].map((s) => ({ ...s.info })),
      targets: this.targets.list(),
      deploys: this.targets.deployRecords()
    }
  }

  async addSource(req: AddSourceRequest): Promise<SourceInfo> {
    const filePath = path.resolve(req.path.trim())
    for (const s of this.sources.values()) if (s.info.path === filePath) throw new UserError(`${filePath}: already added`)
    let file
    try {
      file = await inspectSourceFile(filePath)
    } catch (err) {
      if (err instanceof SourceFileError) throw new UserError(err.message)
      throw err
    }
    const info: SourceInfo = {
      id: randomUUID(),
      path: filePath,
      name: path.basename(filePath),
      sizeBytes: file.sizeBytes,
      lines: 0,
      events: 0,
      unparsed: 0,
      format: null,
      state: 'reading',
      bytesDone: 0,
      error: null,
      addedAt: new Date().toISOString(),
      linesPerSec: 0,
      lastEventAt: null,
      note: null
    }
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
      this.follow
    )
    this.sources.set(info.id, source)
    this.track(source.start())
    this.changed('sources')
    return { ...info }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** Resolves when every whole-file read started so far has finished (tests, CLI). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  async removeSource(req: SourceRef): Promise<Empty> {
    const source = this.sources.get(req.id)
    if (!source) throw new UserError(`no source with id ${req.id}`)
    this.sources.delete(req.id)
    await source.stop()
    this.changed('sources')
    return {}
  }

  async readLines(req: ReadLinesRequest): Promise<ReadLinesResponse> {
    const source = this.sources.get(req.sourceId)
    if (!source) throw new UserError(`no source with id ${req.sourceId}`)
    if (!source.base) throw new UserError(`${source.info.name} is still being read`)
    const { lines, eof } = await readLinesAt(source.file, source.index, req.fromLine, req.count)
    return { fromLine: req.fromLine, lines, eof }
  }

  async addTarget(req: AddTargetRequest): Promise<TargetInfo> {
    const info = this.targets.add(req)
    this.changed('targets')
    return info
  }

  async removeTarget(req: SourceRef): Promise<Empty> {
    this.targets.remove(req.id)
    this.changed('targets')
    return {}
  }

  /** Stops tails and pollers (window closed, server stopped). */
  async close(): Promise<void> {
    if (this.changeTimer) clearTimeout(this.changeTimer)
    this.targets.stopAll()
    await Promise.all([...this.sources.values()].map((s) => s.stop()))
  }
}
