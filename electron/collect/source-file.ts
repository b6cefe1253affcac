import { open, stat } from 'node:fs/promises'
import { constants, createReadStream, type Stats } from 'node:fs'
import { createGunzip } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { PassThrough, type Readable } from 'node:stream'
import { fsErrorText, IS_A_DIRECTORY } from './fs-errors'

/** A file the user pointed at that cannot be read as a log: the message says why, in words. */
export class SourceFileError extends Error {
  override readonly name = 'SourceFileError'
  constructor(
    readonly filePath: string,
    readonly reason: string
  ) {
    super(`${filePath}: ${reason}`)
  }
}

export interface SourceFileInfo {
  path: string
  sizeBytes: number
  gzip: boolean
}

const SNIFF_BYTES = 8192
const GZIP_MAGIC = [0x1f, 0x8b]

/** Binary (not text, not gzip) when the first bytes hold NULs or mostly control characters. */
export function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false
  let control = 0
  for (let i = 0; i < head.length; i++) {
    const b = head[i]
    if (b === 0) return true
    if (b < 7 || (b > 13 && b < 32 && b !== 27)) control++
  }
  return control / head.length > 0.1
}

/**
 * Why a path that is not a regular file cannot be a log, or null when it is one. A FIFO, socket
 * or device is refused before it is opened: opening a FIFO with no writer never returns, and
 * each such open would hold one of libuv's few file-system threads for good.
 */
export function notRegularFile(st: Stats): string | null {
  if (st.isFile()) return null
  if (st.isDirectory()) return IS_A_DIRECTORY
  if (st.isFIFO()) return 'is a FIFO, not a regular file'
  if (st.isSocket()) return 'is a socket, not a regular file'
  if (st.isCharacterDevice()) return 'is a character device, not a regular file'
  if (st.isBlockDevice()) return 'is a block device, not a regular file'
  return 'is not a regular file'
}

/**
 * Opened without blocking: should the path have become a FIFO since it was checked, the open
 * returns at once (and reads fail) instead of waiting for a writer. No effect on regular files.
 */
const READ_NONBLOCK = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)

/**
 * A path typed or pasted into the app (or sent to browser mode) as an absolute path: a leading
 * `~` is the user's home folder; anything else relative is refused, since the app's working
 * folder means nothing to the person typing. (The CLI resolves against its cwd instead.)
 */
export function resolveAppPath(text: string, home = os.homedir()): string {
  const given = text.trim()
  if (given === '') throw new SourceFileError(given, 'no path given')
  const expanded = given === '~' ? home : /^~[\\/]/.test(given) ? path.join(home, given.slice(2)) : given
  if (!path.isAbsolute(expanded)) throw new SourceFileError(given, 'use an absolute path (~ is allowed)')
  return path.resolve(expanded)
}

/** Checks that `filePath` is a readable text (or gzip) file; throws SourceFileError otherwise. */
export async function inspectSourceFile(filePath: string): Promise<SourceFileInfo> {
  if (!path.isAbsolute(filePath)) throw new SourceFileError(filePath, 'path must be absolute')
  let size: number
  try {
    const why = notRegularFile(await stat(filePath))
    if (why !== null) throw new SourceFileError(filePath, why)
  } catch (err) {
    if (err instanceof SourceFileError) throw err
    throw new SourceFileError(filePath, fsErrorText(err))
  }
  let head: Buffer
  try {
    const fh = await open(filePath, READ_NONBLOCK)
    try {
      const st = await fh.stat()
      const why = notRegularFile(st)
      if (why !== null) throw new SourceFileError(filePath, why)
      size = st.size
      const buf = Buffer.alloc(Math.min(SNIFF_BYTES, Math.max(size, 1)))
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
      head = buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (err) {
    if (err instanceof SourceFileError) throw err
    throw new SourceFileError(filePath, fsErrorText(err))
  }
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
  if (!gzip && looksBinary(head)) throw new SourceFileError(filePath, 'looks like a binary file, not a text log')
  return { path: filePath, sizeBytes: size, gzip }
}

/** A gunzip failure in words: a cut-off download, or not gzip after all. */
function describeGzipError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String(err))) return 'the gzip data ends early (the file is truncated)'
  return `the gzip data is corrupt (${err instanceof Error ? err.message : String(err)})`
}

/**
 * The file's decompressed bytes as a stream; `onRawBytes` reports progress in file bytes.
 * Every failure the stream emits is a SourceFileError naming the file and saying why in words.
 */
export function openSourceStream(info: SourceFileInfo, onRawBytes?: (bytesDone: number) => void): Readable {
  const raw = createReadStream(info.path, { highWaterMark: 1 << 20 })
  if (onRawBytes) {
    let done = 0
    raw.on('data', (chunk: Buffer | string) => {
      done += chunk.length
      onRawBytes(done)
    })
  }
  const fileError = (err: unknown): SourceFileError => (err instanceof SourceFileError ? err : new SourceFileError(info.path, fsErrorText(err)))
  if (!info.gzip) {
    // A Readable's own error cannot be rewritten in place: pass the bytes through one that can.
    const out = new PassThrough({ highWaterMark: 1 << 20 })
    raw.on('error', (err) => out.destroy(fileError(err)))
    out.on('close', () => raw.destroy())
    return raw.pipe(out)
  }
  const gunzip = createGunzip()
  const out = new PassThrough({ highWaterMark: 1 << 20 })
  raw.on('error', (err) => out.destroy(fileError(err)))
  gunzip.on('error', (err) => out.destroy(new SourceFileError(info.path, describeGzipError(err))))
  out.on('close', () => {
    raw.destroy()
    gunzip.destroy()
  })
  return raw.pipe(gunzip).pipe(out)
}
