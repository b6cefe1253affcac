/**
 * A streaming line splitter for log files: bytes in, decoded lines out, with exact 1-based line
 * numbers and byte offsets so that any line can be found again in the file by its offset.
 *
 * Terminators are LF, CRLF and a bare CR (old Mac style, and progress output); a CR directly
 * followed by LF is one terminator even when the two bytes arrive in different chunks. Text is
 * decoded as UTF-8 with replacement characters; a line holding an invalid sequence is counted in
 * `stats.invalidUtf8Lines`. A line longer than `maxLineBytes` is cut to that many bytes (never
 * in the middle of a character) and counted in `stats.longLines`; the bytes past the cut are
 * counted and checked for invalid UTF-8 but not kept, so a 1 GB line costs `maxLineBytes` of
 * memory, not 1 GB.
 *
 * The text of an ASCII line may be a slice of the string decoded for its window of at most
 * 8 KiB of lines: keeping one text keeps at most that much memory alive.
 */
import { isAscii, isUtf8 } from 'node:buffer'
import { MAX_LINE_BYTES } from '../../shared/model/line-cap'

export interface LineStats {
  /** Lines emitted (lines passed to `skip` are numbered but not counted here). */
  lines: number
  /** Lines longer than maxLineBytes, whose text was capped. */
  longLines: number
  /** Lines holding at least one invalid UTF-8 sequence (decoded with U+FFFD). */
  invalidUtf8Lines: number
}

export interface SplitLine {
  text: string
  /** 1-based. */
  lineNo: number
  /** Byte offset of the line's first byte in the file. */
  offset: number
}

/** `cut`: the line was longer than the cap and `text` holds only its start. */
export type LineHandler = (text: string, lineNo: number, offset: number, cut: boolean) => void

export interface LineSplitterOptions {
  /** Text of a longer line is capped at this many bytes. Default 64 KiB. */
  maxLineBytes?: number
  /** The number the first line gets. Default 1. */
  startLine?: number
  /** The file offset of the first byte pushed. Default 0. */
  startOffset?: number
}

export const DEFAULT_MAX_LINE_BYTES = MAX_LINE_BYTES

/**
 * Bytes of ASCII decoded per call. Small on purpose: a line's text may be a slice of the string
 * of its window, which stays in memory as long as the slice does.
 */
const DECODE_WINDOW_BYTES = 8 * 1024

const LF = 0x0a
const CR = 0x0d

/** Length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}

/**
 * Where an incomplete multi-byte sequence at the end of buf[from, end) begins, or `end` when
 * the range ends on a character boundary (or on bytes that cannot be completed anyway).
 */
function incompleteTailStart(buf: Buffer, from: number, end: number): number {
  for (let back = 1; back <= 3; back++) {
    const i = end - back
    if (i < from) break
    const b = buf[i]
    if ((b & 0xc0) === 0x80) continue
    return sequenceLength(b) > back ? i : end
  }
  return end
}

/** Validates UTF-8 fed in pieces that may split a character; used for the bytes past a cap. */
class Utf8StreamValidator {
  private tail: Buffer | null = null
  private valid = true

  constructor(first: Buffer) {
    this.feed(first)
  }

  feed(seg: Buffer): void {
    if (!this.valid || seg.length === 0) return
    let from = 0
    if (this.tail !== null) {
      const need = sequenceLength(this.tail[0]) - this.tail.length
      const take = Math.min(need, seg.length)
      for (let i = 0; i < take; i++) {
        if ((seg[i] & 0xc0) !== 0x80) {
          this.valid = false
          return
        }
      }
      const joined = Buffer.concat([this.tail, seg.subarray(0, take)])
      if (take < need) {
        this.tail = joined
        return
      }
      this.tail = null
      if (!isUtf8(joined)) {
        this.valid = false
        return
      }
      from = take
    }
    const cut = incompleteTailStart(seg, from, seg.length)
    if (!isUtf8(seg.subarray(from, cut))) {
      this.valid = false
      return
    }
    if (cut < seg.length) this.tail = Buffer.from(seg.subarray(cut))
  }

  /** True when everything fed was valid and no character was left unfinished. */
  finish(): boolean {
    return this.valid && this.tail === null
  }
}

export class LineSplitter {
  private readonly maxLineBytes: number
  private nextLineNo: number
  /** File offset just past the bytes consumed so far. */
  private consumed: number
  /** File offset of the line being assembled (just past the last terminator). */
  private lineStart: number
  /** The last byte consumed was a CR that ended a line: a leading LF belongs to it. */
  private afterCR = false

  // The incomplete last line: at most maxLineBytes bytes kept, the rest only validated.
  private kept: Buffer[] = []
  private keptBytes = 0
  private capped: { keptEnd: number; overflow: Utf8StreamValidator } | null = null

  private readonly counts: LineStats = { lines: 0, longLines: 0, invalidUtf8Lines: 0 }

  constructor(opts: LineSplitterOptions = {}) {
    const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
    const startLine = opts.startLine ?? 1
    const startOffset = opts.startOffset ?? 0
    if (!Number.isSafeInteger(maxLineBytes) || maxLineBytes < 1) {
      throw new RangeError(`maxLineBytes must be a positive integer, got ${maxLineBytes}`)
    }
    if (!Number.isSafeInteger(startLine) || startLine < 1) {
      throw new RangeError(`startLine must be a positive integer, got ${startLine}`)
    }
    if (!Number.isSafeInteger(startOffset) || startOffset < 0) {
      throw new RangeError(`startOffset must be a non-negative integer, got ${startOffset}`)
    }
    this.maxLineBytes = maxLineBytes
    this.nextLineNo = startLine
    this.consumed = startOffset
    this.lineStart = startOffset
  }

  /** Bytes held back as an incomplete last line (all of them, also those past the cap). */
  get pendingBytes(): number {
    return this.consumed - this.lineStart
  }

  /** Offset just past the last complete line (its terminator included). */
  get committedOffset(): number {
    return this.lineStart
  }

  /** The number the next line will get. */
  get nextLine(): number {
    return this.nextLineNo
  }

  get stats(): LineStats {
    return { ...this.counts }
  }

  /** Feeds bytes; calls onLine for every complete line. Never emits a partial last line. */
  push(chunk: Buffer, onLine: LineHandler): void {
    this.consume(chunk, onLine)
  }

  /**
   * Consumes bytes like `push` but only numbers the complete lines, without decoding them:
   * for starting to follow a file at its end with the true line numbers. An incomplete last line
   * is kept, so the next `push` completes and emits it whole.
   */
  skip(chunk: Buffer): void {
    this.consume(chunk, null)
  }

  /** End of input: emits the final line if it has no terminator. */
  end(onLine: LineHandler): void {
    if (this.pendingBytes > 0) this.completePending(onLine)
    this.lineStart = this.consumed
    this.afterCR = false
  }

  private consume(chunk: Buffer, onLine: LineHandler | null): void {
    const n = chunk.length
    if (n === 0) return
    const base = this.consumed
    this.consumed += n
    let pos = 0
    if (this.afterCR) {
      this.afterCR = false
      if (chunk[0] === LF) {
        pos = 1
        this.lineStart = base + 1
      }
    }
    if (pos === n) return

    if (base > this.lineStart) {
      const t = nextTerminator(chunk, pos)
      if (t === -1) {
        this.appendPending(chunk.subarray(pos))
        return
      }
      this.appendPending(chunk.subarray(pos, t))
      this.completePending(onLine)
      pos = this.passTerminator(chunk, t)
      this.lineStart = base + pos
      if (pos === n) return
    }

    // Everything up to the chunk's last terminator is complete lines; one scan from the end
    // finds it, and tells for free whether the region holds any CR at all.
    const lastLF = chunk.lastIndexOf(LF)
    const lastCR = chunk.lastIndexOf(CR)
    const last = Math.max(lastLF, lastCR)
    if (last >= pos) {
      pos = this.splitComplete(chunk, pos, last, lastCR >= pos, onLine)
      this.lineStart = base + pos
    }
    if (pos < n) this.appendPending(chunk.subarray(pos))
  }

  /** Position just past the terminator at t; remembers a CR that ends the chunk. */
  private passTerminator(chunk: Buffer, t: number): number {
    if (chunk[t] === LF) return t + 1
    if (t + 1 === chunk.length) {
      this.afterCR = true
      return t + 1
    }
    return chunk[t + 1] === LF ? t + 2 : t + 1
  }

  /** Emits the complete lines in chunk[start, last]; returns the position after the last one. */
  private splitComplete(chunk: Buffer, start: number, last: number, hasCR: boolean, onLine: LineHandler | null): number {
    const base = this.consumed - chunk.length
    const cap = this.maxLineBytes
    // `last` is the chunk's last terminator byte, so a CR there has no LF after it in this chunk.
    const end = last + 1
    // Validated once for the whole region, and only if some line is not plain ASCII.
    let regionValid: boolean | null = null
    // An ASCII window of lines is decoded with one call and its lines sliced from the string:
    // about twice as fast as one decode per line (for UTF-8 text, measured, per-line decoding
    // wins). The window stays small because a slice keeps its window's whole string alive for
    // as long as the consumer keeps the slice.
    let windowStart = start
    let windowEnd = start
    let windowText: string | null = null
    let s = start
    let nextLF = chunk.indexOf(LF, s)
    let nextCR = hasCR ? chunk.indexOf(CR, s) : -1
    while (s < end) {
      let e: number
      let next: number
      if (nextCR !== -1 && (nextLF === -1 || nextCR < nextLF)) {
        e = nextCR
        next = this.passTerminator(chunk, e)
        nextCR = chunk.indexOf(CR, next)
        if (next === e + 2) nextLF = chunk.indexOf(LF, next)
      } else {
        e = nextLF
        next = e + 1
        nextLF = chunk.indexOf(LF, next)
      }
      if (onLine === null) {
        this.nextLineNo++
        s = next
        continue
      }
      if (e > windowEnd) {
        windowStart = s
        windowEnd = Math.min(end, s + DECODE_WINDOW_BYTES)
        windowText = e <= windowEnd && isAscii(chunk.subarray(s, windowEnd)) ? chunk.toString('latin1', s, windowEnd) : null
      }
      const len = e - s
      if (len > cap) {
        const text = chunk.toString('utf8', s, incompleteTailStart(chunk, s, s + cap))
        this.counts.longLines++
        this.emit(onLine, text, isUtf8(chunk.subarray(s, e)), base + s, true)
      } else if (windowText !== null) {
        this.emit(onLine, windowText.slice(s - windowStart, e - windowStart), true, base + s, false)
      } else {
        regionValid ??= isUtf8(chunk.subarray(start, end))
        const valid = regionValid || isUtf8(chunk.subarray(s, e))
        this.emit(onLine, chunk.toString('utf8', s, e), valid, base + s, false)
      }
      s = next
    }
    return s
  }

  private appendPending(seg: Buffer): void {
    if (seg.length === 0) return
    if (this.capped !== null) {
      this.capped.overflow.feed(seg)
      return
    }
    const room = this.maxLineBytes - this.keptBytes
    if (seg.length <= room) {
      this.kept.push(Buffer.from(seg))
      this.keptBytes += seg.length
      return
    }
    // The line outgrows the cap: keep whole characters up to it, validate the rest as it streams.
    this.kept.push(Buffer.from(seg.subarray(0, room)))
    const keptBuf = Buffer.concat(this.kept)
    this.kept = [keptBuf]
    this.keptBytes = keptBuf.length
    const keptEnd = incompleteTailStart(keptBuf, 0, keptBuf.length)
    const overflow = new Utf8StreamValidator(keptBuf.subarray(keptEnd))
    overflow.feed(seg.subarray(room))
    this.capped = { keptEnd, overflow }
  }

  private completePending(onLine: LineHandler | null): void {
    if (onLine === null) {
      this.nextLineNo++
    } else {
      const buf = this.kept.length === 1 ? this.kept[0] : Buffer.concat(this.kept)
      let text: string
      let valid: boolean
      if (this.capped === null) {
        text = buf.toString('utf8')
        valid = isUtf8(buf)
      } else {
        const { keptEnd, overflow } = this.capped
        text = buf.toString('utf8', 0, keptEnd)
        valid = isUtf8(buf.subarray(0, keptEnd)) && overflow.finish()
        this.counts.longLines++
      }
      this.emit(onLine, text, valid, this.lineStart, this.capped !== null)
    }
    this.kept = []
    this.keptBytes = 0
    this.capped = null
  }

  private emit(onLine: LineHandler, text: string, valid: boolean, offset: number, cut: boolean): void {
    this.counts.lines++
    if (!valid) this.counts.invalidUtf8Lines++
    onLine(text, this.nextLineNo++, offset, cut)
  }
}

function nextTerminator(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from)
  // Look for a CR only before the LF: most logs have none, and this keeps the scan short.
  const cr = lf === -1 ? chunk.indexOf(CR, from) : chunk.subarray(from, lf).indexOf(CR)
  if (lf === -1) return cr
  return cr === -1 ? lf : from + cr
}

/** Splits a whole buffer (a small file, a test input) into lines. */
export function splitAll(data: Buffer, opts?: LineSplitterOptions): { lines: SplitLine[]; stats: LineStats } {
  const splitter = new LineSplitter(opts)
  const lines: SplitLine[] = []
  const collect: LineHandler = (text, lineNo, offset) => {
    lines.push({ text, lineNo, offset })
  }
  splitter.push(data, collect)
  splitter.end(collect)
  return { lines, stats: splitter.stats }
}
