/**
 * 5xx that are not the app's own: 502/504 written by a proxy whose upstream refused, timed out
 * or closed (`upstream`), and 503 answered on purpose — maintenance, load shedding, rate
 * limiting, `Retry-After` (`unavailable`).
 */
import type { EvidenceRef, Finding, Reason } from '../../contract/analysis'
import type { ProxyErrorEvent, UpstreamReason } from '../../model/evidence'
import { type Context, finding, inWindows, ref } from './context'
import { eventText, headline, memo } from './event-text'
import { matchDependency } from './signatures'
import type { Episode } from './incident'
import { count, percent, plural } from '../../format'
import { quote } from './text'

const MIN_COUNT = 5
const MIN_SHARE = 0.5
/** The app is "silent" when it logs fewer errors than this share of the proxy's 5xx. */
const SILENT_SHARE = 0.1

const ON_PURPOSE =
  /maintenance|retry-after|load[ -]?shed|shedding|overload(?:ed)?|too many requests|rate[- ]?limit|limiting (?:requests|connections)|draining|drain mode|server (?:is )?busy|queue (?:is )?full|backpressure|throttl|over capacity/i

const REASON_WORDS: Record<UpstreamReason, string> = {
  refused: 'connection refused',
  timeout: 'upstream timed out',
  'prematurely-closed': 'upstream closed the connection early',
  'no-live-upstreams': 'no live upstreams',
  reset: 'connection reset',
  dns: 'upstream name not resolved',
  other: 'other upstream errors'
}

interface StatusTotals {
  fails: number
  s502: number
  s503: number
  s504: number
  appErrors: number
}

function totalsIn(ctx: Context, episodes: Episode[]): StatusTotals {
  const out = { fails: 0, s502: 0, s503: 0, s504: 0, appErrors: 0 }
  const buckets = ctx.series?.buckets ?? []
  for (const e of episodes)
    for (let i = e.from; i < e.to; i++) {
      const b = buckets[i]
      out.fails += b.s5xx
      out.s502 += b.s502
      out.s503 += b.s503
      out.s504 += b.s504
      out.appErrors += b.appErrors
    }
  return out
}

/**
 * The proxy's gateway errors when the app was up and blamed a dependency: the support the
 * dependency finding cites, in place of an `upstream` verdict.
 */
export interface GatewaySupport {
  s502: number
  s504: number
  /** Proxy error-log lines of the incident, by reason. */
  reasons: [UpstreamReason, number][]
  first: ProxyErrorEvent | null
}

export interface ProxyFindings {
  upstream: Finding | null
  unavailable: Finding | null
  /** Set when the gateway errors are a dependency's doing (the app up, answering, logging its dependency failures). */
  dependencyBehind: GatewaySupport | null
}

const byContext = new WeakMap<Context, ProxyFindings>()

/** Both proxy findings come from one pass; the upstream and unavailable playbooks share it. */
export function proxyFindings(ctx: Context): ProxyFindings {
  let found = byContext.get(ctx)
  if (found === undefined) {
    found = detectProxy(ctx)
    byContext.set(ctx, found)
  }
  return found
}

export function detectProxy(ctx: Context): ProxyFindings {
  const s = ctx.series
  const inc = ctx.incident
  const nothing = { upstream: null, unavailable: null, dependencyBehind: null }
  if (s === null || inc === null || !inc.present || s.mode !== 'requests') return nothing
  const t = totalsIn(ctx, inc.episodes)
  if (t.fails === 0) return nothing
  const gateway = upstream(ctx, inc.episodes, t)
  return { upstream: gateway.finding, unavailable: unavailable(ctx, inc.episodes, t), dependencyBehind: gateway.dependencyBehind }
}

/** Proxy reasons that say the app server itself could not be reached or died mid-answer. */
const SERVER_DOWN: ReadonlySet<UpstreamReason> = new Set(['refused', 'no-live-upstreams', 'reset', 'dns', 'prematurely-closed'])
/** The app still answers: routes without gateway errors carry this share of the requests, nearly all fine. */
const MIN_ANSWERED_SHARE = 0.3
const MAX_ANSWERED_FAIL_RATE = 0.02
/** The app's errors during the incident blame a dependency: this share of them are dependency failures. */
const MIN_BLAME_SHARE = 0.5

const classify = memo(matchDependency)

/** Routes without 502/504 hold a fair share of the traffic and answer it: the app server is up. */
function appAnswersOtherRoutes(ctx: Context): boolean {
  let all = 0
  let answered = 0
  let answeredFails = 0
  for (const r of ctx.input.requests.routes) {
    all += r.total
    if ((r.statuses[502] ?? 0) + (r.statuses[504] ?? 0) > 0) continue
    answered += r.total
    answeredFails += r.s5xx
  }
  return all > 0 && answered >= MIN_ANSWERED_SHARE * all && answeredFails <= MAX_ANSWERED_FAIL_RATE * answered
}

/** Most of the app's errors during the incident are dependency failures (timeouts, refused…) naming what they call. */
function appBlamesDependency(ctx: Context, episodes: Episode[]): boolean {
  let errors = 0
  let blamed = 0
  for (const e of ctx.scanned) {
    if (!inWindows(episodes, e.time)) continue
    errors++
    const m = classify(eventText(e))
    if (m !== null && m.target !== null) blamed++
  }
  return blamed >= MIN_COUNT && blamed >= MIN_BLAME_SHARE * errors
}

function upstream(ctx: Context, episodes: Episode[], t: StatusTotals): { finding: Finding | null; dependencyBehind: GatewaySupport | null } {
  const none = { finding: null, dependencyBehind: null }
  const gateway = t.s502 + t.s504
  if (gateway < MIN_COUNT || gateway < MIN_SHARE * t.fails) return none
  const explaining = ctx.input.proxyErrors.filter((e) => e.reason !== null && inWindows(episodes, e.time))
  // nginx reports 502 as the upstream status both when the app answered 502 and when it could
  // not be reached, so that field cannot clear the app; a silent app log can.
  const silent = t.appErrors < SILENT_SHARE * gateway
  if (explaining.length === 0 && !silent) return none
  // The app is up — answering its other routes, never refused — and logs its own failures
  // calling a dependency: the proxy timed out waiting on the app waiting on that dependency.
  const serverDown = explaining.some((e) => e.reason !== null && SERVER_DOWN.has(e.reason))
  if (!silent && !serverDown && appAnswersOtherRoutes(ctx) && appBlamesDependency(ctx, episodes))
    return { finding: null, dependencyBehind: { s502: t.s502, s504: t.s504, reasons: reasonCounts(explaining), first: explaining[0] ?? null } }

  const share = gateway / t.fails
  const reasons: Reason[] = [
    {
      text: `${percent(share)} of the 5xx are gateway errors (${plural(t.s502, '502')}, ${plural(t.s504, '504')}) written by the proxy, not by the app`,
      evidence: episodes.map((e) => ref.window(e.start, e.end))
    }
  ]
  if (explaining.length > 0) reasons.push(proxyReason(ctx, explaining))
  const hasAppLog = ctx.input.sources.some((src) => src.family === 'app')
  if (silent)
    reasons.push({
      text: hasAppLog
        ? `The app logged ${t.appErrors === 0 ? 'no errors' : `only ${plural(t.appErrors, 'error')}`} while they happened: the app server is down, restarting or too slow to answer`
        : 'No application log is among the sources, and by their status alone the proxy got no answer from the app: is it running, restarting or too slow? Add its log to confirm',
      evidence: episodes.map((e) => ref.window(e.start, e.end))
    })
  const confidence = 0.6 + 0.25 * share + (explaining.length > 0 ? 0.1 : 0)
  return { finding: finding('upstream', Math.min(confidence, 0.95), reasons), dependencyBehind: null }
}

function reasonCounts(events: ProxyErrorEvent[]): [UpstreamReason, number][] {
  const byReason = new Map<UpstreamReason, number>()
  for (const e of events) if (e.reason !== null) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1)
  return [...byReason].sort((a, b) => b[1] - a[1])
}

/** The proxy's reasons in words: "upstream timed out ×412, connection refused ×3". */
export const proxyReasonsText = (reasons: [UpstreamReason, number][]): string => reasons.map(([r, n]) => `${REASON_WORDS[r]} ×${count(n)}`).join(', ')

function proxyReason(ctx: Context, events: ProxyErrorEvent[]): Reason {
  const upstreams = new Map<string, number>()
  for (const e of events) {
    if (e.upstream !== null) {
      // `http://10.0.3.7:8080/api/x` → `http://10.0.3.7:8080`: the server, not the request.
      const server = /^[a-z]+:\/\/[^/]+/i.exec(e.upstream)?.[0] ?? e.upstream
      upstreams.set(server, (upstreams.get(server) ?? 0) + 1)
    }
  }
  const upstream = [...upstreams].sort((a, b) => b[1] - a[1])[0]?.[0]
  const first = events[0]
  const evidence: EvidenceRef[] = ref.line(ctx.sourceOf.proxy, first.line)
  if (first.time !== null) evidence.push(ref.window(first.time, events[events.length - 1].time ?? first.time))
  return {
    text: `The proxy error log explains them: ${proxyReasonsText(reasonCounts(events))}${upstream ? ` (upstream ${upstream})` : ''}, e.g. "${quote(first.message, 120)}"`,
    evidence
  }
}

function unavailable(ctx: Context, episodes: Episode[], t: StatusTotals): Finding | null {
  if (t.s503 < MIN_COUNT || t.s503 < MIN_SHARE * t.fails) return null
  const said =
    ctx.scanned.find((e) => inWindows(episodes, e.time) && ON_PURPOSE.test(eventText(e))) ??
    ctx.input.proxyErrors.find((e) => inWindows(episodes, e.time) && ON_PURPOSE.test(e.message)) ??
    null
  const quiet = t.appErrors < SILENT_SHARE * t.s503
  if (said === null && !quiet) return null
  const share = t.s503 / t.fails
  const reasons: Reason[] = [
    {
      text: `${percent(share)} of the 5xx are 503 Service Unavailable (${count(t.s503)})`,
      evidence: episodes.map((e) => ref.window(e.start, e.end))
    }
  ]
  if (said !== null) {
    const text = said.kind === 'app' ? headline(said) : said.message
    reasons.push({
      text: `The logs say it is on purpose${said.time !== null ? ` at ${ctx.clock(said.time)}` : ''}: "${quote(text.replace(/\n/g, ' '), 140)}"`,
      evidence: ref.line(said.kind === 'app' ? ctx.sourceOf.app : ctx.sourceOf.proxy, said.line)
    })
  }
  if (quiet)
    reasons.push({
      text: `The app logged ${t.appErrors === 0 ? 'no errors' : `only ${plural(t.appErrors, 'error')}`} while answering them: the 503s are answered by design (maintenance, draining or load shedding), not thrown`,
      evidence: episodes.map((e) => ref.window(e.start, e.end))
    })
  const confidence = 0.55 + 0.25 * share + (said !== null ? 0.12 : 0)
  return finding('unavailable', Math.min(confidence, 0.95), reasons)
}
