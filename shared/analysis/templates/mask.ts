/**
 * Masking of variable parts inside single tokens, so that two lines which differ only by
 * their values (ids, numbers, addresses, times…) tokenize to the same shape before the
 * template miner compares them.
 */

export const WILDCARD = '<*>'

const CALENDAR_WORDS = new Set([
  'Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec',
  'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'
])

/** A token made only of wildcards and the punctuation that glues values together. */
const ONLY_VALUES = /^[\s"'`([{<]*(?:<\*>[-.:,;_/+|)\]}>"'`]*)+$/
const QUOTED = /^(?:"[^"]*"|'[^']*'|`[^`]*`|\\042.*\\042|\\x22.*\\x22)[,.;:)\]]*$/
const URL = /[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s"'<>)\]]*/g
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g
const PATH = /(^|[=(["':,])(?:[a-zA-Z]:)?(?:~?\/|\\)[^\s"'),\]]*/g
const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/g
const IPV4 = /\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?/g
const HOST_PORT = /[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+:\d{1,5}\b/g
const HEX_PREFIXED = /0x[0-9a-fA-F]+/g
const HEX_RUN = /(?<![0-9a-zA-Z])-?[0-9a-fA-F]{8,}(?![0-9a-zA-Z])/g
const DATE_TIME = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?/g
const DIGITS = /-?\d+(?:[.,]\d+)*/g
const ADJACENT_WILDCARDS = /<\*>(?:[-.:,_/+]*<\*>)+/g

const NEEDS_WORK = /[\d/\\@"'`]/

/** `Jan`, `Mon,` …: a calendar word, maybe followed by a comma or a dot. */
const isCalendarWord = (token: string): boolean =>
  CALENDAR_WORDS.has(token) || ((token.endsWith(',') || token.endsWith('.')) && CALENDAR_WORDS.has(token.slice(0, -1)))

function maskUncached(token: string): string {
  if (isCalendarWord(token)) return WILDCARD
  if (!NEEDS_WORK.test(token)) return token
  if (token.length > 2 && QUOTED.test(token)) return WILDCARD
  let out = token
  if (out.includes('://')) out = out.replace(URL, WILDCARD)
  if (out.includes('@')) out = out.replace(EMAIL, WILDCARD)
  if (out.includes('/') || out.includes('\\')) out = out.replace(PATH, (_m, lead: string) => lead + WILDCARD)
  if (out.includes('-')) out = out.replace(UUID, WILDCARD)
  out = out.replace(DATE_TIME, WILDCARD)
  out = out.replace(IPV4, WILDCARD)
  if (out.includes(':')) out = out.replace(HOST_PORT, WILDCARD)
  out = out.replace(HEX_PREFIXED, WILDCARD)
  out = out.replace(HEX_RUN, (run) => (/\d/.test(run) ? WILDCARD : run))
  out = out.replace(DIGITS, WILDCARD)
  out = out.replace(ADJACENT_WILDCARDS, WILDCARD)
  return ONLY_VALUES.test(out) ? WILDCARD : out
}

/** Tokens repeat a lot in logs; remembering them keeps the regexes off the hot path. */
const CACHE_LIMIT = 65_536
let cache = new Map<string, string>()

export function maskToken(token: string): string {
  // Plain words (most tokens) need no regex and no cache entry.
  if (!NEEDS_WORK.test(token) && !isCalendarWord(token)) return token
  const hit = cache.get(token)
  if (hit !== undefined) return hit
  const masked = maskUncached(token)
  if (cache.size >= CACHE_LIMIT) cache = new Map()
  cache.set(token, masked)
  return masked
}

export const hasWildcard = (token: string): boolean => token.includes(WILDCARD)

/** Whitespace-separated tokens; `|` is a field separator in several formats, so it is a token too. */
export function tokenize(line: string): string[] {
  const tokens: string[] = []
  for (const raw of line.split(/\s+/)) {
    if (raw === '') continue
    if (!raw.includes('|')) {
      tokens.push(raw)
      continue
    }
    let start = 0
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] !== '|') continue
      if (i > start) tokens.push(raw.slice(start, i))
      tokens.push('|')
      start = i + 1
    }
    if (start < raw.length) tokens.push(raw.slice(start))
  }
  return tokens
}

/** The message with its variable parts masked, e.g. for comparing error messages. */
export function maskMessage(message: string): string {
  return tokenize(message).map(maskToken).join(' ')
}
