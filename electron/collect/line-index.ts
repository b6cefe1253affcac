import { open } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { SourceFileInfo } from '../collect/source-file'
import { openSourceStream } from '../collect/source-file'

/** Every STRIDE-th line's byte offset: enough to page any line from disk without holding the file. */
export const LINE_INDEX_STRIDE = 1024

export class LineIndex {
  /** offsets[k] = byte offset of line k*STRIDE+1. */
  readonly offsets: number[] = [0]
  lines = 0

  /** Records line boundaries of `chunk`, which starts at byte `base` of the file. */
  addChunk(chunk: Buffer, base: number): void {
    let i = chunk.indexOf(10)
    while (i !== -1) {
      this.lines++
      if (this.lines % LINE_INDEX_STRIDE === 0) this.offsets.push(base + i + 1)
      i = chunk.indexOf(10, i + 1)
    }
  }

  /** Counts a final line that has no terminating newline. */
  finish(totalBytes: number, lastByte: number | null): void {
    if (totalBytes > 0 && lastByte !== 10) this.lines++
  }
}

/** Counts lines with a stream (never the whole file in memory) and builds the sparse index. */
export async function indexLines(info: SourceFileInfo, onProgress?: (bytesDone: number) => void): Promise<LineIndex> {
  const index = new LineIndex()
  let pos = 0
  let last: number | null = null
  const stream = openSourceStream(info, onProgress)
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (chunk.length === 0) continue
    if (!info.gzip) index.addChunk(chunk, pos)
    else index.addChunk(chunk, -1)
    pos += chunk.length
    last = chunk[chunk.length - 1]
  }
  index.finish(pos, last)
  return index
}

const MAX_LINE_CHARS = 10_000

/** Reads `count` lines from 1-based `fromLine`, seeking with the index (gzip streams from the start). */
export async function readLinesAt(
  info: SourceFileInfo,
  index: LineIndex,
  fromLine: number,
  count: number
): Promise<{ lines: string[]; eof: boolean }> {
  const lines: string[] = []
  const k = info.gzip ? 0 : Math.min(Math.floor((fromLine - 1) / LINE_INDEX_STRIDE), index.offsets.length - 1)
  let lineNo = k * LINE_INDEX_STRIDE + 1
  const start = info.gzip ? 0 : index.offsets[k]
  const stream = info.gzip
    ? openSourceStream(info)
    : (await open(info.path, 'r')).createReadStream({ start, highWaterMark: 1 << 16 })
  const rl = createInterface({ input: stream, crlfDelay: Infinity })
  try {
    for await (const line of rl) {
      if (lineNo >= fromLine) {
        lines.push(line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}… (line cut at ${MAX_LINE_CHARS} characters)` : line)
        if (lines.length >= count) break
      }
      lineNo++
    }
  } finally {
    rl.close()
    stream.destroy()
  }
  return { lines, eof: lines.length < count }
}
