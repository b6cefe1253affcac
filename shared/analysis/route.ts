/**
 * Route normalization: `/api/reports/8812/export?x=1` → `/api/reports/:id/export`.
 * Segments that identify a record (numbers, uuids, hashes, opaque tokens, emails) become
 * `:id` so requests to the same endpoint group together; words are kept.
 * This runs once per access-log line: results are memoized, and segments are classified in
 * place with charCodeAt so a path that needs no change is returned without allocating.
 */

const ID = ':id'
const CACHE_LIMIT = 20_000
/** Access logs repeat paths heavily: a hit costs one native hash lookup, a miss one scan of the path. */
const cache = new Map<string, string>()

export function normalizeRoute(path: string): string {
  const cached = cache.get(path)
  if (cached !== undefined) return cached
  const end = pathEnd(path)
  const route = end === path.length && !hasIdSegment(path, end) ? (path === '' ? '/' : path) : computeRoute(path, end)
  // A full clear is cheaper than LRU bookkeeping on the hot path and keeps memory bounded.
  if (cache.size >= CACHE_LIMIT) cache.clear()
  cache.set(path, route)
  return route
}

/** True for a single path segment that names one record rather than a resource. */
export function isIdSegment(segment: string): boolean {
  return isIdAt(segment, 0, segment.length)
}

/** Index of the first `?` or `#`, or the length. */
function pathEnd(path: string): number {
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i)
    if (c === 63 || c === 35) return i
  }
  return path.length
}

function hasIdSegment(path: string, end: number): boolean {
  let start = 0
  while (start <= end) {
    let slash = path.indexOf('/', start)
    if (slash < 0 || slash > end) slash = end
    if (slash > start && isIdAt(path, start, slash)) return true
    start = slash + 1
  }
  return false
}

function computeRoute(path: string, end: number): string {
  if (end === 0) return '/'
  let route = ''
  let start = 0
  while (start <= end) {
    let slash = path.indexOf('/', start)
    if (slash < 0 || slash > end) slash = end
    route += slash > start && isIdAt(path, start, slash) ? ID : path.slice(start, slash)
    if (slash < end) route += '/'
    start = slash + 1
  }
  return route
}

const UUID_DASHES = [8, 13, 18, 23]
const EMAIL_RE = /^[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}$/

/**
 * One pass over `s[start, end)`. Ids are: all digits; a uuid; hex of ≥ 8 chars with a digit (so
 * words like `facade` stay); an email (`%40` too); or a base64url / ULID-like token of ≥ 16
 * chars. Slugs such as `logstash-monitorama-2013` are long too, so tokens are told apart by how
 * often the character class flips (digit ↔ letter, lower ↔ upper): random tokens flip constantly.
 */
function isIdAt(s: string, start: number, end: number): boolean {
  const length = end - start
  let digits = 0
  let hex = 0
  let letters = 0
  let separators = 0
  let other = 0
  let at = false
  let flips = 0
  let previous = 0 // 0 none, 1 digit, 2 lower, 3 upper, 4 separator
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i)
    let kind: number
    if (c >= 48 && c <= 57) {
      kind = 1
      digits++
    } else if (c >= 97 && c <= 122) {
      kind = 2
      letters++
      if (c <= 102) hex++
    } else if (c >= 65 && c <= 90) {
      kind = 3
      letters++
      if (c <= 70) hex++
    } else if (c === 45 || c === 95 || c === 61) {
      kind = 4
      separators++
    } else {
      if (c === 64) at = true
      else if (c === 37 && s.startsWith('%40', i)) at = true
      other++
      continue
    }
    if (kind !== 4 && previous !== 0 && previous !== 4 && kind !== previous) flips++
    previous = kind
  }
  if (digits === length) return length > 0
  if (at) return EMAIL_RE.test(s.slice(start, end).replace(/%40/g, '@'))
  if (digits === 0 || other > 0) return false
  if (length === 36 && separators === 4 && digits + hex === 32 && UUID_DASHES.every((d) => s.charCodeAt(start + d) === 45)) return true
  if (length >= 8 && separators === 0 && digits + hex === length) return true
  return length >= 16 && letters > 0 && flips >= Math.max(3, Math.floor(length / 5))
}
