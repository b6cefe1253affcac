import { existsSync } from 'node:fs'
import { open } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { FoldedItem, LogFormatId } from '../../shared/model/evidence'
import { detectFormat, type Detection, type FieldMap } from './formats'
import { cutAfter } from './formats/wrapped'
import { type IngestResult, LinePipeline, mergeResults } from './ingest'
import { LineIndex, type LineIndexSegment } from './line-index'
import { openSourceStream, type SourceFileInfo } from './source-file'
import { MAX_LINE_BYTES } from '../../shared/model/line-cap'

/**
 * Files from this size on are read on a worker thread, so the calling thread (the app's event
 * loop, serving the window and the API) never parses for long; smaller ones cost less to read
 * here than a worker costs to start.
 */
export const WORKER_MIN_BYTES = 1 << 20
/** Plain files from this size on are split across several workers: below it one worker is as fast. */
export const PARALLEL_MIN_BYTES = 48 << 20
const READ_CHUNK = 1 << 20
const DETECT_HEAD_BYTES = 256 << 10

export interface ReadProgress {
  bytesDone: number
  bytesTotal: number
  linesPerSec: number
}

export interface ReadOptions {
  /** Force a format instead of detecting it. */
  format?: LogFormatId | null
  /** Field roles the user set (`status` ← `response_code`); inference fills the others. */
  fieldMap?: FieldMap | null
  onProgress?: (p: ReadProgress) => void
  /** Every folded item, in file order (only on the single-thread path). */
  onItem?: (item: FoldedItem) => void
  /**
   * Worker threads to read with. 0: read on the calling thread. 1: one worker for a file of
   * WORKER_MIN_BYTES or more. Default: one per core (up to 4), split from PARALLEL_MIN_BYTES on.
   */
  workers?: number
  signal?: AbortSignal
  /** Leave an unterminated last line for a tail to read once it is complete. */
  holdPartialLastLine?: boolean
  /** The built worker script, where findWorkerScript cannot see it (tests of the source against the build). */
  workerScript?: string
}

export interface ReadResult extends IngestResult {
  index: LineIndex
  /** How the file was read: for the benchmark and the curious. */
  parts: number
  /** Where a tail continues: the byte after the last line read, and the next line's number. */
  resume: { offset: number; line: number }
}

/** The worker script beside the running bundle, when built; tests of the source run single-threaded. */
export function findWorkerScript(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const candidate of [path.join(here, 'ingest-worker.js'), path.join(here, '..', 'ingest-worker.js')])
    if (existsSync(candidate)) return candidate
  return null
}

/** Detects the format from the file's first lines (decompressed for .gz). */
export async function detectFileFormat(info: SourceFileInfo): Promise<Detection> {
  const stream = openSourceStream(info)
  const chunks: Buffer[] = []
  let bytes = 0
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    chunks.push(chunk)
    bytes += chunk.length
    if (bytes >= DETECT_HEAD_BYTES) break
  }
  stream.destroy()
  const head = Buffer.concat(chunks).toString('utf8')
  const lines = head.split(/\r\n|\r|\n/)
  if (bytes >= DETECT_HEAD_BYTES) lines.pop()
  // Capped as the readers cap them: detection sees what parsing will, and no regex runs over a huge line.
  return detectFormat(lines.slice(0, 200).map((l) => (l.length > MAX_LINE_BYTES ? l.slice(0, MAX_LINE_BYTES) : l)))
}

/**
 * Reads a whole file into an IngestResult with bounded memory: small files streamed on this
 * thread, others on a worker thread, and large plain files split at line starts across worker
 * threads (one per core) and merged.
 */
export async function readLogFile(info: SourceFileInfo, opts: ReadOptions = {}): Promise<ReadResult> {
  const wanted = opts.workers ?? Math.min(os.availableParallelism(), 4)
  const script = opts.workerScript ?? findWorkerScript()
  // Every item wanted here (onItem) cannot cross threads cheaply: such reads stay on this thread.
  const onWorkers = script !== null && !opts.onItem && wanted >= 1 && info.sizeBytes >= WORKER_MIN_BYTES
  const split = onWorkers && !info.gzip && info.sizeBytes >= PARALLEL_MIN_BYTES && wanted > 1
  // One worker detects the format itself from the same first lines, off this thread.
  if (onWorkers && !split) return readInWorkers(info, opts.format ?? null, [[0, info.sizeBytes]], script, opts)
  const detection = opts.format ? { format: opts.format, fieldMap: undefined } : await detectFileFormat(info)
  const format = detection.format
  const fieldMap = { ...detection.fieldMap, ...opts.fieldMap }
  opts = { ...opts, fieldMap: Object.keys(fieldMap).length > 0 ? fieldMap : null }
  if (!split || script === null) return readOnThisThread(info, format, opts)
  return readInWorkers(info, format, await splitRanges(info.path, info.sizeBytes, wanted, cutAfter(format)), script, opts)
}

async function readOnThisThread(info: SourceFileInfo, format: LogFormatId, opts: ReadOptions): Promise<ReadResult> {
  const started = Date.now()
  const pipeline = new LinePipeline({ format, fieldMap: opts.fieldMap, onItem: opts.onItem, sourceKey: info.path })
  const stream = openSourceStream(info, (bytesDone) =>
    opts.onProgress?.({ bytesDone, bytesTotal: info.sizeBytes, linesPerSec: rate(pipeline.stats.lines, started) })
  )
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (opts.signal?.aborted) {
      stream.destroy()
      throw new Error('reading was cancelled')
    }
    pipeline.push(chunk)
  }
  const result = pipeline.end(opts.holdPartialLastLine)
  const index = new LineIndex()
  index.append([pipeline.index], 0)
  return { ...result, index, parts: 1, resume: pipeline.resumeAt() }
}

const rate = (lines: number, since: number): number => Math.round(lines / Math.max((Date.now() - since) / 1000, 0.001))

/**
 * Cuts [0,size) into about `n` ranges, each starting right after a newline whose next line does
 * not start with white space: a stack trace's continuation lines stay with their first line.
 * With `after` (wrapped formats), the line before a cut must pass it too, so a partial record
 * and the records completing it are read by one worker.
 */
export async function splitRanges(file: string, size: number, n: number, after: ((line: string) => boolean) | null = null): Promise<[number, number][]> {
  const fh = await open(file, 'r')
  try {
    const cuts = [0]
    const probe = Buffer.alloc(64 << 10)
    for (let k = 1; k < n; k++) {
      let pos = Math.max(Math.floor((size * k) / n), cuts[cuts.length - 1] + 1)
      let cut = -1
      while (cut === -1 && pos < size) {
        const { bytesRead } = await fh.read(probe, 0, probe.length, pos)
        if (bytesRead === 0) break
        // Start of the line ending at the newline being looked at; -1 while it began before the probe.
        let lineStart = -1
        for (let i = probe.indexOf(10, 0); i !== -1 && i < bytesRead - 1; lineStart = i + 1, i = probe.indexOf(10, i + 1)) {
          const next = probe[i + 1]
          if (next === 32 || next === 9 || next === 10 || next === 13) continue
          if (after !== null && (lineStart < 0 || !after(probe.toString('utf8', lineStart, probe[i - 1] === 13 ? i - 1 : i)))) continue
          cut = pos + i + 1
          break
        }
        // Overlap by one byte (a newline at the probe's end needs the byte after it), but always advance: a last probe of one byte would loop forever.
        if (cut === -1) pos += Math.max(1, bytesRead - 1)
      }
      if (cut === -1 || cut >= size) break
      cuts.push(cut)
    }
    cuts.push(size)
    const ranges: [number, number][] = []
    for (let i = 0; i + 1 < cuts.length; i++) ranges.push([cuts[i], cuts[i + 1]])
    return ranges
  } finally {
    await fh.close()
  }
}

/** What a worker posts back. */
export type WorkerMessage =
  | { type: 'progress'; bytesDone: number; lines: number }
  | { type: 'done'; result: IngestResult; index: LineIndexSegment; resumeOffset: number }
  | { type: 'error'; message: string }

export interface WorkerJob {
  path: string
  /** Byte range of a plain file; a gzip file is read whole, decompressed (start 0, end its size). */
  start: number
  end: number
  gzip?: boolean
  /** null: detect it from the first lines (a whole file read by one worker). */
  format: LogFormatId | null
  fieldMap: FieldMap | null
  holdPartialLastLine: boolean
}

async function readInWorkers(info: SourceFileInfo, format: LogFormatId | null, ranges: [number, number][], script: string, opts: ReadOptions): Promise<ReadResult> {
  // Cancelled while the format was detected or the ranges cut: an abort listener added now would never fire, and the workers would read on.
  if (opts.signal?.aborted) throw new Error('reading was cancelled')
  const started = Date.now()
  const done = ranges.map(() => 0)
  const lines = ranges.map(() => 0)
  const workers: Worker[] = []
  const report = (): void =>
    opts.onProgress?.({
      bytesDone: done.reduce((a, b) => a + b, 0),
      bytesTotal: info.sizeBytes,
      linesPerSec: rate(lines.reduce((a, b) => a + b, 0), started)
    })
  const abort = (): void => {
    for (const w of workers) void w.terminate()
  }
  opts.signal?.addEventListener('abort', abort, { once: true })
  try {
    const parts = await Promise.all(
      ranges.map(
        ([start, end], i) =>
          new Promise<{ result: IngestResult; index: LineIndexSegment; resumeOffset: number }>((resolve, reject) => {
            const job: WorkerJob = { path: info.path, start, end, gzip: info.gzip, format, fieldMap: opts.fieldMap ?? null, holdPartialLastLine: i === ranges.length - 1 && opts.holdPartialLastLine === true }
            const worker = new Worker(script, { workerData: job })
            workers.push(worker)
            worker.on('message', (msg: WorkerMessage) => {
              if (msg.type === 'progress') {
                done[i] = msg.bytesDone
                lines[i] = msg.lines
                report()
              } else if (msg.type === 'done') resolve(msg)
              else reject(new Error(msg.message))
            })
            worker.on('error', reject)
            worker.on('exit', (code) => {
              if (code !== 0) reject(new Error(opts.signal?.aborted ? 'reading was cancelled' : `ingest worker stopped with code ${code}`))
            })
          })
      )
    )
    // Workers number their lines from 1: shift each part by the lines before it.
    const index = new LineIndex()
    let shift = 0
    for (const part of parts) {
      if (shift > 0) shiftLines(part.result, shift)
      index.append([part.index], shift)
      shift += part.result.lines
    }
    const merged = mergeResults(parts.map((p) => p.result))
    return { ...merged, index, parts: parts.length, resume: { offset: parts[parts.length - 1].resumeOffset, line: shift + 1 } }
  } finally {
    opts.signal?.removeEventListener('abort', abort)
  }
}

function shiftLines(r: IngestResult, shift: number): void {
  for (const e of r.errorEvents) e.line += shift
  for (const e of r.proxyErrors) e.line += shift
  for (const e of r.unparsedSamples) e.line += shift
  for (const e of r.requests.failing) e.line += shift
  for (const at of Object.values(r.groupLocations)) at.line += shift
  for (const s of [...r.lifecycle.starts, ...r.lifecycle.runs, ...r.lifecycle.migrations]) s.line += shift
}

/** The worker's side: read [start,end) of the file in chunks (a gzip file whole) through a LinePipeline. */
export async function runWorkerJob(job: WorkerJob, post: (msg: WorkerMessage) => void): Promise<void> {
  if (job.gzip === true) return runGzipJob(job, post)
  const fh = await open(job.path, 'r')
  try {
    const pipeline = new LinePipeline({ format: job.format, fieldMap: job.fieldMap, startLine: 1, startOffset: job.start, sourceKey: job.path })
    const buf = Buffer.allocUnsafe(READ_CHUNK)
    let pos = job.start
    let lastReport = 0
    while (pos < job.end) {
      const { bytesRead } = await fh.read(buf, 0, Math.min(READ_CHUNK, job.end - pos), pos)
      if (bytesRead === 0) break
      // The splitter keeps no reference past the call for complete lines, so the buffer is reused.
      pipeline.push(buf.subarray(0, bytesRead))
      pos += bytesRead
      if (pos - lastReport >= 32 << 20) {
        lastReport = pos
        post({ type: 'progress', bytesDone: pos - job.start, lines: pipeline.stats.lines })
      }
    }
    const result = pipeline.end(job.holdPartialLastLine)
    post({ type: 'done', result, index: pipeline.index, resumeOffset: pipeline.resumeAt().offset })
  } finally {
    await fh.close()
  }
}

async function runGzipJob(job: WorkerJob, post: (msg: WorkerMessage) => void): Promise<void> {
  const pipeline = new LinePipeline({ format: job.format, fieldMap: job.fieldMap, sourceKey: job.path })
  let lastReport = 0
  const stream = openSourceStream({ path: job.path, sizeBytes: job.end, gzip: true }, (bytesDone) => {
    if (bytesDone - lastReport < 8 << 20) return
    lastReport = bytesDone
    post({ type: 'progress', bytesDone, lines: pipeline.stats.lines })
  })
  for await (const chunk of stream as AsyncIterable<Buffer>) pipeline.push(chunk)
  const result = pipeline.end(job.holdPartialLastLine)
  post({ type: 'done', result, index: pipeline.index, resumeOffset: pipeline.resumeAt().offset })
}
