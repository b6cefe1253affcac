import { open, stat } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import { createGunzip } from 'node:zlib'
import path from 'node:path'
import type { Readable } from 'node:stream'

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

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'ENOENT':
      return 'no such file'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied (the file is not readable by this user)'
    case 'EISDIR':
      return 'is a directory, not a log file'
    case 'ELOOP':
      return 'too many symbolic links'
    case 'ENAMETOOLONG':
      return 'path is too long'
    default:
      return err instanceof Error ? err.message : String(err)
  }
}

/** Checks that `filePath` is a readable text (or gzip) file; throws SourceFileError otherwise. */
export async function inspectSourceFile(filePath: string): Promise<SourceFileInfo> {
  if (!path.isAbsolute(filePath)) throw new SourceFileError(filePath, 'path must be absolute')
  let size: number
  try {
    const st = await stat(filePath)
    if (st.isDirectory()) throw new SourceFileError(filePath, 'is a directory, not a log file')
    if (!st.isFile() && !st.isFIFO()) throw new SourceFileError(filePath, 'is not a regular file')
    size = st.size
  } catch (err) {
    if (err instanceof SourceFileError) throw err
    throw new SourceFileError(filePath, describeFsError(err))
  }
  let head: Buffer
  try {
    const fh = await open(filePath, 'r')
    try {
      const buf = Buffer.alloc(Math.min(SNIFF_BYTES, Math.max(size, 1)))
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0)
      head = buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (err) {
    throw new SourceFileError(filePath, describeFsError(err))
  }
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
  if (!gzip && looksBinary(head)) throw new SourceFileError(filePath, 'looks like a binary file, not a text log')
  return { path: filePath, sizeBytes: size, gzip }
}

/** The file's decompressed bytes as a stream; `onRawBytes` reports progress in file bytes. */
export function openSourceStream(info: SourceFileInfo, onRawBytes?: (bytesDone: number) => void): Readable {
  const raw = createReadStream(info.path, { highWaterMark: 1 << 20 })
  if (onRawBytes) {
    let done = 0
    raw.on('data', (chunk: Buffer | string) => {
      done += chunk.length
      onRawBytes(done)
    })
  }
  if (!info.gzip) return raw
  const gunzip = createGunzip()
  raw.on('error', (err) => gunzip.destroy(err))
  return raw.pipe(gunzip)
}
