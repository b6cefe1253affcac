/**
 * The representative failing request as a curl command, to reproduce it in isolation. Only
 * idempotent methods are offered for replay; POST and PATCH are shown with a warning and never
 * run without the engineer's confirmation. No header that can carry a secret is included, and
 * query values under secret-looking names are redacted. Access logs rarely record the Host,
 * so the URL is on http://localhost — the command says so.
 */
import type { AnalysisV1 } from '../../contract/analysis'
import type { RequestEvent } from '../../model/evidence'
import { isIdempotent, notIdempotentWarning } from '../../model/methods'
import { isSecretKeyName } from '../../report/redact'
import { normalizeRoute } from '../route'
import type { Context } from './context'
import type { RouteFailures } from './endpoint'

export type ReplayField = NonNullable<AnalysisV1['replay']>


const HOST = 'http://localhost'

interface Candidate {
  method: string
  path: string
  requestId: string | null
  time: number | null
  line: number
}

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`

export function redactQuery(path: string): string {
  const q = path.indexOf('?')
  if (q < 0) return path
  const pairs = path
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq <= 0) return pair
      let key = pair.slice(0, eq)
      try {
        key = decodeURIComponent(key)
      } catch {
        // A malformed escape is matched as written.
      }
      return isSecretKeyName(key) ? `${pair.slice(0, eq)}=REDACTED` : pair
    })
  return `${path.slice(0, q)}?${pairs.join('&')}`
}

export function curlFor(method: string, url: string, requestId: string | null): string {
  const m = method.toUpperCase()
  const parts = ['curl -sS']
  parts.push(m === 'HEAD' ? '--head' : `-X ${m}`)
  parts.push(shellQuote(url))
  if (requestId !== null) parts.push(`-H ${shellQuote(`X-Request-Id: ${requestId}`)}`)
  const command = `${parts.join(' ')}  # host not in the log: localhost assumed`
  if (isIdempotent(m)) return command
  return `# ${notIdempotentWarning(m)} Shown for reference: run it by hand only after confirming it is safe.\n${command}`
}

/** Prefers the most common failing route; within it the most frequent exact path, then the earliest request. */
function pick(cands: Candidate[]): Candidate | null {
  if (cands.length === 0) return null
  const byPath = new Map<string, { n: number; first: Candidate }>()
  for (const c of cands) {
    const key = `${c.method} ${c.path}`
    const known = byPath.get(key)
    if (known) {
      known.n++
      if (earlier(c, known.first)) known.first = c
    } else byPath.set(key, { n: 1, first: c })
  }
  let best: { n: number; first: Candidate } | null = null
  for (const v of byPath.values()) if (best === null || v.n > best.n || (v.n === best.n && earlier(v.first, best.first))) best = v
  return best?.first ?? null
}

function earlier(a: Candidate, b: Candidate): boolean {
  const ta = a.time ?? Infinity
  const tb = b.time ?? Infinity
  return ta < tb || (ta === tb && a.line < b.line)
}

const fromRequest = (r: RequestEvent): Candidate => ({ method: r.method, path: r.path, requestId: r.requestId, time: r.time, line: r.line })

export function buildReplay(ctx: Context, routes: RouteFailures[]): ReplayField | null {
  const failing = ctx.input.requests.failing.filter((r) => r.path !== '-' && r.method !== '-')
  let cands: Candidate[] = []
  const top = routes.find((r) => r.fails > 0)
  if (failing.length > 0) {
    cands = top ? failing.filter((r) => r.method === top.method && r.route === top.route).map(fromRequest) : []
    if (cands.length === 0) cands = failing.map(fromRequest)
  } else {
    // No failing access lines: errors that name their request stand for it.
    const named = ctx.errors.filter((e) => e.path !== null)
    const onTop = top ? named.filter((e) => (e.method ?? 'GET') === top.method && e.path !== null && normalizeRoute(e.path) === top.route) : []
    cands = (onTop.length > 0 ? onTop : named).map((e) => ({ method: e.method ?? 'GET', path: e.path ?? '/', requestId: e.requestId, time: e.time, line: e.line }))
  }
  const c = pick(cands)
  if (c === null) return null
  const path = redactQuery(c.path.startsWith('/') ? c.path : `/${c.path}`)
  const url = `${HOST}${path}`
  return { method: c.method.toUpperCase(), url, curl: curlFor(c.method, url, c.requestId) }
}
