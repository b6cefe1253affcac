/**
 * The web server's own error log (nginx, Apache, php-fpm) says it is misconfigured for the
 * requests that failed: a FastCGI socket it may not use or that is not there, a rewrite or
 * internal-redirect cycle, a missing docroot, a script that died before its headers, a response
 * header too big for its buffer. Lines that everyday 404 noise also writes (a scanner's
 * "Primary script unknown", a missing file) count only where the access log shows that path got 5xx.
 */
import type { AnalysisV1, Finding, ServerConfigKind } from '../../contract/analysis'
import type { AppEvent, ProxyErrorEvent } from '../../model/evidence'
import { normalizeRoute } from '../../analysis/route'
import { type Context, finding, inWindows, ref } from '../../analysis/verdict/context'
import { count, plural } from '../../format'
import { quote } from '../../analysis/verdict/text'

export type ServerConfigField = NonNullable<AnalysisV1['serverConfig']>

interface Rule {
  kind: ServerConfigKind
  re: RegExp
  /** The server answers 5xx whenever it writes this (502 for a socket it cannot use, 500 for a cycle). */
  always5xx: boolean
}

// The first capture group, when there is one, is the socket, directory or script the line names.
const RULES: Rule[] = [
  { kind: 'socket', re: /connect\(\) to (unix:[^\s]+?) failed \((?:13: Permission denied|2: No such file or directory)\)/, always5xx: true },
  { kind: 'socket', re: /unable to bind listening socket for address '([^']+)'[^\n]*/, always5xx: true },
  { kind: 'rewrite-cycle', re: /rewrite or internal redirection cycle(?: while [\w ]+?)?(?: to "([^"]+)")?(?=,|$)/, always5xx: true },
  { kind: 'rewrite-cycle', re: /AH00124: Request exceeded the limit of \d+ internal redirects/, always5xx: true },
  { kind: 'script-headers', re: /(?:Premature end of script headers|End of script output before headers):? ?([^\s,]+)?/, always5xx: true },
  { kind: 'header-size', re: /upstream sent too big header(?: while reading response header from upstream)?/, always5xx: true },
  { kind: 'docroot', re: /directory index of "([^"]+)" is forbidden|(?:realpath|opendir|stat)\(\) "([^"]+)" failed \(2: No such file or directory\)|AH01276: Cannot serve directory ([^:]+)/, always5xx: false },
  { kind: 'script-unknown', re: /Primary script unknown/, always5xx: false }
]

interface Hit {
  kind: ServerConfigKind
  message: string
  target: string | null
  path: string | null
  time: number | null
  line: number
  proxy: boolean
  always5xx: boolean
}

function match(text: string): Omit<Hit, 'path' | 'time' | 'line' | 'proxy'> | null {
  for (const r of RULES) {
    const m = r.re.exec(text)
    if (m === null) continue
    return { kind: r.kind, message: m[0].trim(), target: m.slice(1).find((g) => g !== undefined) ?? null, always5xx: r.always5xx }
  }
  return null
}

const MIN_HITS = 3

export function detectServerConfig(ctx: Context): { finding: Finding; field: ServerConfigField } | null {
  const reqs = ctx.input.requests
  const withRequests = reqs.requests > 0
  if (withRequests && ctx.incident?.present !== true) return null
  const episodes = ctx.incident?.episodes ?? []
  const failingRoutes = new Set(reqs.routes.filter((r) => r.s5xx > 0).map((r) => r.route))
  const hits: Hit[] = []
  const see = (e: ProxyErrorEvent | AppEvent, proxy: boolean): void => {
    const m = match(e.message)
    if (m === null) return
    // Judged by the requests themselves where an access log has them: did that path get 5xx?
    if (withRequests && e.path !== null ? !failingRoutes.has(normalizeRoute(e.path)) : !m.always5xx) return
    hits.push({ ...m, path: e.path, time: e.time, line: e.line, proxy })
  }
  for (const p of ctx.input.proxyErrors) see(p, true)
  for (const e of ctx.scanned) see(e, false)
  // nginx and Apache write error-log times in the host's zone without saying which: when too few
  // lines fall inside the incident, the clocks disagree, and the paths that got 5xx still judge.
  const inIncident = withRequests ? hits.filter((h) => inWindows(episodes, h.time)) : hits
  const kept = inIncident.length >= MIN_HITS ? inIncident : hits.filter((h) => h.path !== null)
  const kinds = new Map<ServerConfigKind, Hit[]>()
  for (const h of kept) kinds.set(h.kind, [...(kinds.get(h.kind) ?? []), h])
  let mine: Hit[] = []
  for (const list of kinds.values()) if (list.length > mine.length) mine = list
  if (mine.length < MIN_HITS) return null

  const first = mine[0]
  const paths = new Map<string, number>()
  for (const h of mine) if (h.path !== null) paths.set(h.path.split('?')[0], (paths.get(h.path.split('?')[0]) ?? 0) + 1)
  let path: string | null = null
  let most = 0
  for (const [p, n] of paths) if (n > most) [path, most] = [p, n]
  if (most < 0.5 * mine.length) path = null
  // The proxy errors are a bounded sample: scaled back to all of them.
  const scale = ctx.input.proxyErrorsSeen / Math.max(ctx.input.proxyErrors.length, 1)
  const n = Math.round(mine.filter((h) => h.proxy).length * scale) + mine.filter((h) => !h.proxy).length
  const source = first.proxy ? ctx.sourceOf.proxy : ctx.sourceOf.app
  const times = mine.flatMap((h) => (h.time === null ? [] : [h.time]))
  const reasons = [
    {
      text: `The web server's error log says it is misconfigured: ${plural(n, 'line')} like "${quote(first.message, 140)}"${path !== null ? ` for ${path}` : ''}${withRequests ? ', on requests that got 5xx' : ''}`,
      evidence: [...ref.line(source, first.line), ...(times.length > 0 ? [ref.window(Math.min(...times), Math.max(...times))] : [])]
    }
  ]
  if (paths.size > 1 && path === null) reasons.push({ text: `On ${count(paths.size)} different paths: the setting is shared by all of them`, evidence: [] })
  return {
    finding: finding('server-config', 0.7 + Math.min(0.2, mine.length / 100), reasons),
    field: { path, message: first.message, kind: first.kind, target: first.target, count: n }
  }
}
