/**
 * Finds where a raw log line's header (timestamp, level, pid, thread, host, component) ends
 * and its message begins, without being told the format.
 *
 * Each leading token gets a coarse kind; a line's header is the run of header-like kinds at
 * its start. A single line can be misread (a message that starts with a number looks like
 * more header), so a file learns its usual header shape from a sample of lines and cuts
 * every line that fits that shape at the same place.
 */

import { tokenize } from './mask'

/**
 * T: carries a digit or a calendar word (dates, times, pids, numbered hosts)
 * L: a severity level          B: a bracketed group, possibly spanning tokens
 * P: a bare separator          C: a `component:` token, which ends a header
 * W: any other word
 */
export type HeaderKind = 'T' | 'L' | 'B' | 'P' | 'C' | 'W'

const LEVELS = new Set([
  'TRACE', 'DEBUG', 'FINE', 'FINER', 'FINEST', 'VERBOSE', 'INFO', 'NOTICE', 'WARN', 'WARNING',
  'ERROR', 'ERR', 'SEVERE', 'CRITICAL', 'CRIT', 'FATAL', 'ALERT', 'EMERG', 'PANIC'
])
const CALENDAR = /^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun),?$/
const SEPARATOR = /^[-|:>=#~*]+$/
const COMPONENT = /^[^\s:]*[A-Za-z][^\s]*:$/
const ALL_CAPS_WORD = /^[A-Z][A-Z0-9_]*$/
/** A bracket group longer than this many tokens is message text, not a header field. */
const MAX_BRACKET_TOKENS = 12
const MAX_HEADER_TOKENS = 24

function isLevel(token: string): boolean {
  const bare = token.replace(/^[[(<]/, '').replace(/[\])>:,]+$/, '')
  if (LEVELS.has(bare)) return true
  const upper = bare.toUpperCase()
  // Lower-case levels only count when the format marks them off (`[notice]`, `<error>`).
  return bare !== token && LEVELS.has(upper)
}

export function kindOf(token: string): HeaderKind {
  if (isLevel(token)) return 'L'
  if (token.startsWith('[') && token.endsWith(']')) return 'B'
  if (SEPARATOR.test(token)) return 'P'
  if (token.length > 1 && COMPONENT.test(token)) return 'C'
  if (/\d/.test(token) || CALENDAR.test(token)) return 'T'
  return 'W'
}

/** One header field: `width` whitespace tokens (more than one for `[a b c]`) of one kind. */
interface Field {
  kind: HeaderKind
  width: number
}

function bracketWidth(tokens: readonly string[], at: number): number {
  const first = tokens[at]
  if (!first.startsWith('[')) return 1
  let depth = 0
  for (let i = at; i < tokens.length && i - at < MAX_BRACKET_TOKENS; i++) {
    for (const ch of tokens[i]) {
      if (ch === '[') depth++
      else if (ch === ']') depth--
    }
    if (depth <= 0) return i - at + 1
  }
  return 1
}

function fieldAt(tokens: readonly string[], at: number): Field {
  const width = bracketWidth(tokens, at)
  return { kind: width > 1 ? 'B' : kindOf(tokens[at]), width }
}

export interface HeaderCut {
  /** Index of the first message token. */
  end: number
  /** The kinds of the header fields, e.g. `TTLBC`. */
  shape: string
}

/** The header of one line read on its own. */
export function scanHeader(tokens: readonly string[]): HeaderCut {
  let at = 0
  let shape = ''
  while (at < tokens.length && at < MAX_HEADER_TOKENS) {
    const field = fieldAt(tokens, at)
    if (field.kind === 'C') {
      at += field.width
      shape += 'C'
      break
    }
    if (field.kind !== 'W') {
      at += field.width
      shape += field.kind
      continue
    }
    // A word is a header field when a separator, a bracket or a component follows it,
    // perhaps after one short value (`host sshd[12]:`, `app.exe *64 - …`, `logger [thread]`).
    const next = wordFieldEnd(tokens, at)
    if (next !== null) {
      shape += next.shape
      at = next.at
      continue
    }
    // `TYPE COMPONENT LEVEL`: upper-case words up to a level are header fields too.
    let j = at
    while (j < tokens.length && j - at < 3 && ALL_CAPS_WORD.test(tokens[j]) && !isLevel(tokens[j])) j++
    if (j > at && j < tokens.length && isLevel(tokens[j])) {
      shape += 'W'.repeat(j - at) + 'L'
      at = j + 1
      continue
    }
    break
  }
  return leaveMessage(tokens, { end: at, shape })
}

function wordFieldEnd(tokens: readonly string[], at: number): { at: number; shape: string } | null {
  if (at + 1 >= tokens.length) return null
  const next = fieldAt(tokens, at + 1)
  if (next.kind === 'P' || next.kind === 'C' || next.kind === 'B') return { at: at + 1, shape: 'W' }
  if (next.kind === 'T' && next.width === 1 && at + 2 < tokens.length && tokens[at + 1].length <= 8) {
    const after = fieldAt(tokens, at + 2).kind
    if (after === 'P' || after === 'C') return { at: at + 2, shape: 'WT' }
  }
  return null
}

/** A line is never all header: keep at least its last token as the message. */
function leaveMessage(tokens: readonly string[], cut: HeaderCut): HeaderCut {
  if (cut.end < tokens.length || tokens.length === 0) return cut
  return { end: tokens.length - 1, shape: cut.shape.slice(0, -1) }
}

/** Cuts the line at `shape` when its leading fields have exactly those kinds. */
function cutByShape(tokens: readonly string[], shape: string): HeaderCut | null {
  let at = 0
  for (const kind of shape) {
    if (at >= tokens.length) return null
    const field = fieldAt(tokens, at)
    if (field.kind !== kind) return null
    at += field.width
  }
  return at < tokens.length ? { end: at, shape } : null
}

/**
 * Lines whose header differs slightly from the file's usual one (a host name with digits, an
 * extra `*64` after a program name) still share its last separator or component: the message
 * starts the same number of fields after it.
 */
function cutByAnchor(tokens: readonly string[], shape: string): HeaderCut | null {
  const anchor = Math.max(shape.lastIndexOf('P'), shape.lastIndexOf('C'))
  if (anchor === -1) return null
  const anchorKind = shape[anchor]
  const after = shape.length - anchor - 1
  let at = 0
  for (let field = 0; field <= anchor + 2 && at < tokens.length; field++) {
    const { kind, width } = fieldAt(tokens, at)
    at += width
    if (kind !== anchorKind || field < anchor - 1) continue
    for (let k = 0; k < after && at < tokens.length; k++) at += fieldAt(tokens, at).width
    return at < tokens.length ? { end: at, shape: `${shape.slice(0, anchor + 1)}${'?'.repeat(after)}` } : null
  }
  return null
}

const EXTENSION_FIELDS = 6
const CONSISTENT = 0.9
const MIN_LINES_TO_EXTEND = 20

/**
 * Header fields the per-line scan cannot tell from words (`node-12 node status 1074098611 1
 * running`): after the learned shape, a few words then values that nearly every line has in
 * the same places are fixed columns, so they belong to the header.
 */
function extendShape(lines: readonly string[][], shape: string): string {
  const following: string[] = []
  for (const tokens of lines) {
    const cut = cutByShape(tokens, shape)
    if (!cut) continue
    let kinds = ''
    for (let at = cut.end; at < tokens.length && kinds.length <= EXTENSION_FIELDS; ) {
      const field = fieldAt(tokens, at)
      kinds += field.kind
      at += field.width
    }
    following.push(kinds)
  }
  if (following.length < MIN_LINES_TO_EXTEND) return shape
  let columns = ''
  for (let k = 0; k < EXTENSION_FIELDS; k++) {
    const counts = new Map<string, number>()
    for (const kinds of following) if (k < kinds.length) counts.set(kinds[k], (counts.get(kinds[k]) ?? 0) + 1)
    let modal = ''
    let modalCount = 0
    for (const [kind, count] of counts) if (count > modalCount) [modal, modalCount] = [kind, count]
    if (modalCount < following.length * CONSISTENT) break
    columns += modal
  }
  // A message must remain after the columns.
  const fixed = /^W{0,3}T+/.exec(columns.slice(0, -1))
  return fixed ? shape + fixed[0] : shape
}

/** How a file's headers look: the shape most of its lines share, if any. */
export class HeaderModel {
  private constructor(private readonly shape: string | null) {}

  static none(): HeaderModel {
    return new HeaderModel(null)
  }

  /** Learns the dominant header shape from sample lines (the first few hundred of a file). */
  static learn(sample: Iterable<string>): HeaderModel {
    const counts = new Map<string, number>()
    const lines: string[][] = []
    for (const line of sample) {
      const tokens = tokenize(line)
      if (tokens.length < 2) continue
      lines.push(tokens)
      const { shape } = scanHeader(tokens)
      counts.set(shape, (counts.get(shape) ?? 0) + 1)
    }
    let best: string | null = null
    let bestCount = 0
    for (const [shape, count] of counts) {
      if (count > bestCount || (count === bestCount && best !== null && shape.length < best.length)) {
        best = shape
        bestCount = count
      }
    }
    // Without a clear majority the per-line scan is the better judge.
    if (best === null || best === '' || bestCount < lines.length * 0.3) return new HeaderModel(null)
    return new HeaderModel(/[LBPC]/.test(best) ? best : extendShape(lines, best))
  }

  get learnedShape(): string | null {
    return this.shape
  }

  cut(tokens: readonly string[]): HeaderCut {
    if (this.shape !== null) {
      const fitted = cutByShape(tokens, this.shape) ?? cutByAnchor(tokens, this.shape)
      if (fitted) return fitted
    }
    return scanHeader(tokens)
  }
}
