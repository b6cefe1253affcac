/**
 * Pool exhaustion that is the app's capacity, not its dependency's failure: the app's own
 * connection pool times out ("Connection is not available, request timed out after 30000ms",
 * QueuePool limit, too many clients…) while the dependency's health check stays green with
 * flat latency, and the failures follow request volume. The database is fine; the pool (or
 * the threads waiting on it) runs out under load.
 *
 * A structured fact, so whichever playbook owns capacity (the traffic pattern of the burst
 * playbook today, `resource`/threads later) can cite it, and the dependency check can step aside.
 */
import { healthName, type AppEvent, type HealthSample } from '../../model/evidence'
import { type Context, inWindows } from './context'
import { eventText, memo } from './event-text'
import { matchDependency } from './signatures'
import { loadTracking } from './traffic'

export interface PoolSaturation {
  kind: 'connection-pool'
  /** What the pool errors name (`database`, `postgres`), if anything. */
  target: string | null
  /** Pool errors during the incident (scaled from the scanned sample to all errors). */
  count: number
  /** Their share of the dependency failures in the incident. */
  share: number
  first: AppEvent
  /** The failures follow request volume (the same test as the traffic pattern). */
  tracksLoad: boolean
  /** A health check of the pooled dependency reported during the incident, and it was up every time. */
  dependencyHealthy: boolean
  /** That check, as `target/component` (`orders/db`); null when no check covers the incident. */
  healthTarget: string | null
  /** Median check latency during the incident and outside it (ms); null when not measured. */
  latency: { during: number; outside: number } | null
}

/** Pool errors must be most of the dependency failures to speak for them. */
const MIN_POOL_SHARE = 0.6
const MIN_POOL_ERRORS = 3
/** Check latency "flat": during the incident no more than this factor (and margin) above outside it. */
const FLAT_FACTOR = 2
const FLAT_MARGIN_MS = 50

/** Names of checks that stand for a pooled store. */
const STORE_CHECK = /\b(?:db|database|datasource|postgres(?:ql)?|pg|mysql|mariadb|mssql|sqlserver|oracle|mongo(?:db)?|redis|sql|hikari|jdbc|rds|aurora)\b/i

const classify = memo(matchDependency)
const byContext = new WeakMap<Context, PoolSaturation | null>()

/** The pool-saturation fact of this picture (computed once). */
export function poolSaturation(ctx: Context): PoolSaturation | null {
  if (!byContext.has(ctx)) byContext.set(ctx, compute(ctx))
  return byContext.get(ctx) ?? null
}

/** Pool exhaustion that tracks load while its dependency is healthy: capacity, not a dependency failure. */
export const isCapacity = (p: PoolSaturation | null): p is PoolSaturation => p !== null && p.tracksLoad && p.dependencyHealthy

function compute(ctx: Context): PoolSaturation | null {
  const inc = ctx.incident
  if (ctx.series === null || inc === null || !inc.present) return null
  const windows = inc.episodes
  const appOnly = ctx.series.mode === 'app-errors'
  let pool = 0
  let dependency = 0
  let first: AppEvent | null = null
  const targets = new Map<string, number>()
  for (const e of ctx.scanned) {
    if (!appOnly && !inWindows(windows, e.time)) continue
    const m = classify(eventText(e))
    if (m === null) continue
    dependency++
    if (m.kind !== 'pool') continue
    pool++
    first ??= e
    if (m.target !== null) targets.set(m.target, (targets.get(m.target) ?? 0) + 1)
  }
  if (first === null || pool < MIN_POOL_ERRORS || pool < MIN_POOL_SHARE * dependency) return null
  const target = [...targets].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
  const check = storeCheck(ctx, target)
  const scale = ctx.errors.length / Math.max(ctx.scanned.length, 1)
  return {
    kind: 'connection-pool',
    target,
    count: Math.round(pool * scale),
    share: pool / dependency,
    first,
    tracksLoad: loadTracking(ctx.series) !== null,
    dependencyHealthy: check !== null && check.healthy,
    healthTarget: check?.name ?? null,
    latency: check?.latency ?? null
  }
}

interface StoreCheck {
  name: string
  healthy: boolean
  latency: { during: number; outside: number } | null
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]
}

/** The health check that stands for the pooled store during the incident: a component (`db`) or a target named for it. */
function storeCheck(ctx: Context, target: string | null): StoreCheck | null {
  const windows = ctx.incident?.episodes ?? []
  const names = (h: HealthSample): { name: string; ok: boolean }[] => {
    const parts = h.components.filter((c) => STORE_CHECK.test(c.name) || (target !== null && c.name === target)).map((c) => ({ name: healthName(h.target, c.name), ok: c.ok }))
    if (parts.length > 0) return parts
    return STORE_CHECK.test(h.target) || (target !== null && h.target.includes(target)) ? [{ name: h.target, ok: h.ok }] : []
  }
  const during = new Map<string, { ok: boolean; latency: number[] }>()
  const outside = new Map<string, number[]>()
  for (const h of ctx.input.health) {
    const inside = inWindows(windows, h.at, 0)
    for (const n of names(h)) {
      if (!inside) {
        if (h.latencyMs !== null) outside.set(n.name, [...(outside.get(n.name) ?? []), h.latencyMs])
        continue
      }
      const seen = during.get(n.name) ?? { ok: true, latency: [] }
      seen.ok &&= n.ok
      if (h.latencyMs !== null) seen.latency.push(h.latencyMs)
      during.set(n.name, seen)
    }
  }
  const first = [...during][0]
  if (first === undefined) return null
  // Any check of the store down during the incident speaks against "healthy".
  const healthy = [...during.values()].every((d) => d.ok)
  const [name, seen] = first
  const out = outside.get(name) ?? []
  const latency = seen.latency.length > 0 && out.length > 0 ? { during: median(seen.latency), outside: median(out) } : null
  const flat = latency === null || latency.during <= Math.max(FLAT_FACTOR * latency.outside, latency.outside + FLAT_MARGIN_MS)
  return { name, healthy: healthy && flat, latency }
}
