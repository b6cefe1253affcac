/**
 * Readers for `analyze --deploys FILE` and `--health FILE`, and for the app's own saved
 * JSON-lines samples (same field names as DeployEvent / HealthSample). A bad record is an
 * EvidenceFileError naming file, line and field, never a silently skipped line.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DEPLOY_ORIGINS, type DeployEvent, type DeployOrigin, type HealthSample } from '../../shared/model/evidence'
import { fsErrorText } from './fs-errors'
import { parseIsoTime } from './poll/times'
import { SANE_TIME_YEARS, saneTime } from './formats/time'

export class EvidenceFileError extends Error {
  override readonly name = 'EvidenceFileError'
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
    readonly field: string | null
  ) {
    super(message)
  }
}

export interface EvidenceFileOptions {
  /** How the file is named in errors (default: the path as given). */
  displayName?: string
}

interface JsonRecord {
  line: number
  value: unknown
}

type JsonObject = Record<string, unknown>
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

const shown = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'an object'
  if (typeof value === 'boolean') return String(value)
  return `${typeof value === 'number' ? 'a number' : 'text'} (${shown(value)})`
}

const lineAt = (text: string, offset: number): number => {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** Start offsets of a valid JSON array's top-level elements, to name their lines. */
function elementOffsets(text: string): number[] {
  const offsets: number[] = []
  let depth = 0
  let inString = false
  let expectElement = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
      continue
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue
    if (expectElement && c !== ']') {
      offsets.push(i)
      expectElement = false
    }
    if (c === '"') inString = true
    else if (c === '[' || c === '{') {
      depth++
      if (depth === 1 && c === '[') expectElement = true
    } else if (c === ']' || c === '}') depth--
    else if (c === ',' && depth === 1) expectElement = true
  }
  return offsets
}

function jsonErrorLine(text: string, err: Error): { line: number; reason: string } {
  const position = /at position (\d+)/.exec(err.message)
  const reason = err.message.replace(/\s*in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)/, '')
  return { line: position ? lineAt(text, Number(position[1])) : lineAt(text, text.length), reason }
}

/** A JSON array, or JSON lines (blank lines allowed), as records with their line numbers. */
function readRecords(text: string, file: string): JsonRecord[] {
  const body = text.replace(/^\uFEFF/, '')
  if (body.trimStart().startsWith('[')) {
    let doc: unknown
    try {
      doc = JSON.parse(body)
    } catch (err) {
      const { line, reason } = jsonErrorLine(body, err as Error)
      throw new EvidenceFileError(`${file} line ${line}: not valid JSON (${reason})`, file, line, null)
    }
    const items = doc as unknown[]
    const offsets = elementOffsets(body)
    return items.map((value, i) => ({ line: lineAt(body, offsets[i] ?? 0), value }))
  }
  const records: JsonRecord[] = []
  body.split('\n').forEach((raw, i) => {
    const lineText = raw.trim()
    if (!lineText) return
    try {
      records.push({ line: i + 1, value: JSON.parse(lineText) })
    } catch (err) {
      const { reason } = jsonErrorLine(lineText, err as Error)
      throw new EvidenceFileError(`${file} line ${i + 1}: not valid JSON (${reason})`, file, i + 1, null)
    }
  })
  return records
}

/** Field checks for one record; each failure names the field. */
class RecordReader {
  constructor(
    private readonly file: string,
    private readonly record: JsonRecord,
    private readonly obj: JsonObject
  ) {}

  fail(field: string | null, what: string): never {
    const where = `${this.file} line ${this.record.line}`
    throw new EvidenceFileError(`${where}: ${field ? `"${field}" ` : ''}${what}`, this.file, this.record.line, field)
  }

  has(field: string): boolean {
    return this.obj[field] !== undefined
  }

  time(field: string): number {
    const value = this.obj[field]
    if (value === undefined || value === null) this.fail(field, 'is missing')
    if (typeof value === 'number') {
      if (saneTime(value) === null) this.fail(field, `is not a time between ${SANE_TIME_YEARS.first} and ${SANE_TIME_YEARS.last} in epoch ms (${shown(value)})`)
      return value
    }
    if (typeof value !== 'string') this.fail(field, `must be an ISO-8601 time, got ${describeType(value)}`)
    const ms = parseIsoTime(value)
    if (ms === null) this.fail(field, `is not an ISO-8601 time (${shown(value)})`)
    return ms
  }

  text(field: string): string {
    const value = this.obj[field]
    if (value === undefined || value === null) this.fail(field, 'is missing')
    if (typeof value !== 'string') this.fail(field, `must be text, got ${describeType(value)}`)
    if (!value.trim()) this.fail(field, 'is empty')
    return value
  }

  optionalText(field: string): string | null {
    const value = this.obj[field]
    if (value === undefined || value === null) return null
    if (typeof value !== 'string') this.fail(field, `must be text, got ${describeType(value)}`)
    return value
  }

  flag(field: string): boolean {
    const value = this.obj[field]
    if (value === undefined || value === null) this.fail(field, 'is missing')
    if (typeof value !== 'boolean') this.fail(field, `must be true or false, got ${describeType(value)}`)
    return value
  }

  optionalNumber(field: string, check: (n: number) => boolean, what: string): number | null {
    const value = this.obj[field]
    if (value === undefined || value === null) return null
    if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) this.fail(field, `must be ${what}, got ${describeType(value)}`)
    return value
  }

  components(field: string): HealthSample['components'] {
    const value = this.obj[field]
    if (value === undefined || value === null) return []
    if (!Array.isArray(value)) this.fail(field, `must be a list, got ${describeType(value)}`)
    return value.map((item: unknown, i) => {
      const at = `${field}[${i}]`
      if (!isObject(item)) this.fail(at, `must be an object, got ${describeType(item)}`)
      const { name, ok, status, detail } = item
      if (typeof name !== 'string' || !name) this.fail(`${at}.name`, `must be text, got ${describeType(name)}`)
      if (typeof ok !== 'boolean') this.fail(`${at}.ok`, `must be true or false, got ${describeType(ok)}`)
      if (typeof status !== 'string') this.fail(`${at}.status`, `must be text, got ${describeType(status)}`)
      if (detail !== undefined && detail !== null && typeof detail !== 'string') this.fail(`${at}.detail`, `must be text, got ${describeType(detail)}`)
      return typeof detail === 'string' && detail !== '' ? { name, ok, status, detail } : { name, ok, status }
    })
  }
}

function readerFor(file: string, record: JsonRecord): RecordReader {
  const value = record.value
  const reader = new RecordReader(file, record, isObject(value) ? value : {})
  if (!isObject(value)) reader.fail(null, `expected a JSON object, got ${describeType(value)}`)
  return reader
}

const byTime = <T extends { at: number }>(items: T[]): T[] => items.sort((a, b) => a.at - b.at)

const deployOrigin = (text: string | null): DeployOrigin => DEPLOY_ORIGINS.find((o) => o === text) ?? 'given'

/** `{"version", "at"}` per record (optional `commit`, `source`; other fields allowed), sorted by time. */
export function parseDeploysText(text: string, file: string): DeployEvent[] {
  const fallbackSource = path.basename(file)
  return byTime(
    readRecords(text, file).map((record) => {
      const r = readerFor(file, record)
      return {
        version: r.text('version'),
        at: r.time('at'),
        commit: r.optionalText('commit'),
        source: r.optionalText('source') ?? fallbackSource,
        // The app's own saved deploys keep theirs (a polled one stays `endpoint`); a deploy history says none: given.
        origin: deployOrigin(r.optionalText('origin'))
      }
    })
  )
}

/** `{"at", "target", "ok", "latencyMs"?, "status"?, "detail"?}` per line (or saved HealthSample lines), sorted by time. */
export function parseHealthText(text: string, file: string): HealthSample[] {
  return byTime(
    readRecords(text, file).map((record) => {
      const r = readerFor(file, record)
      const at = r.time('at')
      const target = r.text('target')
      const ok = r.flag('ok')
      const latencyMs = r.optionalNumber('latencyMs', (n) => n >= 0, 'a number of milliseconds (0 or more)')
      const status = r.optionalNumber('status', (n) => Number.isInteger(n) && n >= 100 && n <= 599, 'an HTTP status (100-599)')
      const error = r.has('error') ? r.optionalText('error') : r.optionalText('detail')
      return { at, target, ok, status, latencyMs, error, components: r.components('components') }
    })
  )
}

async function readText(filePath: string, file: string): Promise<string> {
  try {
    return await readFile(filePath, 'utf8')
  } catch (err) {
    throw new EvidenceFileError(`${file}: cannot read (${fsErrorText(err)})`, file, null, null)
  }
}

export async function readDeploysFile(filePath: string, options: EvidenceFileOptions = {}): Promise<DeployEvent[]> {
  const file = options.displayName ?? filePath
  return parseDeploysText(await readText(filePath, file), file)
}

export async function readHealthFile(filePath: string, options: EvidenceFileOptions = {}): Promise<HealthSample[]> {
  const file = options.displayName ?? filePath
  return parseHealthText(await readText(filePath, file), file)
}
