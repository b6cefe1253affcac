/**
 * The explore filter's small query language, parsed once here so the session (which scans the
 * logs) and the renderer (which shows what the engineer typed) read it alike:
 *
 *   status>=500 route:/api/orders/:id method:POST client:1.2.3.4 instance:10.0.3.14:8080 "text"
 *
 * Terms are ANDed; `-term` negates one; `a,b` lists alternatives; `*` matches any run of
 * characters; bare words and quoted text search the event's text. A bad term is refused with
 * one line naming it, never silently ignored (a dropped term would widen the list unseen).
 */

export const FILTER_FIELDS = ['status', 'method', 'route', 'path', 'client', 'instance', 'kind', 'level', 'text'] as const
export type FilterField = (typeof FILTER_FIELDS)[number]
export type StatusOp = '=' | '!=' | '>=' | '<=' | '>' | '<'

export type FilterTerm =
  | { field: 'status'; op: StatusOp; value: number; negate: boolean; source: string }
  /** `status:5xx`: the hundreds digit. */
  | { field: 'status'; op: 'class'; value: number; negate: boolean; source: string }
  | { field: Exclude<FilterField, 'status' | 'text'>; values: string[]; negate: boolean; source: string }
  | { field: 'text'; value: string; negate: boolean; source: string }

export interface Filter {
  terms: FilterTerm[]
}

export type FilterParse = { ok: true; filter: Filter } | { ok: false; error: string }

export const EVENT_KINDS = ['request', 'app', 'proxy-error'] as const
const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal']
const STATUS_RE = /^status(>=|<=|!=|=|:|>|<)(.*)$/i
const FIELD_RE = /^([a-z]+):(.*)$/i

/** Splits on white space outside double quotes; an unclosed quote is an error. */
function tokenize(text: string): { tokens: string[] } | { error: string } {
  const tokens: string[] = []
  let i = 0
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++
    if (i >= text.length) break
    let token = ''
    let quoted = false
    while (i < text.length && (quoted || !/\s/.test(text[i]))) {
      if (text[i] === '"') quoted = !quoted
      token += text[i]
      i++
    }
    if (quoted) return { error: `${token}: the quote is not closed` }
    tokens.push(token)
  }
  return { tokens }
}

const unquote = (s: string): string => (s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s.replace(/"/g, ''))

function statusTerm(op: string, raw: string, negate: boolean, source: string): FilterTerm | string {
  const value = unquote(raw).trim().toLowerCase()
  const cls = /^([1-5])xx$/.exec(value)
  if (cls && (op === ':' || op === '=')) return { field: 'status', op: 'class', value: Number(cls[1]), negate, source }
  if (!/^\d{3}$/.test(value) || Number(value) < 100 || Number(value) > 599)
    return `${source}: status takes a number from 100 to 599 (status>=500) or a class (status:5xx)`
  return { field: 'status', op: op === ':' ? '=' : (op as StatusOp), value: Number(value), negate, source }
}

function parseTerm(token: string): FilterTerm | string {
  const negate = token.startsWith('-') && token.length > 1
  const body = negate ? token.slice(1) : token
  if (body.startsWith('"')) {
    const value = unquote(body)
    if (value.trim() === '') return `${token}: the quoted text is empty`
    return { field: 'text', value: value.toLowerCase(), negate, source: token }
  }
  const status = STATUS_RE.exec(body)
  if (status) return statusTerm(status[1], status[2], negate, token)
  const field = FIELD_RE.exec(body)
  if (field) {
    const name = field[1].toLowerCase()
    if (name === 'text') {
      const value = unquote(field[2])
      return value === '' ? `${token}: text: needs something to search for` : { field: 'text', value: value.toLowerCase(), negate, source: token }
    }
    if (!(FILTER_FIELDS as readonly string[]).includes(name))
      return `${token}: unknown field ${name} (fields: ${FILTER_FIELDS.join(', ')}; quote text that has a colon: "${body}")`
    const values = unquote(field[2])
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v !== '')
    if (values.length === 0) return `${token}: ${name}: needs a value`
    if (name === 'kind') {
      const bad = values.find((v) => !(EVENT_KINDS as readonly string[]).includes(v))
      if (bad) return `${token}: kind is one of ${EVENT_KINDS.join(', ')}`
    }
    if (name === 'level') {
      const bad = values.find((v) => !LEVELS.includes(v))
      if (bad) return `${token}: level is one of ${LEVELS.join(', ')}`
    }
    return { field: name as Exclude<FilterField, 'status' | 'text'>, values, negate, source: token }
  }
  if (/^status/i.test(body)) return `${token}: write status as status>=500, status:502 or status:5xx`
  return { field: 'text', value: body.toLowerCase(), negate, source: token }
}

/** Parses the filter text; empty text is the filter that keeps everything. */
export function parseFilter(text: string): FilterParse {
  const tokenized = tokenize(text)
  if ('error' in tokenized) return { ok: false, error: tokenized.error }
  const terms: FilterTerm[] = []
  for (const token of tokenized.tokens) {
    const term = parseTerm(token)
    if (typeof term === 'string') return { ok: false, error: term }
    terms.push(term)
  }
  return { ok: true, filter: { terms } }
}

export const isEmptyFilter = (filter: Filter): boolean => filter.terms.length === 0
