import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import { createGunzip } from 'node:zlib'
import type { Readable } from 'node:stream'
import { choiceOption, parseArgs } from '../args'
import { type CommandRunner, UsageError } from '../io'
import { FileTemplateMining, type TemplateMiningResult } from '../../../shared/analysis/templates'
import type { FoldedItem } from '../../../shared/model/evidence'
import { createParser, detectFormat, DETECT_SAMPLE_LINES, EventFolder } from '../../collect/formats'
import { LineSplitter } from '../../collect/lines'
import { fsErrorText, IS_A_DIRECTORY, isMissing } from '../../collect/fs-errors'

const GZIP_MAGIC = [0x1f, 0x8b]

async function checkReadable(file: string, shown: string): Promise<void> {
  let info
  try {
    info = await stat(file)
  } catch (err) {
    throw new UsageError(isMissing(err) ? `${shown}: ${fsErrorText(err)}` : `${shown}: cannot read (${fsErrorText(err)})`)
  }
  if (info.isDirectory()) throw new UsageError(`${shown}: ${IS_A_DIRECTORY}`)
}

async function isGzip(file: string, shown: string): Promise<boolean> {
  let handle
  try {
    handle = await open(file, 'r')
    const head = Buffer.alloc(2)
    const { bytesRead } = await handle.read(head, 0, 2, 0)
    return bytesRead === 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]
  } catch (err) {
    throw new UsageError(`${shown}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`)
  } finally {
    await handle?.close()
  }
}

/**
 * Streams the file through format detection and multi-line folding, then the template miner:
 * an event folded from several lines (a stack trace) is mined by its first line and all its
 * lines get that template.
 */
export async function mineTemplatesOfFile(file: string, shown = file): Promise<TemplateMiningResult> {
  await checkReadable(file, shown)
  const gzip = await isGzip(file, shown)
  const raw = createReadStream(file)
  let input: Readable = raw
  if (gzip) {
    const gunzip = createGunzip()
    raw.on('error', (err) => gunzip.destroy(err))
    input = raw.pipe(gunzip)
  }
  const mining = new FileTemplateMining()
  const splitter = new LineSplitter()
  // Lines wait here until the folder says which event they belong to (at most one event's worth).
  const pending = new Map<number, string>()
  const sample: [string, number, number][] = []
  let folder: EventFolder | null = null
  const emit = (items: FoldedItem[]): void => {
    for (const item of items) {
      mining.pushFolded(pending.get(item.line) ?? '', item.lines)
      for (let i = 0; i < item.lines; i++) pending.delete(item.line + i)
    }
  }
  const startFolding = (): void => {
    folder = new EventFolder(createParser(detectFormat(sample.map(([t]) => t)).format))
    for (const [t, n, o] of sample.splice(0)) emit(folder.push(t, n, o))
  }
  const onLine = (text: string, lineNo: number, offset: number): void => {
    pending.set(lineNo, text)
    if (folder) return emit(folder.push(text, lineNo, offset))
    sample.push([text, lineNo, offset])
    if (sample.length >= DETECT_SAMPLE_LINES) startFolding()
  }
  let lineNo = 0
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      splitter.push(chunk, onLine)
      lineNo = splitter.nextLine - 1
    }
    splitter.end(onLine)
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new UsageError(`${shown}: cannot read after line ${lineNo} (${gzip ? 'gzip: ' : ''}${reason})`)
  } finally {
    raw.destroy()
  }
  if (!folder) startFolding()
  emit((folder as EventFolder | null)?.flush() ?? [])
  return mining.finish()
}

function table(result: TemplateMiningResult): string {
  const total = result.assignments.length
  const width = Math.max(5, ...result.templates.map((t) => String(t.count).length))
  const rows = result.templates.map((t) => `${String(t.count).padStart(width)}  ${t.id}  ${t.template}`)
  return [`${total} lines, ${result.templates.length} templates`, `${'count'.padStart(width)}  ${'id'.padEnd(17)}  template`, ...rows, ''].join('\n')
}

export const runTemplates: CommandRunner = async (argv, io) => {
  const args = parseArgs(argv, { format: { value: true } })
  const format = choiceOption(args, 'format', ['text', 'json'] as const, 'text')
  if (args.positionals.length !== 1)
    throw new UsageError(args.positionals.length === 0 ? 'missing LOG file (usage: templates [--format json] LOG)' : 'expects exactly one LOG file')
  const shown = args.positionals[0]
  const result = await mineTemplatesOfFile(path.resolve(io.cwd, shown), shown)
  io.stdout(format === 'json' ? `${JSON.stringify({ templates: result.templates, assignments: result.assignments })}\n` : table(result))
  return 0
}
