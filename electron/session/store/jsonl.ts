/**
 * Append-only JSON-lines files (journal, health and deploy samples): one JSON document per
 * line, each append fsynced. A crash can cut the last line short; readers keep every complete
 * line and say which one was cut, and the next append starts on a fresh line.
 */
import { open, readFile } from 'node:fs/promises'
import path from 'node:path'
import { fsyncDir } from './atomic'
import { errnoCode, fsErrorText } from '../../collect/fs-errors'

const NEWLINE = 0x0a

/** Appends one value as a JSON line and fsyncs it before returning. */
export async function appendJsonLine(file: string, value: unknown): Promise<void> {
  const line = `${JSON.stringify(value)}\n`
  const handle = await open(file, 'a+', 0o600)
  let created = false
  try {
    const { size } = await handle.stat()
    created = size === 0
    let prefix = ''
    if (size > 0) {
      // A torn tail (crash mid-write) has no newline: end it so this entry is a line of its own.
      const last = Buffer.alloc(1)
      await handle.read(last, 0, 1, size - 1)
      if (last[0] !== NEWLINE) prefix = '\n'
    }
    await handle.write(prefix + line)
    await handle.sync()
  } finally {
    await handle.close()
  }
  // A new file is only durable once its folder entry is.
  if (created) await fsyncDir(path.dirname(file))
}

const keptWords = (n: number): string => (n === 1 ? 'the complete entry before it is kept' : `the ${n} complete entries before it are kept`)

export type LineParse<T> = { ok: true; value: T } | { ok: false; why: string }

export interface JsonLines<T> {
  items: T[]
  /** One sentence per bad line, naming file and line. */
  problems: string[]
  /** The file ended in a cut-off line (a crash during a write). */
  tornTail: boolean
}


/**
 * Reads a JSON-lines file; `parse` checks each decoded line. A missing file reads as empty.
 * `shownAs` is how the file is named in problems.
 */
export async function readJsonLines<T>(file: string, shownAs: string, parse: (value: unknown) => LineParse<T>): Promise<JsonLines<T>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { items: [], problems: [], tornTail: false }
    const why = fsErrorText(err)
    return { items: [], problems: [`${shownAs}: cannot be read (${why})`], tornTail: false }
  }
  const lines = text.replace(/^\uFEFF/, '').split('\n')
  const items: T[] = []
  const problems: string[] = []
  let tornTail = false
  lines.forEach((raw, i) => {
    const isLast = i === lines.length - 1
    const lineText = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (!lineText.trim()) return
    let value: unknown
    try {
      value = JSON.parse(lineText)
    } catch {
      if (isLast) {
        tornTail = true
        problems.push(
          `${shownAs} line ${i + 1}: the last entry is incomplete (${Buffer.byteLength(raw)} bytes, cut off during a write, probably by a crash) and was ignored; ${keptWords(items.length)}`
        )
      } else {
        problems.push(`${shownAs} line ${i + 1}: not valid JSON (an entry cut off by a crash, or edited by hand) and was skipped`)
      }
      return
    }
    const parsed = parse(value)
    if (parsed.ok) items.push(parsed.value)
    else problems.push(`${shownAs} line ${i + 1}: ${parsed.why}; the entry was skipped`)
  })
  return { items, problems, tornTail }
}
