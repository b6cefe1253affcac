/**
 * Reads a Sentry project's issues for the incident window and each issue's latest event, with
 * plain fetch. Pages follow the `Link` header only on the configured origin (the token goes
 * nowhere else); a 429 waits its Retry-After, bounded, and says so; 401/403 name the scope the
 * token lacks. The token lives only in the request headers: no message carries it.
 */
import type { SentryIssueEvidence } from '../../../shared/analysis/sentry'
import { duration } from '../../../shared/format'
import { StoreError, type StoreCredentialRef } from '../store'
import { credentialHeaders } from '../store/credentials'
import { issueEvidence, nextPageUrl, readIssueRows, readLatestEvent, type SentryIssueRow } from './shapes'

export const DEFAULT_SENTRY_URL = 'https://sentry.io'

export interface SentrySpec {
  /** `https://sentry.io` or a self-hosted Sentry's address. */
  baseUrl: string
  org: string
  project: string
  /** The incident window, epoch ms. */
  from: number
  to: number
  /** Sentry search (`is:unresolved`); none: Sentry's default. */
  query?: string
  credential: StoreCredentialRef
}

export interface SentryReadOptions {
  fetch?: typeof fetch
  /** Waits between a 429 and its retry (tests pass a recorder). */
  sleep?: (ms: number) => Promise<void>
  /** Resolves `keychain` credentials in the desktop app. */
  keychain?: (id: string) => Promise<string | null>
  /** Longest single wait a 429 may ask for before the read gives up. */
  maxRetryAfterMs?: number
  /** 429s tolerated per request. */
  maxRetries?: number
  maxPages?: number
  maxIssues?: number
  signal?: AbortSignal
}

export interface SentryReading {
  issues: SentryIssueEvidence[]
  /** Rate limits waited out, pages or events not read: one line each, shown beside the analysis. */
  warnings: string[]
}

export class SentryError extends Error {
  override readonly name = 'SentryError'
}

const DEFAULT_MAX_RETRY_AFTER_MS = 30_000
const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Retry-After in seconds or as an HTTP date; 1 s when absent or unreadable. */
function retryAfterMs(header: string | null, now: number): number {
  if (header === null) return 1000
  const seconds = Number(header.trim())
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(header)
  return Number.isFinite(at) ? Math.max(0, at - now) : 1000
}

export function sentryIssuesUrl(spec: SentrySpec, base: URL): URL {
  const url = new URL(`api/0/projects/${encodeURIComponent(spec.org)}/${encodeURIComponent(spec.project)}/issues/`, base)
  url.searchParams.set('start', new Date(spec.from).toISOString())
  url.searchParams.set('end', new Date(spec.to).toISOString())
  if (spec.query !== undefined && spec.query.trim() !== '') url.searchParams.set('query', spec.query.trim())
  return url
}

function baseOf(raw: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new SentryError(`Sentry URL "${raw}" is not a URL (like https://sentry.io)`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new SentryError(`Sentry URL must be http(s) (got ${url.protocol})`)
  if (url.username !== '' || url.password !== '') throw new SentryError('Sentry URL must not carry a user or password: give the token with --sentry-token')
  url.search = ''
  url.hash = ''
  if (!url.pathname.endsWith('/')) url.pathname += '/'
  return url
}

/** What the token lacks, by the endpoint that refused it. */
const SCOPE = { issues: 'project:read', event: 'event:read' } as const

export async function readSentryIssues(spec: SentrySpec, options: SentryReadOptions = {}): Promise<SentryReading> {
  const doFetch = options.fetch ?? fetch
  const sleep = options.sleep ?? sleepFor
  const maxWait = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS
  const maxRetries = options.maxRetries ?? 3
  const maxPages = options.maxPages ?? 10
  const maxIssues = options.maxIssues ?? 200
  const base = baseOf(spec.baseUrl)
  const where = `Sentry ${base.host} ${spec.org}/${spec.project}`
  let auth: Record<string, string>
  try {
    auth = await credentialHeaders(spec.credential.kind === 'none' ? spec.credential : { ...spec.credential, scheme: 'bearer' }, options.keychain)
  } catch (err) {
    throw err instanceof StoreError ? new SentryError(`${where}: token: ${err.message}`) : err
  }
  const warnings: string[] = []

  /** One GET, 429s waited out; null for a 404 the caller may route around. */
  const get = async (url: URL, scope: keyof typeof SCOPE): Promise<{ body: unknown; link: string | null } | null> => {
    // Never send the token to another origin, whatever a Link header says.
    if (url.origin !== base.origin) throw new SentryError(`${where}: a page link points to another host (${url.host}); not followed`)
    for (let attempt = 0; ; attempt++) {
      let res: Response
      try {
        res = await doFetch(url, { headers: { ...auth, accept: 'application/json' }, redirect: 'manual', ...(options.signal ? { signal: options.signal } : {}) })
      } catch (err) {
        throw new SentryError(`${where}: unreachable (${err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err)})`)
      }
      const path = url.pathname
      if (res.status === 429) {
        const wait = retryAfterMs(res.headers.get('retry-after'), Date.now())
        await res.body?.cancel()
        if (attempt >= maxRetries || wait > maxWait)
          throw new SentryError(`${where}: rate limited (429) on ${path}; asked to wait ${duration(wait)}, more than this read waits`)
        warnings.push(`${where}: rate limited (429) on ${path}; waited ${duration(wait)} as Retry-After asked`)
        await sleep(wait)
        continue
      }
      if (res.status === 401 || res.status === 403) {
        await res.body?.cancel()
        throw new SentryError(
          `${where}: ${res.status} on ${path}: the token ${res.status === 401 ? 'was refused' : 'lacks a scope'}; it needs the read-only scope ${SCOPE[scope]} (and ${scope === 'issues' ? SCOPE.event : SCOPE.issues} for the rest)`
        )
      }
      if (res.status === 404) {
        await res.body?.cancel()
        return null
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel()
        throw new SentryError(`${where}: ${res.status} on ${path}${res.status >= 300 && res.status < 400 ? ' (redirect not followed)' : ''}`)
      }
      try {
        return { body: await res.json(), link: res.headers.get('link') }
      } catch {
        throw new SentryError(`${where}: ${path} did not answer JSON`)
      }
    }
  }

  const rows: SentryIssueRow[] = []
  let next: URL | null = sentryIssuesUrl(spec, base)
  for (let page = 0; next !== null; page++) {
    if (page >= maxPages || rows.length >= maxIssues) {
      warnings.push(`${where}: more issues than read (stopped at ${rows.length}); the rest are not joined`)
      break
    }
    const answer = await get(next, 'issues')
    if (answer === null) throw new SentryError(`${where}: 404 on ${next.pathname}: no such organization or project (or the token cannot see it)`)
    const pageRows = readIssueRows(answer.body)
    if (pageRows === null) throw new SentryError(`${where}: ${next.pathname} did not answer a list of issues`)
    rows.push(...pageRows)
    const link = nextPageUrl(answer.link)
    next = link === null ? null : new URL(link, base)
  }

  const issues: SentryIssueEvidence[] = []
  for (const row of rows.slice(0, maxIssues)) {
    const id = encodeURIComponent(row.id)
    let answer = await get(new URL(`api/0/organizations/${encodeURIComponent(spec.org)}/issues/${id}/events/latest/`, base), 'event')
    // Older self-hosted Sentry serves the latest event only at the unscoped path.
    answer ??= await get(new URL(`api/0/issues/${id}/events/latest/`, base), 'event')
    const event = answer === null ? null : readLatestEvent(answer.body)
    if (event === null) warnings.push(`${where}: the latest event of ${row.shortId} could not be read; without its frames it is listed as Sentry only`)
    issues.push(issueEvidence(row, event))
  }
  return { issues, warnings }
}
