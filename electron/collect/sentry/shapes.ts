/**
 * Sentry's API answers, read defensively: the issues list ("List a Project's Issues") and an
 * issue's latest event ("Retrieve the Latest Event for an Issue"). Only the fields the join and the
 * report use are read; a field of the wrong shape is skipped, never trusted.
 */
import type { SentryException, SentryFrame, SentryIssueEvidence } from '../../../shared/analysis/sentry'

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
/** Sentry sends `count` as a string and `userCount` as a number. */
const int = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN
  return Number.isFinite(n) && n >= 0 ? Math.round(n) : 0
}

/** One row of the issues list, before its latest event is read. */
export interface SentryIssueRow {
  id: string
  shortId: string
  title: string
  culprit: string | null
  permalink: string
  count: number
  users: number
  firstSeen: string | null
  lastSeen: string | null
  /** `metadata.type` / `metadata.value`: the exception when the latest event cannot be read. */
  type: string | null
  value: string | null
}

/** The rows of one page; null when the body is not a list of issues. */
export function readIssueRows(body: unknown): SentryIssueRow[] | null {
  if (!Array.isArray(body)) return null
  const rows: SentryIssueRow[] = []
  for (const item of body) {
    if (!isObject(item)) continue
    const id = str(item.id)
    if (id === null) continue
    const metadata = isObject(item.metadata) ? item.metadata : {}
    rows.push({
      id,
      shortId: str(item.shortId) ?? id,
      title: str(item.title) ?? '(untitled)',
      culprit: str(item.culprit),
      permalink: httpUrl(str(item.permalink)) ?? '',
      count: int(item.count),
      users: int(item.userCount),
      firstSeen: str(item.firstSeen),
      lastSeen: str(item.lastSeen),
      type: str(metadata.type),
      value: str(metadata.value)
    })
  }
  return rows
}

/** Only http(s) links reach the report and the UI's external-link path. */
function httpUrl(text: string | null): string | null {
  if (text === null) return null
  try {
    const url = new URL(text)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.toString() : null
  } catch {
    return null
  }
}

function frameOf(v: unknown): (SentryFrame & { inApp: boolean }) | null {
  if (!isObject(v)) return null
  // The API serializes `inApp`; the event payload an SDK sends says `in_app`.
  const inApp = v.inApp === true || v.in_app === true
  return { module: str(v.module), filename: str(v.filename) ?? str(v.absPath) ?? str(v.abs_path), function: str(v.function), inApp }
}

function exceptionOf(v: unknown): SentryException | null {
  if (!isObject(v)) return null
  const stack = isObject(v.stacktrace) ? v.stacktrace : isObject(v.rawStacktrace) ? v.rawStacktrace : null
  const frames = stack && Array.isArray(stack.frames) ? stack.frames.map(frameOf).filter((f): f is SentryFrame & { inApp: boolean } => f !== null) : []
  const type = str(v.type)
  const module = str(v.module)
  // Sentry lists frames outermost first; the join reads innermost first, like the log's traces.
  return {
    type: type !== null && module !== null && !type.includes('.') ? `${module}.${type}` : type,
    value: str(v.value),
    frames: frames
      .filter((f) => f.inApp)
      .reverse()
      .map(({ module: m, filename, function: fn }) => ({ module: m, filename, function: fn }))
  }
}

/** The latest event's exceptions (chained ones each, oldest first as Sentry lists them) and release. */
export function readLatestEvent(body: unknown): { exceptions: SentryException[]; release: string | null } | null {
  if (!isObject(body)) return null
  const entries = Array.isArray(body.entries) ? body.entries : []
  const exceptions: SentryException[] = []
  for (const entry of entries) {
    if (!isObject(entry) || entry.type !== 'exception' || !isObject(entry.data) || !Array.isArray(entry.data.values)) continue
    for (const value of entry.data.values) {
      const ex = exceptionOf(value)
      if (ex) exceptions.push(ex)
    }
  }
  const releaseTag = Array.isArray(body.tags) ? body.tags.find((t) => isObject(t) && t.key === 'release') : undefined
  const release = (isObject(body.release) ? str(body.release.version) : str(body.release)) ?? (isObject(releaseTag) ? str(releaseTag.value) : null)
  return { exceptions, release }
}

export function issueEvidence(row: SentryIssueRow, event: { exceptions: SentryException[]; release: string | null } | null): SentryIssueEvidence {
  return {
    link: { issueId: row.id, shortId: row.shortId, permalink: row.permalink, release: event?.release ?? null, users: row.users, count: row.count },
    title: row.title,
    culprit: row.culprit,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    exceptions: event && event.exceptions.length > 0 ? event.exceptions : row.type ? [{ type: row.type, value: row.value, frames: [] }] : []
  }
}

/** The `rel="next"` URL of a `Link` header when Sentry says more results follow. */
export function nextPageUrl(link: string | null): string | null {
  if (link === null) return null
  for (const part of link.split(/,\s*(?=<)/)) {
    const m = /^<([^>]+)>(.*)$/.exec(part.trim())
    if (!m) continue
    const params = m[2]
    if (/;\s*rel="?next"?/.test(params) && /;\s*results="?true"?/.test(params)) return m[1]
  }
  return null
}
