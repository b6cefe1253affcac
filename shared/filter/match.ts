import type { EvidenceEvent } from '../model/evidence'
import { normalizeRoute } from '../analysis/route'
import type { Filter, FilterTerm } from './parse'

/** The fields of an event a filter looks at, read the same way for every kind. */
export interface FilterFields {
  kind: EvidenceEvent['kind']
  status: number | null
  method: string | null
  path: string | null
  client: string | null
  instance: string | null
  level: string | null
  /** Everything `"text"` searches, lower-cased. */
  text: string
}

export function filterFields(e: EvidenceEvent): FilterFields {
  switch (e.kind) {
    case 'request':
      return {
        kind: e.kind,
        status: e.status,
        method: e.method,
        path: e.path,
        client: e.client,
        instance: e.instance,
        level: null,
        text: [e.method, e.path, e.status, e.requestId, e.client, e.userAgent, e.instance].filter((x) => x !== null).join(' ').toLowerCase()
      }
    case 'app':
      return {
        kind: e.kind,
        status: e.status,
        method: e.method,
        path: e.path,
        client: null,
        instance: e.instance,
        level: e.level,
        text: [e.message, e.errorType, e.errorMessage, e.stack, e.requestId, e.path, e.logger].filter((x) => x !== null).join('\n').toLowerCase()
      }
    case 'proxy-error':
      return {
        kind: e.kind,
        status: null,
        method: e.method,
        path: e.path,
        client: e.client,
        // The upstream a proxy failed to reach is the instance behind it.
        instance: e.upstream,
        level: e.level,
        text: [e.message, e.upstream, e.path, e.client].filter((x) => x !== null).join('\n').toLowerCase()
      }
  }
}

const globCache = new Map<string, RegExp>()
/** `*` matches any run of characters; everything else is literal, compared case-insensitively. */
function glob(pattern: string): RegExp {
  let re = globCache.get(pattern)
  if (!re) {
    re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's')
    if (globCache.size > 500) globCache.clear()
    globCache.set(pattern, re)
  }
  return re
}

const anyOf = (values: string[], actual: string | null, test: (value: string, actual: string) => boolean): boolean =>
  actual !== null && values.some((v) => test(v, actual.toLowerCase()))

const exact = (v: string, a: string): boolean => (v.includes('*') ? glob(v).test(a) : v === a)
/** A path term matches the path from its start, or anywhere with `*`: `/api/orders` finds `/api/orders/12`. */
const pathLike = (v: string, a: string): boolean => (v.includes('*') ? glob(v).test(a) : a.startsWith(v))

function matchStatus(op: string, value: number, status: number | null): boolean {
  if (status === null) return false
  switch (op) {
    case 'class':
      return Math.floor(status / 100) === value
    case '=':
      return status === value
    case '!=':
      return status !== value
    case '>=':
      return status >= value
    case '<=':
      return status <= value
    case '>':
      return status > value
    default:
      return status < value
  }
}

function matchTerm(term: FilterTerm, f: FilterFields): boolean {
  switch (term.field) {
    case 'status':
      return matchStatus(term.op, term.value, f.status)
    case 'text':
      return f.text.includes(term.value)
    case 'method':
      return anyOf(term.values, f.method, exact)
    case 'route':
      return anyOf(term.values, f.path === null ? null : normalizeRoute(f.path), exact)
    case 'path':
      return anyOf(term.values, f.path, pathLike)
    case 'client':
      return anyOf(term.values, f.client, exact)
    case 'instance':
      return anyOf(term.values, f.instance, exact)
    case 'kind':
      return anyOf(term.values, f.kind, exact)
    case 'level':
      return anyOf(term.values, f.level, exact)
  }
}

/**
 * Whether an event passes every term. An event without the field a term asks about (an app
 * line without a status, for `status>=500`) does not pass it, and passes its negation.
 */
export function matchesFilter(filter: Filter, event: EvidenceEvent, fields: FilterFields = filterFields(event)): boolean {
  for (const term of filter.terms) if (matchTerm(term, fields) === term.negate) return false
  return true
}
