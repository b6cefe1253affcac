import { open } from 'node:fs/promises'
import type { SourceFileInfo } from './source-file'
import { openSourceStream } from './source-file'
import { LineSplitter } from './lines'

/** Every STRIDE-th line's byte offset: enough to page any line from disk without holding the file. */
export const LINE_INDEX_STRIDE = 1024

/** Offsets of one contiguous run of lines (a whole file, or one worker's share of it). */
export interface LineIndexSegment {
  firstLine: number
  /** offsets[k] = byte offset of line firstLine + k*STRIDE. */
  offsets: number[]
}

export class LineIndex {
  readonly segments: LineIndexSegment[] = []

  /** Call for every line, in order, within one segment started by `startSegment`. */
  startSegment(firstLine: number, firstOffset: number): LineIndexSegment {
    const seg = { firstLine, offsets: [firstOffset] }
    this.segments.push(seg)
    return seg
  }

  static note(seg: LineIndexSegment, lineNo: number, offset: number): void {
    if ((lineNo - seg.firstLine) % LINE_INDEX_STRIDE === 0 && lineNo !== seg.firstLine) seg.offsets.push(offset)
  }

  /** Appends another index's segments with their line numbers shifted (a worker counted from 1). */
  append(segments: LineIndexSegment[], lineShift: number): void {
    for (const s of segments) this.segments.push({ firstLine: s.firstLine + lineShift, offsets: s.offsets })
  }

  /** The indexed line at or before `line`, with its byte offset. */
  seek(line: number): { line: number; offset: number } {
    let best = { line: 1, offset: 0 }
    for (const seg of this.segments) {
      if (seg.firstLine > line) break
      const k = Math.min(Math.floor((line - seg.firstLine) / LINE_INDEX_STRIDE), seg.offsets.length - 1)
      best = { line: seg.firstLine + k * LINE_INDEX_STRIDE, offset: seg.offsets[k] }
    }
    return best
  }
}

const MAX_LINE_CHARS = 10_000

/**
 * Reads `count` lines from 1-based `fromLine`, seeking with the index (gzip streams from the
 * start). Lines are split by the same LineSplitter that numbered them, so CR-only and CRLF files
 * page to the line numbers the rest of the app shows.
 */
export async function readLinesAt(
  info: SourceFileInfo,
  index: LineIndex | null,
  fromLine: number,
  count: number
): Promise<{ lines: string[]; eof: boolean }> {
  const lines: string[] = []
  const start = info.gzip || index === null ? { line: 1, offset: 0 } : index.seek(fromLine)
  const splitter = new LineSplitter({ startLine: start.line, startOffset: start.offset })
  const take = (text: string, lineNo: number): void => {
    if (lineNo < fromLine || lines.length >= count) return
    lines.push(text.length > MAX_LINE_CHARS ? `${text.slice(0, MAX_LINE_CHARS)}… (line cut at ${MAX_LINE_CHARS} characters)` : text)
  }
  const stream = info.gzip
    ? openSourceStream(info)
    : (await open(info.path, 'r')).createReadStream({ start: start.offset, highWaterMark: 1 << 16 })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      splitter.push(chunk, take)
      if (lines.length >= count) break
    }
    if (lines.length < count) splitter.end(take)
  } finally {
    stream.destroy()
  }
  return { lines, eof: lines.length < count }
}
