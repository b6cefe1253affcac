/**
 * Follows a log file the way `tail -F` does: by name, across rotation, truncation, deletion
 * and re-creation, and before the file exists.
 *
 * Decisions a consumer relies on:
 * - Generations. Each file followed (the first one, the successor after a rotation, a re-created
 *   file) and each restart after truncation is a new generation, numbered from 1. Line numbers
 *   and offsets restart (1 and 0) with each generation, so they always match what a plain read
 *   of that file gives; every line carries its generation.
 * - Order. All lines of a generation are delivered before the lines of the next. Statuses
 *   announce changes: `rotated` when the path stops naming the file being read (its lines may
 *   still follow while it is read to its end), `deleted` once a deleted file is drained and
 *   closed, `truncated` once the lines before the truncation are delivered, `following` before
 *   the first line of each generation.
 * - An unterminated last line is held back until its terminator arrives; it is emitted when its
 *   generation ends (rotation, deletion, truncation), never after a quiet period, because a line
 *   emitted early would be numbered differently than a plain read of the file numbers it.
 *   stop() does not emit it.
 * - Rotation (rename + create, rename with the writer creating the new file, a symlink at the
 *   path re-pointed to a new file, delete + re-create): the old file is kept open and read by
 *   its descriptor, because its writer keeps appending to it until it reopens the path, which
 *   comes after the new file appears (logrotate creates the file, then signals the writer).
 *   Once a new file is at the path, the old one is read until it has had no new bytes for
 *   ROTATION_QUIET_MS, counted from when the new file was first seen; then it is closed and the
 *   new one is followed from its start. A writer that never stops writing to the old file holds
 *   the switch back (the new file's lines are delayed, never lost).
 * - A deleted file is read the same way until quiet for ROTATION_QUIET_MS, then closed. Holding
 *   it that long does not keep its disk space allocated for longer than its writer does: a file
 *   still written has a writer holding it open anyway.
 * - Truncation (copytruncate) is seen as the size dropping below the read position; a file
 *   truncated and refilled past that position between two looks is not detected (as in tail).
 * - Starting at the end (the default) counts the existing lines first, so line numbers are
 *   true; an existing unterminated last line is delivered whole once completed.
 * - Wake-ups: a watch on the directory (it survives renames, unlike a watch on the file) plus a
 *   stat poll every pollMs as the fallback.
 * - Pace. Appended bytes are read in batches of READ_CHUNK_BYTES, each delivered in one onLines
 *   call, with a turn of the event loop (setImmediate) between batches: a consumer that handles a
 *   batch quickly keeps the loop responsive however fast the writer is. Nothing is queued in
 *   memory: a writer faster than the consumer leaves the backlog on disk, and behindBytes() says
 *   how large it is.
 */
import { LIVE_BUDGET } from '../../shared/live-budget'
import { open, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { watch } from 'node:fs'
import type { BigIntStats, FSWatcher } from 'node:fs'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { LineSplitter } from './lines'
import { fsErrorText, isMissing } from './fs-errors'
import type { LineHandler } from './lines'

export interface TailOptions {
  /** Read the existing content too. Default false: only what is written after start(). */
  fromStart?: boolean
  /** Stat poll period, the fallback when the directory watch misses a change. Default 100. */
  pollMs?: number
  /** Cap on one line's text, as in LineSplitter. */
  maxLineBytes?: number
  /**
   * Use a directory watch as the wake-up. Default true. Turn off for network and container
   * mounts (NFS, SMB, some Docker bind mounts) where change events never arrive or arrive
   * wrong; the poll then does all the work.
   */
  watch?: boolean
  /**
   * Continue a read that already consumed the file up to `offset` (a line start) and numbered
   * `line` as its next line: nothing is lost or repeated between that read and the follow.
   * Applies to the file found at start(); a file now shorter than `offset` is read from 0.
   */
  startAt?: { offset: number; line: number }
}

export interface TailLine {
  text: string
  /** 1-based within its generation. */
  lineNo: number
  /** Byte offset in the file of its generation. */
  offset: number
  /** 1 for the first file followed; +1 at each rotation, re-creation or truncation. */
  generation: number
  /** Present when the line was longer than the cap (maxLineBytes) and `text` holds only its start. */
  cut?: true
}

export type TailStatus =
  | { kind: 'waiting' /* file does not exist (yet) */ }
  | { kind: 'following'; size: number }
  | { kind: 'rotated' }
  | { kind: 'truncated' }
  | { kind: 'deleted' }
  | { kind: 'error'; message: string }

export interface TailHandlers {
  onLines(lines: TailLine[]): void
  onStatus?(s: TailStatus): void
}

/** Bytes read per batch: each onLines call holds the complete lines of one such read (and the line it completes). */
export const READ_CHUNK_BYTES = 64 * 1024
/** Bytes read in one go before looking at rotation and stop again (a writer may outrun us). */
const MAX_BYTES_PER_STEP = 16 * 1024 * 1024
const WATCH_RETRY_MS = 1000
/**
 * How long a file the path no longer names (rotated away or deleted) must have had no new bytes
 * before it is closed: long enough for a writer to finish the lines it writes between the
 * rotation and its reopen (logrotate's postrotate signal, a symlink swap, a slow worker).
 */
export const ROTATION_QUIET_MS = 1000

interface FollowedFile {
  handle: FileHandle
  dev: bigint
  ino: bigint
  /** Offset of the next byte to read. */
  position: number
  splitter: LineSplitter
  generation: number
  /** The path no longer names this file (renamed away, re-pointed or deleted). */
  renamedAway: boolean
  /** When bytes were last read from it (performance.now()). */
  lastDataAt: number
  /** When it was first seen replaced at the path or deleted: the quiet period counts from there. */
  endSeenAt: number | null
  /** Its size when last looked at (at least `position`): what was written and not yet read is the difference. */
  sizeSeen: number
}

const tailLine = (text: string, lineNo: number, offset: number, generation: number, cut: boolean): TailLine =>
  cut ? { text, lineNo, offset, generation, cut } : { text, lineNo, offset, generation }

export class FileTailer {
  private readonly fromStart: boolean
  private readonly pollMs: number
  private readonly maxLineBytes: number | undefined
  private readonly useWatch: boolean
  private startAt: { offset: number; line: number } | null
  private readonly buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES)

  private file: FollowedFile | null = null
  private generation = 0
  private started = false
  private stopped = false
  private pollTimer: NodeJS.Timeout | null = null
  private watcher: FSWatcher | null = null
  private lastWatchAttempt = 0
  private pumping: Promise<void> | null = null
  private wakeAgain = false
  /** The last waiting/error status said, so a poll does not repeat it. */
  private lastQuietStatus = ''

  constructor(
    private readonly filePath: string,
    opts: TailOptions,
    private readonly handlers: TailHandlers
  ) {
    this.fromStart = opts.fromStart ?? false
    this.pollMs = opts.pollMs ?? LIVE_BUDGET.tailPollMs
    this.maxLineBytes = opts.maxLineBytes
    this.useWatch = opts.watch ?? true
    this.startAt = opts.startAt ?? null
    if (!Number.isFinite(this.pollMs) || this.pollMs <= 0) {
      throw new RangeError(`pollMs must be a positive number, got ${this.pollMs}`)
    }
  }

  /**
   * Opens the file and fixes the starting position (or notes that the file is missing).
   * Everything written after start() resolves is delivered; the backlog of fromStart is read
   * in the background.
   */
  async start(): Promise<void> {
    if (this.started) throw new Error(`FileTailer for ${this.filePath}: start() called twice`)
    this.started = true
    this.ensureWatcher()
    try {
      await this.openFile(this.fromStart)
    } catch (err) {
      this.sayError(err)
    }
    if (this.stopped) {
      await this.closeFile()
      return
    }
    this.pollTimer = setInterval(() => this.wake(), this.pollMs)
    this.wake()
  }

  /**
   * Where a later follower should continue to lose and repeat nothing (pause and resume): the
   * byte after the last line delivered and the next line's number; null when no file is open
   * or the path no longer names the file being read.
   */
  resumePoint(): { offset: number; line: number } | null {
    const file = this.file
    if (file === null || file.renamedAway) return null
    return { offset: file.splitter.committedOffset, line: file.splitter.nextLine }
  }

  /**
   * Bytes written to the file being read that are not read yet, as of the last look at its size
   * (at each batch of reading): 0 when the follower keeps up with the writer.
   */
  behindBytes(): number {
    const file = this.file
    return file === null ? 0 : Math.max(0, file.sizeSeen - file.position)
  }

  /** The size of the file being read as of the last look at it (at each batch); null when none is open. */
  fileSize(): number | null {
    return this.file?.sizeSeen ?? null
  }

  /** Stops following; no handler is called after it resolves, and no timer or watch is left. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.pollTimer !== null) clearInterval(this.pollTimer)
    this.pollTimer = null
    this.watcher?.close()
    this.watcher = null
    await this.pumping
    await this.closeFile()
  }

  private wake(): void {
    if (this.stopped) return
    if (this.pumping !== null) {
      this.wakeAgain = true
      return
    }
    this.pumping = this.pump().finally(() => {
      this.pumping = null
    })
  }

  private async pump(): Promise<void> {
    do {
      this.wakeAgain = false
      try {
        await this.step()
      } catch (err) {
        this.sayError(err)
      }
    } while (this.wakeAgain && !this.stopped)
  }

  private async step(): Promise<void> {
    this.ensureWatcher()
    if (this.file === null) {
      await this.openFile(true)
      if (this.file === null) return
    }
    const file = this.file
    if (!(await this.drain(file))) {
      this.wakeAgain = true
      return
    }
    if (this.stopped) return
    await this.checkIdentity(file)
  }

  /** What the path names now, compared with the file being read. */
  private async checkIdentity(file: FollowedFile): Promise<void> {
    let atPath: BigIntStats | null = null
    try {
      atPath = await stat(this.filePath, { bigint: true })
    } catch (err) {
      if (!isMissing(err)) throw err
    }
    const own = await file.handle.stat({ bigint: true })
    if (this.stopped) return
    file.sizeSeen = Number(own.size)
    const samePath = atPath !== null && atPath.ino === file.ino && atPath.dev === file.dev
    if (samePath) {
      file.renamedAway = false
      file.endSeenAt = null
      if (own.size < BigInt(file.position)) await this.restartAfterTruncation(file, own.size)
      return
    }
    const deleted = own.nlink === 0n
    if (!deleted && !file.renamedAway) this.say({ kind: 'rotated' })
    file.renamedAway = true
    if (!deleted && atPath === null) {
      // Renamed away and no successor yet: keep reading it, its writer has not reopened.
      file.endSeenAt = null
      return
    }
    // A successor is at the path, or the file was deleted: its writer may still be finishing.
    const now = performance.now()
    file.endSeenAt ??= now
    if (now - Math.max(file.lastDataAt, file.endSeenAt) < ROTATION_QUIET_MS) return
    const lastDataAt = file.lastDataAt
    await this.drainAll(file)
    // Bytes arrived since the last look: not quiet after all.
    if (this.stopped || file.lastDataAt !== lastDataAt) return
    await this.endGeneration(file)
    if (deleted) this.say({ kind: 'deleted' })
    if (this.stopped) return
    await this.openFile(true)
    if (this.file !== null) this.wakeAgain = true
  }

  private async restartAfterTruncation(file: FollowedFile, size: bigint): Promise<void> {
    this.flushPartial(file)
    this.say({ kind: 'truncated' })
    this.generation++
    file.generation = this.generation
    file.position = 0
    file.splitter = this.newSplitter()
    this.lastQuietStatus = ''
    this.say({ kind: 'following', size: Number(size) })
    this.wakeAgain = true
  }

  /** Opens the file at the path as a new generation; says `waiting` when there is none. */
  private async openFile(readExisting: boolean): Promise<void> {
    let handle: FileHandle
    try {
      handle = await open(this.filePath, 'r')
    } catch (err) {
      if (!isMissing(err)) throw err
      this.sayQuiet({ kind: 'waiting' })
      return
    }
    try {
      const st = await handle.stat({ bigint: true })
      if (!st.isFile()) throw new Error('is not a regular file')
      const size = Number(st.size)
      let splitter = this.newSplitter()
      let position = 0
      const resume = this.startAt
      this.startAt = null
      if (resume !== null && resume.offset <= size) {
        splitter = new LineSplitter({ maxLineBytes: this.maxLineBytes, startLine: resume.line, startOffset: resume.offset })
        position = resume.offset
      } else if (!readExisting && resume === null) position = await this.skipExisting(handle, splitter, size)
      if (this.stopped) {
        await handle.close()
        return
      }
      this.generation++
      this.file = {
        handle,
        dev: st.dev,
        ino: st.ino,
        position,
        splitter,
        generation: this.generation,
        renamedAway: false,
        lastDataAt: performance.now(),
        endSeenAt: null,
        sizeSeen: size
      }
      this.lastQuietStatus = ''
      this.say({ kind: 'following', size })
    } catch (err) {
      await handle.close()
      throw err
    }
  }

  /** Numbers the lines already in the file, so the first new line gets its true number. */
  private async skipExisting(handle: FileHandle, splitter: LineSplitter, size: number): Promise<number> {
    let position = 0
    while (position < size && !this.stopped) {
      const want = Math.min(this.buffer.length, size - position)
      const { bytesRead } = await handle.read(this.buffer, 0, want, position)
      if (bytesRead === 0) break
      splitter.skip(this.buffer.subarray(0, bytesRead))
      position += bytesRead
    }
    return position
  }

  /**
   * Reads what was appended and delivers its complete lines, a batch at a time with a turn of the
   * event loop between batches; false when it stopped early (the step's budget is spent).
   */
  private async drain(file: FollowedFile): Promise<boolean> {
    let budget = MAX_BYTES_PER_STEP
    file.sizeSeen = Math.max(file.position, Number((await file.handle.stat()).size))
    while (!this.stopped) {
      if (budget <= 0) return false
      const { bytesRead } = await file.handle.read(this.buffer, 0, this.buffer.length, file.position)
      if (bytesRead === 0 || this.stopped) {
        file.sizeSeen = file.position
        return true
      }
      file.position += bytesRead
      if (file.position > file.sizeSeen) file.sizeSeen = Number((await file.handle.stat()).size)
      file.lastDataAt = performance.now()
      budget -= bytesRead
      const lines: TailLine[] = []
      const generation = file.generation
      file.splitter.push(this.buffer.subarray(0, bytesRead), (text, lineNo, offset, cut) => {
        lines.push(tailLine(text, lineNo, offset, generation, cut))
      })
      if (lines.length > 0) this.handlers.onLines(lines)
      // Let the loop serve what waits (requests, timers) before the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve))
    }
    return true
  }

  private async drainAll(file: FollowedFile): Promise<void> {
    while (!(await this.drain(file))) {
      // a writer is still appending fast; keep reading, the budget only bounds one step
    }
  }

  /** Delivers the unterminated last line of a generation that ends, and closes its file. */
  private async endGeneration(file: FollowedFile): Promise<void> {
    if (!this.stopped) this.flushPartial(file)
    this.file = null
    await file.handle.close()
  }

  private flushPartial(file: FollowedFile): void {
    const lines: TailLine[] = []
    const generation = file.generation
    const collect: LineHandler = (text, lineNo, offset, cut) => {
      lines.push(tailLine(text, lineNo, offset, generation, cut))
    }
    file.splitter.end(collect)
    if (lines.length > 0) this.handlers.onLines(lines)
  }

  private async closeFile(): Promise<void> {
    const file = this.file
    this.file = null
    if (file !== null) await file.handle.close()
  }

  private newSplitter(): LineSplitter {
    return new LineSplitter(this.maxLineBytes === undefined ? {} : { maxLineBytes: this.maxLineBytes })
  }

  /** Watches the directory, not the file: a file watch goes deaf when the file is renamed. */
  private ensureWatcher(): void {
    if (!this.useWatch || this.watcher !== null || this.stopped) return
    const now = Date.now()
    if (now - this.lastWatchAttempt < WATCH_RETRY_MS) return
    this.lastWatchAttempt = now
    const base = path.basename(this.filePath)
    try {
      const watcher = watch(path.dirname(this.filePath), { persistent: true }, (_event, name) => {
        // Once renamed away, the file's events come under its new name.
        if (name === null || name === base || this.file?.renamedAway === true) this.wake()
      })
      watcher.on('error', () => {
        // The directory went away or the watch broke: the poll carries on, a new watch is tried.
        watcher.close()
        if (this.watcher === watcher) this.watcher = null
      })
      this.watcher = watcher
    } catch {
      // No directory yet, or no watch available (inotify limits): the poll does the work.
    }
  }

  private say(status: TailStatus): void {
    if (this.stopped) return
    this.handlers.onStatus?.(status)
  }

  /** Says a status that polling would otherwise repeat every pollMs only when it changes. */
  private sayQuiet(status: TailStatus): void {
    const key = JSON.stringify(status)
    if (key === this.lastQuietStatus) return
    this.lastQuietStatus = key
    this.say(status)
  }

  private sayError(err: unknown): void {
    this.sayQuiet({ kind: 'error', message: `${this.filePath}: ${fsErrorText(err)}` })
  }
}
