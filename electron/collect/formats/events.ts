import type { AppEvent, Level, ProxyErrorEvent, UnparsedLine } from '../../../shared/model/evidence'

/** Unparsed text kept per line: enough to read, bounded for multi-megabyte junk lines. */
export const UNPARSED_TEXT_LIMIT = 2000

export function unparsedLine(text: string, line: number, offset: number): UnparsedLine {
  return { kind: 'unparsed', line, lines: 1, offset, text: text.length > UNPARSED_TEXT_LIMIT ? text.slice(0, UNPARSED_TEXT_LIMIT) : text }
}

export function appEvent(line: number, offset: number, fields: Partial<AppEvent>): AppEvent {
  const event: AppEvent = {
    kind: 'app',
    line,
    lines: 1,
    offset,
    time: fields.time ?? null,
    level: fields.level ?? null,
    message: fields.message ?? '',
    errorType: fields.errorType ?? null,
    errorMessage: fields.errorMessage ?? null,
    stack: fields.stack ?? null,
    requestId: fields.requestId ?? null,
    method: fields.method ?? null,
    path: fields.path ?? null,
    status: fields.status ?? null,
    logger: fields.logger ?? null,
    instance: fields.instance ?? null
  }
  // Only records that carry a version get the field: most lines have none.
  if (fields.version != null) event.version = fields.version
  return event
}

export function proxyErrorEvent(line: number, offset: number, fields: Partial<ProxyErrorEvent>): ProxyErrorEvent {
  return {
    kind: 'proxy-error',
    line,
    lines: 1,
    offset,
    time: fields.time ?? null,
    level: fields.level ?? null,
    message: fields.message ?? '',
    reason: fields.reason ?? null,
    upstream: fields.upstream ?? null,
    method: fields.method ?? null,
    path: fields.path ?? null,
    client: fields.client ?? null
  }
}

const LEVEL_WORDS: Record<string, Level> = {
  trace: 'trace', trc: 'trace', finest: 'trace', finer: 'trace', verbose: 'trace',
  debug: 'debug', dbg: 'debug', fine: 'debug', d: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', config: 'info', i: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn', w: 'warn',
  error: 'error', err: 'error', severe: 'error', e: 'error', eror: 'error',
  fatal: 'fatal', critical: 'fatal', crit: 'fatal', alert: 'fatal', emerg: 'fatal', emergency: 'fatal',
  panic: 'fatal', dpanic: 'fatal', f: 'fatal'
}

/** Normalizes level names (any case) and bunyan/pino numbers (10..60) to `Level`. */
export function normalizeLevel(value: unknown): Level | null {
  if (typeof value === 'number') {
    if (value >= 60) return 'fatal'
    if (value >= 50) return 'error'
    if (value >= 40) return 'warn'
    if (value >= 30) return 'info'
    if (value >= 20) return 'debug'
    if (value >= 1) return 'trace'
    return null
  }
  if (typeof value !== 'string' || value === '') return null
  const direct = LEVEL_WORDS[value]
  if (direct !== undefined) return direct
  const lower = value.toLowerCase()
  const word = LEVEL_WORDS[lower]
  if (word !== undefined) return word
  if (/^\d+$/.test(value)) return normalizeLevel(Number(value))
  return null
}

/** Syslog severity (PRI % 8) → Level. */
export function syslogSeverityLevel(severity: number): Level {
  if (severity <= 2) return 'fatal'
  if (severity === 3) return 'error'
  if (severity === 4) return 'warn'
  if (severity <= 6) return 'info'
  return 'debug'
}
