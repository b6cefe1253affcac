/**
 * Whether a source was read well enough to stand behind an all-clear. One rule, used by the
 * verdict (`unreadable` instead of `none`, lower confidence otherwise) and by the source card.
 */
import type { FieldMap, FormatFamily, LogFormatId } from '../model/evidence'
import { count } from '../format'

/** What reading one source gave, as the readability rule needs it. */
export interface SourceReading {
  path: string
  format: LogFormatId
  /** null for `unknown`. */
  family: FormatFamily | null
  lines: number
  events: number
  /** Lines inside events (folded lines included). */
  eventLines: number
  /** Lines read as format directives: no event, not unparsed. */
  directiveLines: number
  unparsed: number
  requests: number
  /** Whether any event carried a timestamp. */
  dated: boolean
  /** Of a bounded sample of non-request lines, how many look like HTTP requests. */
  requestShaped: { sampled: number; shaped: number }
  /** The commonest shapes among the unparsed lines kept as samples. */
  unreadShapes: { shape: string; count: number }[]
  fieldMap: FieldMap | null
}

/** Above this share of unparsed lines a source is mostly unread. */
export const UNREAD_SHARE = 0.5
/** Request-shaped lines must be at least this many of the sample before they say anything. */
const MIN_SHAPE_SAMPLE = 5

export function unparsedShare(s: Pick<SourceReading, 'lines' | 'unparsed'>): number {
  return s.lines > 0 ? Math.round((s.unparsed / s.lines) * 10_000) / 10_000 : 0
}

/** Why this source is mostly unread, in words naming it; null when it reads. */
export function unreadReason(name: string, s: Omit<SourceReading, 'path' | 'unreadShapes' | 'fieldMap' | 'family' | 'eventLines' | 'directiveLines'>): string | null {
  if (s.lines === 0) return null
  if (s.format === 'unknown') return `${count(s.lines)} of ${count(s.lines)} lines of ${name} unread: no known format reads them`
  if (s.unparsed / s.lines > UNREAD_SHARE) return `${count(s.unparsed)} of ${count(s.lines)} lines of ${name} unread as ${s.format}`
  const { sampled, shaped } = s.requestShaped
  if (s.requests === 0 && sampled >= MIN_SHAPE_SAMPLE && shaped * 2 > sampled)
    return `${name} looks like an access log (${count(shaped)} of ${count(sampled)} sampled lines carry an HTTP request), but no request was read from its ${count(s.lines)} lines as ${s.format}`
  if (s.events > 0 && !s.dated) return `none of the ${count(s.events)} events of ${name} has a timestamp`
  return null
}

/** `Aug  5 00:50:12 web-1 haproxy[374]: 10.0.0.1:5152 …` → `Aug 0 0:0:0 web-0 haproxy[0]: 0.0.0.0:0 …`: lines that differ only in values share a shape. */
export function lineShape(text: string): string {
  const head = text.length > 120 ? `${text.slice(0, 120)}…` : text
  return head.replace(/\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, 'h').replace(/\d+/g, '0').replace(/\s+/g, ' ')
}

/** The commonest shapes among sample lines, most frequent first. */
export function commonShapes(lines: readonly string[], limit = 3): { shape: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const line of lines) {
    if (line.trim() === '') continue
    const shape = lineShape(line)
    counts.set(shape, (counts.get(shape) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([shape, n]) => ({ shape, count: n }))
}
