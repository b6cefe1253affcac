/**
 * 5xx that are not the app's own: 502/504 written by a proxy whose upstream refused, timed out
 * or closed (`upstream`), and 503 answered on purpose — maintenance, load shedding, rate
 * limiting, `Retry-After` (`unavailable`).
 */
import type { EvidenceRef, Finding, Reason } from '../../contract/analysis'
import type { ProxyErrorEvent, UpstreamReason } from '../../model/evidence'
import { type Context, finding, inWindows, ref } from './context'
import { eventText, headline } from './event-text'
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

export interface ProxyFindings {
  upstream: Finding | null
  unavailable: Finding | null
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
  if (s === null || inc === null || !inc.present || s.mode !== 'requests') return { upstream: null, unavailable: null }
  const t = totalsIn(ctx, inc.episodes)
  if (t.fails === 0) return { upstream: null, unavailable: null }
  return { upstream: upstream(ctx, inc.episodes, t), unavailable: unavailable(ctx, inc.episodes, t) }
}

function upstream(ctx: Context, episodes: Episode[], t: StatusTotals): Finding | null {
  const gateway = t.s502 + t.s504
  if (gateway < MIN_COUNT || gateway < MIN_SHARE * t.fails) return null
  const explaining = ctx.input.proxyErrors.filter((e) => e.reason !== null && inWindows(episodes, e.time))
  // nginx reports 502 as the upstream status both when the app answered 502 and when it could
  // not be reached, so that field cannot clear the app; a silent app log can.
  const silent = t.appErrors < SILENT_SHARE * gateway
  if (explaining.length === 0 && !silent) return null

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
  return finding('upstream', Math.min(confidence, 0.95), reasons)
}

function proxyReason(ctx: Context, events: ProxyErrorEvent[]): Reason {
  const byReason = new Map<UpstreamReason, number>()
  const upstreams = new Map<string, number>()
  for (const e of events) {
    if (e.reason !== null) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1)
    if (e.upstream !== null) {
      // `http://10.0.3.7:8080/api/x` → `http://10.0.3.7:8080`: the server, not the request.
      const server = /^[a-z]+:\/\/[^/]+/i.exec(e.upstream)?.[0] ?? e.upstream
      upstreams.set(server, (upstreams.get(server) ?? 0) + 1)
    }
  }
  const reasons = [...byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${REASON_WORDS[r]} ×${count(n)}`)
  const upstream = [...upstreams].sort((a, b) => b[1] - a[1])[0]?.[0]
  const first = events[0]
  const evidence: EvidenceRef[] = ref.line(ctx.sourceOf.proxy, first.line)
  if (first.time !== null) evidence.push(ref.window(first.time, events[events.length - 1].time ?? first.time))
  return {
    text: `The proxy error log explains them: ${reasons.join(', ')}${upstream ? ` (upstream ${upstream})` : ''}, e.g. "${quote(first.message, 120)}"`,
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
