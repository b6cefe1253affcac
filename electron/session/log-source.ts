import type { SourceInfo } from '../../shared/contract'
import type { LogFormatId } from '../../shared/model/evidence'
import type { FieldMap } from '../collect/formats'
import { unreadReason } from '../../shared/analysis/readable'
import { clock } from '../../shared/format'
import { type IngestResult, LinePipeline, mergeResults } from '../collect/ingest'
import type { LineIndex } from '../collect/line-index'
import { readLogFile, type ReadProgress, type ReadResult } from '../collect/read-file'
import type { SourceFileInfo } from '../collect/source-file'
import { FileTailer, type TailLine, type TailStatus } from '../collect/tail'

/** A multi-line event at the end of a tail is closed after this much quiet. */
const QUIET_FLUSH_MS = 400
const RATE_WINDOW_MS = 2000

export interface LogSourceHooks {
  changed(): void
  progress(p: ReadProgress): void
}

/**
 * One log file of the incident: read whole (on worker threads when large), then followed with
 * `tail -F` semantics from exactly where the read stopped, through the same parse pipeline.
 */
export class LogSource {
  base: ReadResult | null = null
  private live: LinePipeline | null = null
  private tailer: FileTailer | null = null
  private quietTimer: NodeJS.Timeout | null = null
  private readonly arrivals: { at: number; lines: number }[] = []
  private stopped = false
  /** The tail last said the file is gone, or failed: cleared once it follows the file again. */
  private gone = false
  private tailFailed = false
  private pausedAt: { offset: number; line: number } | null = null
  private readonly abort = new AbortController()

  constructor(
    readonly info: SourceInfo,
    readonly file: SourceFileInfo,
    private readonly hooks: LogSourceHooks,
    private readonly follow: boolean,
    /** The format the user chose; null detects it from the first lines. */
    readonly forcedFormat: LogFormatId | null = null,
    /** Field roles the user corrected (`status` ← `response_code`); inference fills the rest. */
    readonly fieldMap: FieldMap | null = null
  ) {}

  get index(): LineIndex | null {
    return this.base?.index ?? null
  }

  async start(): Promise<void> {
    try {
      const base = await readLogFile(this.file, {
        format: this.forcedFormat,
        fieldMap: this.fieldMap,
        holdPartialLastLine: this.follow && !this.file.gzip,
        signal: this.abort.signal,
        onProgress: (p) => {
          this.info.bytesDone = p.bytesDone
          this.hooks.progress(p)
        }
      })
      if (this.stopped) return
      this.base = base
      this.refreshCounts()
      this.info.bytesDone = this.info.sizeBytes
      this.info.state = 'ready'
      if (this.follow && !this.file.gzip) await this.startTail(base)
    } catch (err) {
      if (this.stopped) return
      this.info.state = 'error'
      this.info.error = `${this.info.name}: ${err instanceof Error ? err.message : String(err)}`
    }
    this.hooks.changed()
  }

  private async startTail(base: ReadResult): Promise<void> {
    // A file that started empty or unreadable is detected again from the lines that arrive.
    const settled = base.format !== 'unknown' || this.forcedFormat !== null
    this.live = new LinePipeline({ format: settled ? base.format : null, fieldMap: base.fieldMap ?? this.fieldMap, redetect: !settled, sourceKey: this.file.path })
    await this.tailFrom(base.resume)
  }

  private async tailFrom(startAt: { offset: number; line: number } | null): Promise<void> {
    this.tailer = new FileTailer(this.file.path, startAt ? { startAt } : { fromStart: true }, {
      onLines: (lines) => this.onLines(lines),
      onStatus: (s) => this.onStatus(s)
    })
    await this.tailer.start()
    if (!this.stopped) this.info.state = 'tailing'
  }

  /**
   * Stops following without losing anything: resuming reads from the byte after the last line
   * taken, so lines written meanwhile arrive then (unless the file was rotated away meanwhile).
   */
  async pause(): Promise<void> {
    if (this.info.state !== 'tailing' || !this.tailer) return
    this.pausedAt = this.tailer.resumePoint()
    await this.tailer.stop()
    this.tailer = null
    this.info.state = 'paused'
    this.info.linesPerSec = 0
    this.hooks.changed()
  }

  async resume(): Promise<void> {
    if (this.info.state !== 'paused' || this.stopped) return
    const from = this.pausedAt
    this.pausedAt = null
    if (from === null) this.info.note = 'the file was replaced while paused: following it from its start'
    await this.tailFrom(from)
    this.hooks.changed()
  }

  private onLines(lines: TailLine[]): void {
    const live = this.live
    if (!live || this.stopped) return
    for (const l of lines) live.pushLine(l.text, l.lineNo, l.offset)
    this.arrivals.push({ at: Date.now(), lines: lines.length })
    if (this.quietTimer) clearTimeout(this.quietTimer)
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null
      live.flush()
      this.refreshCounts()
      this.hooks.changed()
    }, QUIET_FLUSH_MS)
    this.refreshCounts()
    this.hooks.changed()
  }

  private onStatus(s: TailStatus): void {
    const at = clock(Date.now())
    const notes: Partial<Record<TailStatus['kind'], string>> = {
      rotated: `rotated at ${at}; following the new file`,
      truncated: `truncated at ${at}; reading again from the start`,
      deleted: `deleted at ${at}; waiting for it to come back`,
      waiting: 'file is gone; waiting for it to come back'
    }
    if (s.kind === 'error') this.info.error = `${this.info.name}: ${s.message}`
    const note = notes[s.kind]
    if (note) this.info.note = note
    // The file is back: "gone, waiting" and the tail's error no longer hold (a rotation note stays, it is history).
    const back = s.kind === 'following' && (this.gone || this.tailFailed)
    if (back) {
      if (this.gone) this.info.note = null
      if (this.tailFailed) this.info.error = null
      this.gone = false
      this.tailFailed = false
    }
    if (s.kind === 'deleted' || s.kind === 'waiting') this.gone = true
    if (s.kind === 'error') this.tailFailed = true
    if (note || back || s.kind === 'error') this.hooks.changed()
  }

  /** Everything read so far: the whole-file read plus what the tail has added. */
  result(): IngestResult | null {
    if (!this.base) return null
    if (!this.live) return this.base
    const live = this.live.snapshot()
    const merged = mergeResults([this.base, live])
    if (this.base.format === 'unknown' && live.format !== 'unknown') {
      merged.format = live.format
      merged.fieldMap = live.fieldMap
    }
    return merged
  }

  private refreshCounts(): void {
    const r = this.result()
    if (!r) return
    this.info.lines = r.lines
    this.info.events = r.events
    this.info.unparsed = r.unparsed
    this.info.format = r.format
    this.info.fieldMap = r.fieldMap
    this.info.unread = unreadReason(this.info.name, { ...r, requests: r.requests.requests, dated: r.timeFrom !== null })
    this.info.lastEventAt = r.timeTo === null ? null : new Date(r.timeTo).toISOString()
    const now = Date.now()
    while (this.arrivals.length > 0 && now - this.arrivals[0].at > RATE_WINDOW_MS) this.arrivals.shift()
    this.info.linesPerSec = Math.round(this.arrivals.reduce((n, a) => n + a.lines, 0) / (RATE_WINDOW_MS / 1000))
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    if (this.quietTimer) clearTimeout(this.quietTimer)
    await this.tailer?.stop()
  }
}
