/**
 * A hard limit ran out: memory, file descriptors, threads/workers, disk. The line against
 * the traffic pattern of bursts: the limit holds as the cause when it accumulates (a fatal limit that
 * repeats — a crash loop —, a filling disk) or sits on one instance of several; when it only
 * shows at the traffic peaks, on every instance, and the 5xx clear as the load falls, it is
 * saturation that follows load, and left to the traffic pattern.
 */
import type { AnalysisV1, EvidenceRef, Finding, Reason, ResourceKind } from '../../contract/analysis'
import type { AppEvent, ProxyErrorEvent } from '../../model/evidence'
import { OTHER_GROUP_ID } from '../../analysis/groups'
import { OTHER_INSTANCES } from '../../analysis/instances'
import { CRASH_LOOP, resourceSignal, type ResourceSignal } from '../../analysis/resource-signals'
import { type Context, finding, ref } from '../../analysis/verdict/context'
import { eventText, memo } from '../../analysis/verdict/event-text'
import type { Episode } from '../../analysis/verdict/incident'
import { countsIn } from '../../analysis/verdict/series'
import { quote } from '../../analysis/verdict/text'
import { count, duration, percent, plural } from '../../format'

export type ResourceField = NonNullable<AnalysisV1['resource']>

/** An OOM kill precedes the 502s it causes: the signs count from this long before an episode. */
const LEAD_MS = 5 * 60_000
const TAIL_MS = 60_000
/** A limit that did not kill the process must say so a few times. */
const MIN_NON_FATAL = 3
/** Share of the named signs one instance must hold to be where the limit ran out. */
const ONE_INSTANCE_SHARE = 0.8
/** Two fatal signs this far apart are two deaths, not one told twice (the JVM and the kernel). */
const REPEAT_GAP_MS = 30_000
/** "At a peak": the minute's request volume against the median minute. */
const PEAK_RATIO = 1.3
const MAX_GROUP_IDS = 20

interface Hit {
  signal: ResourceSignal
  time: number
  instance: string | null
  line: number
  proxy: boolean
  text: string
}

const classify = memo(resourceSignal)

function near(episodes: Episode[], t: number): boolean {
  return episodes.some((e) => t >= e.start - LEAD_MS && t <= e.end + TAIL_MS)
}

function hitsOf(ctx: Context, episodes: Episode[]): Hit[] {
  const hits: Hit[] = []
  const see = (e: AppEvent | ProxyErrorEvent, text: string, instance: string | null, proxy: boolean): void => {
    if (e.time === null || !near(episodes, e.time)) return
    const signal = classify(text)
    if (signal !== null) hits.push({ signal, time: e.time, instance, line: e.line, proxy, text })
  }
  for (const e of ctx.scanned) see(e, eventText(e), e.instance, false)
  for (const p of ctx.input.proxyErrors) see(p, p.message, null, true)
  return hits.sort((x, y) => x.time - y.time)
}

function topOf<K>(items: K[]): { key: K; n: number } | null {
  const counts = new Map<K, number>()
  for (const k of items) counts.set(k, (counts.get(k) ?? 0) + 1)
  let best: { key: K; n: number } | null = null
  for (const [key, n] of counts) if (best === null || n > best.n) best = { key, n }
  return best
}

/**
 * Instances whose own logs were read: the names the signs carry (pods, containers, hosts), not
 * the proxy's upstream addresses, which name the same instances another way.
 */
function knownInstances(ctx: Context): number {
  return ctx.input.requests.instances.filter((s) => s.name !== OTHER_INSTANCES && s.appEvents > 0).length
}

/** Fatal signs at distinct times: each one a death and a restart. */
function deaths(hits: Hit[]): number {
  let n = 0
  let last = -Infinity
  for (const h of hits) {
    if (!h.signal.fatal || h.time - last < REPEAT_GAP_MS) continue
    n++
    last = h.time
  }
  return n
}

/**
 * The signs all sit at traffic peaks and the 5xx cleared before the end of the logs: saturation
 * that follows load. Without request volume it cannot be told, and is not assumed.
 */
function followsLoad(ctx: Context, hits: Hit[]): boolean {
  const s = ctx.series
  const inc = ctx.incident
  if (s === null || inc === null || s.mode === 'app-errors' || inc.episodes.length === 0) return false
  const last = inc.episodes[inc.episodes.length - 1]
  if (last.end >= s.to - 2 * 60_000) return false
  const perMinute: number[] = []
  for (let t = s.from; t < s.to; t += 60_000) perMinute.push(countsIn(s, t, t + 60_000).trials)
  const sorted = [...perMinute].sort((a, b) => a - b)
  const median = sorted[sorted.length >> 1]
  if (median <= 0) return false
  const atPeak = hits.filter((h) => {
    const i = Math.floor((h.time - s.from) / 60_000)
    return (perMinute[i] ?? 0) >= PEAK_RATIO * median
  }).length
  return atPeak >= 0.8 * hits.length
}

const KIND_WORDS: Record<ResourceKind, string> = { memory: 'memory', 'file-descriptors': 'file descriptors', threads: 'threads/workers', disk: 'disk' }

function groupIds(ctx: Context, kind: ResourceKind): string[] {
  return ctx.groups
    .filter((g) => g.id !== OTHER_GROUP_ID && (classify(`${g.type ?? ''}: ${g.message}`)?.kind === kind || classify(g.sample)?.kind === kind))
    .sort((x, y) => y.count - x.count)
    .slice(0, MAX_GROUP_IDS)
    .map((g) => g.id)
}

export function detectResource(ctx: Context): { finding: Finding; field: ResourceField } | null {
  const inc = ctx.incident
  if (inc?.present !== true) return null
  const all = hitsOf(ctx, inc.episodes)
  const top = topOf(all.map((h) => h.signal.kind))
  if (top === null) return null
  const kind = top.key
  const hits = all.filter((h) => h.signal.kind === kind)
  const fatal = hits.some((h) => h.signal.fatal)
  if (!fatal && hits.length < MIN_NON_FATAL) return null

  const named = hits.filter((h) => h.instance !== null)
  const where = topOf(named.map((h) => h.instance))
  const instance = where !== null && where.n >= ONE_INSTANCE_SHARE * named.length && named.length >= 0.5 * hits.length ? where.key : null
  const others = knownInstances(ctx) - 1
  const confined = instance !== null && others >= 1
  const died = deaths(hits)
  const supervisorLoop = ctx.scanned.some((e) => e.time !== null && near(inc.episodes, e.time) && CRASH_LOOP.test(eventText(e)))
  const crashLoop = died >= 2 || supervisorLoop
  const accumulates = kind === 'disk' || crashLoop
  if (!accumulates && !confined && followsLoad(ctx, hits)) return null

  // Counted on an even sample of the errors: scaled back to all of them.
  const scale = ctx.errors.length / Math.max(ctx.scanned.length, 1)
  const n = Math.round(hits.filter((h) => !h.proxy).length * scale) + hits.filter((h) => h.proxy).length
  const what = topOf(hits.map((h) => h.signal.what))?.key ?? hits[0].signal.what
  const first = hits[0]
  const lastHit = hits[hits.length - 1]
  const source = (h: Hit): string | null => (h.proxy ? ctx.sourceOf.proxy : ctx.sourceOf.app)
  const evidence: EvidenceRef[] = [...ref.line(source(first), first.line), ref.window(first.time, lastHit.time)]
  const reasons: Reason[] = [
    {
      text: `${KIND_WORDS[kind]} ran out: ${plural(n, 'line says', 'lines say')} so (${what}) from ${ctx.clock(first.time)}${lastHit.time > first.time ? ` to ${ctx.clock(lastHit.time)}` : ''}${instance !== null ? ` on ${instance}` : ''}, e.g. "${quote(first.text, 140)}"`,
      evidence
    }
  ]
  if (crashLoop) {
    reasons.push({
      text: died >= 2
        ? `It repeats: ${count(died)} deaths over ${duration(lastHit.time - first.time)}, each followed by a restart that runs out again (a crash loop)`
        : 'The supervisor reports a restart back-off (a crash loop)',
      evidence: []
    })
  } else if (kind === 'disk') reasons.push({ text: 'A full disk stays full until something is freed: it does not clear as load falls', evidence: [] })
  if (confined && where !== null) reasons.push({ text: `Only on ${instance} (${percent(where.n / named.length)} of the lines that name an instance); ${plural(others, 'other instance')} ran without it`, evidence: [] })
  const confidence = 0.6 + (fatal ? 0.1 : 0) + (crashLoop || kind === 'disk' ? 0.1 : 0) + (confined ? 0.1 : 0)
  return {
    finding: finding('resource', Math.min(confidence, 0.92), reasons),
    field: { kind, instance, what, count: n, crashLoop, groupIds: groupIds(ctx, kind) }
  }
}
