import { randomUUID } from 'node:crypto'
import path from 'node:path'
import type {
  AddSourceRequest,
  Empty,
  EventName,
  EventPayload,
  ReadLinesRequest,
  ReadLinesResponse,
  SessionSnapshot,
  SourceInfo,
  SourceRef,
  TriageHandlers
} from '../../shared/contract'
import { inspectSourceFile, SourceFileError, type SourceFileInfo } from '../collect/source-file'
import { indexLines, type LineIndex, readLinesAt } from './line-index'

/** A mistake in what the user asked for; crosses the bridge as `bad-input` with this message. */
export class UserError extends Error {
  override readonly name = 'UserError'
}

type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void

interface SourceRecord {
  info: SourceInfo
  file: SourceFileInfo
  index: LineIndex | null
  startedAt: number
}

const PROGRESS_INTERVAL_MS = 200

/**
 * One incident's evidence, in plain Node: the desktop app and browser mode both run this.
 * Handlers return snapshots; pushes are small notifications with a sequence number.
 */
export class SessionService implements TriageHandlers {
  private readonly sources = new Map<string, SourceRecord>()
  private readonly listeners = new Set<Listener>()
  private seq = 0
  private readonly incident = { id: randomUUID(), title: 'Untitled incident', createdAt: new Date().toISOString() }
  private readonly pending = new Set<Promise<unknown>>()

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit<E extends EventName>(event: E, payload: Omit<EventPayload<E>, 'seq'>): void {
    const full = { ...payload, seq: ++this.seq } as EventPayload<E>
    for (const l of this.listeners) l(event, full)
  }

  async getSnapshot(_req: Empty): Promise<SessionSnapshot> {
    return { seq: this.seq, incident: { ...this.incident }, sources: [...this.sources.values()].map((s) => ({ ...s.info })) }
  }

  async addSource(req: AddSourceRequest): Promise<SourceInfo> {
    const filePath = path.resolve(req.path.trim())
    for (const s of this.sources.values())
      if (s.info.path === filePath) throw new UserError(`${filePath}: already added`)
    let file: SourceFileInfo
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
      addedAt: new Date().toISOString()
    }
    const record: SourceRecord = { info, file, index: null, startedAt: Date.now() }
    this.sources.set(info.id, record)
    this.track(this.read(record))
    this.emit('session.changed', { topics: ['sources'] })
    return { ...info }
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** Resolves when every background read started so far has finished (tests, CLI). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  private async read(record: SourceRecord): Promise<void> {
    let lastPush = 0
    try {
      record.index = await indexLines(record.file, (bytesDone) => {
        record.info.bytesDone = bytesDone
        const now = Date.now()
        if (now - lastPush < PROGRESS_INTERVAL_MS) return
        lastPush = now
        this.emit('ingest.progress', {
          sourceId: record.info.id,
          bytesDone,
          bytesTotal: record.info.sizeBytes,
          linesPerSec: 0
        })
      })
      if (!this.sources.has(record.info.id)) return
      record.info.lines = record.index.lines
      record.info.bytesDone = record.info.sizeBytes
      record.info.state = 'ready'
    } catch (err) {
      record.info.state = 'error'
      record.info.error = err instanceof Error ? err.message : String(err)
    }
    this.emit('session.changed', { topics: ['sources'] })
  }

  async removeSource(req: SourceRef): Promise<Empty> {
    if (!this.sources.delete(req.id)) throw new UserError(`no source with id ${req.id}`)
    this.emit('session.changed', { topics: ['sources'] })
    return {}
  }

  async readLines(req: ReadLinesRequest): Promise<ReadLinesResponse> {
    const record = this.sources.get(req.sourceId)
    if (!record) throw new UserError(`no source with id ${req.sourceId}`)
    if (!record.index) throw new UserError(`${record.info.name} is still being read`)
    const { lines, eof } = await readLinesAt(record.file, record.index, req.fromLine, req.count)
    return { fromLine: req.fromLine, lines, eof }
  }
}
