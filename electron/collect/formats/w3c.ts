/**
 * W3C extended log files (IIS, CloudFront, HTTP Server API): the layout is not fixed but
 * declared by `#Fields:` directive lines, so the parser learns it from them. A data line is read
 * with the most recent field list of its length (files concatenated from several layouts keep
 * working), or, before any header (a worker's share of a big file, a tail), with the format's
 * default layout of that length. Other directives (`#Version:`, `#Date:` …) are read and skipped.
 */
import type { EvidenceEvent, LogFormatId } from '../../../shared/model/evidence'
import type { DurationUnit, FieldRole } from './definition'
import { EventMapper } from './mapped'
import type { LineParser } from './parser'

const DIRECTIVE_RE = /^#(?:Software|Version|Date|Fields|Remark|Start-Date|End-Date):/

/** W3C field names → roles; for a role, the first listed field the layout has is read. */
const ROLE_FIELDS: Partial<Record<FieldRole, readonly string[]>> = {
  date: ['date'],
  clock: ['time'],
  method: ['cs-method'],
  path: ['cs-uri-stem'],
  url: ['cs-uri'],
  status: ['sc-status'],
  bytes: ['sc-bytes'],
  duration: ['time-taken'],
  client: ['c-ip'],
  agent: ['cs(User-Agent)', 'cs(user-agent)'],
  requestId: ['x-edge-request-id'],
  instance: ['s-computername', 'x-edge-location', 's-ip'],
  // The detailed type tells an origin failure (OriginConnectError…) from a bare `Error`.
  cache: ['x-edge-detailed-result-type', 'x-edge-result-type']
}

interface Layout {
  fields: readonly string[]
  index: Partial<Record<FieldRole, number>>
  query: number
  cloudfront: boolean
  requests: EventMapper
  others: EventMapper
}

function layoutOf(fields: readonly string[]): Layout {
  const index: Partial<Record<FieldRole, number>> = {}
  for (const [role, names] of Object.entries(ROLE_FIELDS) as [FieldRole, readonly string[]][]) {
    for (const name of names) {
      const i = fields.indexOf(name)
      if (i >= 0) {
        index[role] = i
        break
      }
    }
  }
  // CloudFront writes time-taken in seconds, IIS and HTTP.sys in milliseconds.
  const cloudfront = fields.some((f) => f.startsWith('x-edge-'))
  const durationUnit: DurationUnit = cloudfront ? 's' : 'ms'
  return {
    fields,
    index,
    query: fields.indexOf('cs-uri-query'),
    cloudfront,
    requests: new EventMapper({ family: 'access', time: 'iso', durationUnit }),
    others: new EventMapper({ family: 'app', time: 'iso', durationUnit })
  }
}

/** IIS writes `+` for spaces; CloudFront percent-encodes twice (`%2520`). */
function decodeAgent(value: string, cloudfront: boolean): string {
  if (!cloudfront) return value.replace(/\+/g, ' ')
  let text = value
  for (let i = 0; i < 2 && text.includes('%'); i++) {
    try {
      text = decodeURIComponent(text)
    } catch {
      return text
    }
  }
  return text
}

export class W3cParser implements LineParser {
  readonly multiline = 'single'
  /** Layouts learnt from `#Fields:`, most recent last. */
  private readonly learnt: Layout[] = []
  private readonly defaults: Layout[]
  /** Whether a `#Fields:` header named CloudFront's fields: detection names the file by it. */
  sawCloudfront = false
  sawOther = false

  constructor(readonly format: LogFormatId, defaultLayouts: readonly (readonly string[])[]) {
    this.defaults = defaultLayouts.map(layoutOf)
  }

  directive(line: string): boolean {
    if (line.charCodeAt(0) !== 35 || !DIRECTIVE_RE.test(line)) return false
    if (line.startsWith('#Fields:')) {
      const fields = line.slice(8).trim().split(/\s+/)
      if (fields.length > 1) {
        const layout = layoutOf(fields)
        if (layout.cloudfront) this.sawCloudfront = true
        else this.sawOther = true
        this.learnt.push(layout)
      }
    }
    return true
  }

  private layoutFor(count: number): Layout | null {
    for (let i = this.learnt.length - 1; i >= 0; i--) if (this.learnt[i].fields.length === count) return this.learnt[i]
    return this.defaults.find((l) => l.fields.length === count) ?? null
  }

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    if (line === '' || line.charCodeAt(0) === 35) return null
    let values = line.split(line.includes('\t') ? '\t' : ' ')
    let layout = this.layoutFor(values.length)
    // CloudFront sometimes ends a line with an extra empty field.
    while (layout === null && values.length > 1 && values[values.length - 1] === '') {
      values = values.slice(0, -1)
      layout = this.layoutFor(values.length)
    }
    if (layout === null) return null
    const { index, query, cloudfront } = layout
    const get = (role: FieldRole): string | undefined => {
      const i = index[role]
      const value = i === undefined ? undefined : values[i]
      if (value === undefined || value === '-') return value
      if (role === 'path' && query >= 0 && values[query] !== '-' && values[query] !== '') return `${value}?${values[query]}`
      if (role === 'agent') return decodeAgent(value, cloudfront)
      return value
    }
    const request = layout.requests.map(get, lineNo, offset)
    if (request !== null) return request
    // No request (CloudFront's status 000 when the viewer went away): an app event, if the line has its time.
    const other = layout.others.map((role) => (role === 'message' ? line : get(role)), lineNo, offset)
    return other !== null && other.time !== null ? other : null
  }
}

/** IIS's default W3C fields (IIS 8.5 and later). */
export const IIS_DEFAULT_FIELDS = [
  'date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip',
  'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken'
] as const

/** CloudFront standard logs' fields, in AWS's documented order (the 33 of logs since 2019-12). */
export const CLOUDFRONT_FIELDS = [
  'date', 'time', 'x-edge-location', 'sc-bytes', 'c-ip', 'cs-method', 'cs(Host)', 'cs-uri-stem', 'sc-status',
  'cs(Referer)', 'cs(User-Agent)', 'cs-uri-query', 'cs(Cookie)', 'x-edge-result-type', 'x-edge-request-id',
  'x-host-header', 'cs-protocol', 'cs-bytes', 'time-taken', 'x-forwarded-for', 'ssl-protocol', 'ssl-cipher',
  'x-edge-response-result-type', 'cs-protocol-version', 'fle-status', 'fle-encrypted-fields', 'c-port',
  'time-to-first-byte', 'x-edge-detailed-result-type', 'sc-content-type', 'sc-content-len', 'sc-range-start', 'sc-range-end'
] as const
