/**
 * The LogQL a Loki read sends: the user's stream selector (validated, one clear line when it is
 * not one), the parser stage that names a stream's fields for the engine (chosen from the sample
 * by the formats' detection), and the times Loki takes (nanoseconds, half-open ranges).
 */
import type { FieldMap } from '../../../shared/model/evidence'
import { StoreError } from './errors'

/** Labels the parser stage extracts. Prefixed: a stream label of the same name would rename ours `…_extracted`. */
export const L = { status: 't5_status', method: 't5_method', path: 't5_path', instance: 't5_instance', level: 't5_level', client: 't5_client', agent: 't5_agent', clientKey: 't5_ckey' } as const

/** Stream labels that name where a line was written, when the lines themselves do not say. */
const INSTANCE_STREAM_LABELS = ['pod', 'instance', 'host', 'hostname', 'container', 'node']

const QUOTED = String.raw`"(?:[^"\\]|\\.)*"|\x60[^\x60]*\x60`
const MATCHER = new RegExp(String.raw`\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(${QUOTED})\s*`, 'y')
const LINE_FILTER = new RegExp(String.raw`\s*(\|=|!=|\|~|!~)\s*(${QUOTED})\s*`, 'y')

/** A LogQL string literal's value: `"…"` with Go escapes, or a raw backtick string. */
export function unquote(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1)
  try {
    return JSON.parse(literal) as string
  } catch {
    return literal.slice(1, -1)
  }
}

export interface Selector {
  /** `{app="shop"} |= "GET"`, as the user wrote it, checked. */
  text: string
  labels: { name: string; op: string; value: string }[]
}

/** `{app="shop", env=~"prod|staging"}` and optional line filters; anything else is refused in one line. */
export function parseSelector(query: string): Selector {
  const text = query.trim()
  const bad = (why: string, at: number): StoreError =>
    new StoreError('query', `LogQL selector ${JSON.stringify(text.slice(0, 120))}: ${why} at column ${at + 1} (write {label="value", …} optionally followed by |= "text" line filters)`)
  if (!text.startsWith('{')) throw bad('expected "{"', 0)
  let at = 1
  const labels: Selector['labels'] = []
  for (;;) {
    MATCHER.lastIndex = at
    const m = MATCHER.exec(text)
    if (!m) throw bad('expected a label matcher (name="value")', at)
    labels.push({ name: m[1], op: m[2], value: unquote(m[3]) })
    at = MATCHER.lastIndex
    if (text[at] === ',') {
      at++
      continue
    }
    if (text[at] === '}') break
    throw bad('expected "," or "}"', at)
  }
  at++
  while (at < text.length) {
    LINE_FILTER.lastIndex = at
    const f = LINE_FILTER.exec(text)
    while (!f && /\s/.test(text[at])) at++
    if (!f) throw bad('only line filters (|= != |~ !~ "text") may follow the selector', at)
    at = LINE_FILTER.lastIndex
  }
  // Loki refuses a selector every stream matches: say so before asking it.
  const narrows = labels.some((l) => (l.op === '=' && l.value !== '') || (l.op === '=~' && !safeRegex(l.value).test('')))
  if (!narrows) throw bad('needs at least one matcher that does not match the empty string', 0)
  return { text, labels }
}

function safeRegex(source: string): RegExp {
  try {
    return new RegExp(`^(?:${source})$`)
  } catch {
    return /^$/
  }
}

export type StageKind = 'json' | 'logfmt' | 'pattern'

/** How the engine reads a stream's fields, and which of our labels it yields. */
export interface Stage {
  kind: StageKind
  /** ` | json t5_status="status", …` ready to follow the selector. */
  text: string
  /** Roles the stage extracts (label names in `L`). */
  has: Set<keyof typeof L>
  /** The stream label standing for the instance when the lines name none. */
  instanceLabel: string | null
}

/**
 * nginx's text layouts (common, combined, ingress-nginx) as a LogQL `pattern`: all three start
 * the same way, and a pattern need only describe the line's start. Other text layouts are read
 * by hand-written parsers no engine-side expression mirrors yet.
 */
const NGINX_TEXT_PATTERN = `<_> <_> <_> [<_>] "<${L.method}> <${L.path}> <_>" <${L.status}> <_>`
const PATTERN_FORMATS = new Set(['nginx-combined', 'common', 'ingress-nginx'])

/** A dotted JSON path as `| json` takes it: `a.b`, with `["…"]` for keys that are not identifiers (`@timestamp`). */
function jsonPath(dotted: string): string {
  return dotted
    .split('.')
    .map((part, i) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `${i > 0 ? '.' : ''}${part}` : `[${JSON.stringify(part)}]`))
    .join('')
}

const isJsonObject = (line: string): boolean => {
  try {
    const v: unknown = JSON.parse(line)
    return typeof v === 'object' && v !== null && !Array.isArray(v)
  } catch {
    return false
  }
}

/** The stage for a detected format, or null when the engine cannot be told how to read it. */
export function stageFor(format: string, fieldMap: FieldMap, sample: string[], streamLabels: Record<string, string>[]): Stage | null {
  const roles: [keyof typeof L, keyof FieldMap][] = [
    ['status', 'status'],
    ['method', 'method'],
    ['path', 'path'],
    ['instance', 'instance'],
    ['level', 'level'],
    ['client', 'client'],
    ['agent', 'agent'],
    ['clientKey', 'clientKey']
  ]
  const fromMap = roles.flatMap(([label, role]) => {
    const key = role === 'path' ? (fieldMap.path ?? fieldMap.url) : fieldMap[role]
    return key === undefined ? [] : [[label, key] as const]
  })
  const streamInstance = INSTANCE_STREAM_LABELS.find((name) => streamLabels.some((s) => s[name] !== undefined && s[name] !== '')) ?? null
  const jsonShare = sample.filter(isJsonObject).length
  let kind: StageKind
  let text: string
  let has: Set<keyof typeof L>
  if (sample.length > 0 && jsonShare * 2 > sample.length) {
    kind = 'json'
    // Backticks: a path's quotes need no escaping inside them.
    text = ` | json ${fromMap.map(([label, key]) => `${L[label]}=\`${jsonPath(key)}\``).join(', ')}`
    has = new Set(fromMap.map(([label]) => label))
  } else if (format === 'logfmt') {
    kind = 'logfmt'
    text = ` | logfmt ${fromMap.map(([label, key]) => `${L[label]}=\`${key}\``).join(', ')}`
    has = new Set(fromMap.map(([label]) => label))
  } else if (PATTERN_FORMATS.has(format)) {
    kind = 'pattern'
    text = ` | pattern \`${NGINX_TEXT_PATTERN}\``
    has = new Set(['status', 'method', 'path'])
  } else return null
  if (has.size === 0) return null
  return { kind, text: `${text} | __error__=""`, has, instanceLabel: has.has('instance') ? null : streamInstance }
}

/**
 * The path key the engine groups routes by: query cut, all-digit segments collapsed (twice: a
 * match takes the slash after it). Only a cardinality bound, as clickhouse-sql's pathKeyExpr:
 * the route itself is still normalised client-side (shared/analysis/route.ts).
 */
export const PATH_KEY_STAGE = ` | label_format ${L.path}=\`{{ regexReplaceAll "/[0-9]+(/|$)" (regexReplaceAll "/[0-9]+(/|$)" (regexReplaceAll "[?#].*$" .${L.path} "") "/0\${1}") "/0\${1}" }}\``

/** A label's regex matcher value: exact alternatives, escaped for RE2. */
export function anyOf(values: readonly string[]): string {
  return JSON.stringify(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'))
}

export const NS_PER_MS = 1_000_000n
export const ns = (ms: number): bigint => BigInt(Math.floor(ms)) * NS_PER_MS

/**
 * An instant query's time and range covering the window [from, to] (ms, both included): Loki's
 * range `[r]` at time t selects (t - r, t], so t is the last nanosecond of `to`'s millisecond.
 */
export function instantWindow(from: number, to: number): { time: string; range: string } {
  return { time: String(ns(to + 1) - 1n), range: `${to + 1 - from}ms` }
}
