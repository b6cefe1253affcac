import type { SourceInfo } from '../../shared/contract'
import type { LogFormatId } from '../../shared/model/evidence'
import type { FieldMap } from '../collect/formats'
import { unreadReason } from '../../shared/analysis/readable'
import { clock } from '../../shared/format'
import { LIVE_BUDGET } from '../../shared/live-budget'
import { addCounts, countsOf, type IngestCounts, type IngestResult, LinePipeline, mergeResults } from '../collect/ingest'
import type { LineIndex } from '../collect/line-index'
import { readLogFile, type ReadProgress, type ReadResult } from '../collect/read-file'
import type { SourceFileInfo } from '../collect/source-file'
import { FileTailer, type TailLine, type TailStatus } from '../collect/tail'

/** A multi-line event at the end of a tail is closed after this much quiet. */
const QUIET_FLUSH_MS = 400
const RATE_WINDOW_MS = 2000
/**
 * The counters (a snapshot of the whole reading: not free) are refreshed at once for lines after
 * a quiet spell, then at most this often while lines keep arriving, not at every batch of the tail.
 */
const REFRESH_MS = LIVE_BUDGET.countersRefreshMs

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
  private refreshTimer: NodeJS.Timeout | null = null
  private lastRefreshAt = 0
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
    readonly fieldMap: FieldMap | null = null,
    /** Worker threads for the whole-file read (default: read-file's own choice). */
    private readonly workers?: number
  ) {}

  get index(): LineIndex | null {
    return this.base?.index ?? null
  }

  async start(): Promise<void> {
    try {
      const base = await readLogFile(this.file, {
        format: this.forcedFormat,
        fieldMap: this.fieldMap,
        ...(this.workers === undefined ? {} : { workers: this.workers }),
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
    // The tail's aggregate continues the read's, so the whole reading needs no merge of the two.
    this.live = new LinePipeline({
      format: settled ? base.format : null,
      fieldMap: base.fieldMap ?? this.fieldMap,
      redetect: !settled,
      sourceKey: this.file.path,
      continueRequests: base.requests
    })
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

  /** One batch of the tail (at most its read size): parsed now, counted at the next refresh. */
  private onLines(lines: TailLine[]): void {
    const live = this.live
    if (!live || this.stopped) return
    for (const l of lines) live.pushLine(l.text, l.lineNo, l.offset, l.cut === true)
    const now = Date.now()
    const last = this.arrivals[this.arrivals.length - 1]
    // One entry per 100 ms, whatever the number of batches: the rate window stays small.
    if (last !== undefined && now - last.at < 100) last.lines += lines.length
    else this.arrivals.push({ at: now, lines: lines.length })
    if (this.quietTimer) clearTimeout(this.quietTimer)
    this.quietTimer = setTimeout(() => {
      this.quietTimer = null
      live.flush()
      this.refreshNow()
    }, QUIET_FLUSH_MS)
    if (this.refreshTimer !== null) return
    const wait = this.lastRefreshAt + REFRESH_MS - now
    if (wait <= 0) this.refreshNow()
    else
      this.refreshTimer = setTimeout(() => {
        this.refreshTimer = null
        this.refreshNow()
      }, wait)
  }

  private refreshNow(): void {
    if (this.stopped) return
    this.lastRefreshAt = Date.now()
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
    return this.settled(mergeResults([this.base, live], live.requests), live)
  }

  /** The counters of everything read so far, without building the whole reading (cheap: for the card). */
  private counts(): IngestCounts | null {
    if (!this.base) return null
    const base = countsOf(this.base)
    if (!this.live) return base
    const live = this.live.counts()
    return this.settled(addCounts(base, live), live)
  }

  /** A file that started unreadable is read as the format its tail was detected as. */
  private settled<T extends IngestCounts | IngestResult>(merged: T, live: Pick<IngestCounts, 'format' | 'fieldMap'>): T {
    if (merged.format === 'unknown' && live.format !== 'unknown') {
      merged.format = live.format
      merged.fieldMap = live.fieldMap
    }
    return merged
  }

  private refreshCounts(): void {
    const r = this.counts()
    if (!r) return
    this.info.lines = r.lines
    this.info.events = r.events
    this.info.eventLines = r.eventLines
    this.info.directiveLines = r.directiveLines
    this.info.unparsed = r.unparsed
    this.info.longLines = r.longLines
    this.info.format = r.format
    this.info.fieldMap = r.fieldMap
    this.info.unread = unreadReason(this.info.name, { ...r, dated: r.timeFrom !== null })
    this.info.lastEventAt = r.timeTo === null ? null : new Date(r.timeTo).toISOString()
    this.info.firstEventAt = r.timeFrom === null ? null : new Date(r.timeFrom).toISOString()
    const now = Date.now()
    while (this.arrivals.length > 0 && now - this.arrivals[0].at > RATE_WINDOW_MS) this.arrivals.shift()
    this.info.linesPerSec = Math.round(this.arrivals.reduce((n, a) => n + a.lines, 0) / (RATE_WINDOW_MS / 1000))
    this.info.behindBytes = this.tailer?.behindBytes() ?? 0
    this.info.sizeBytes = this.tailer?.fileSize() ?? this.info.sizeBytes
  }

  /** The file's size as this session last saw it: what reopening compares with to say it grew. */
  seenBytes(): number {
    return this.tailer?.fileSize() ?? this.info.sizeBytes
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    if (this.quietTimer) clearTimeout(this.quietTimer)
    if (this.refreshTimer) clearTimeout(this.refreshTimer)
    await this.tailer?.stop()
  }
}
