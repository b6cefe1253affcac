/** Endpoint concentration: one route holds most of the failures while the rest of the service is fine. */
import type { AnalysisV1, Finding, Reason } from '../../contract/analysis'
import { normalizeRoute } from '../route'
import { type Context, finding, ref } from './context'
import { count, percent } from '../../format'
import { quote, round } from './text'

export type EndpointField = NonNullable<AnalysisV1['endpoint']>

export interface RouteFailures {
  method: string
  route: string
  trials: number
  fails: number
}

const MIN_SHARE = 0.6
const MIN_ROUTE_FAILS = 5
const MIN_ROUTE_RATE = 0.05
const MAX_REST_RATE = 0.02

const ignoredRoute = (route: string): boolean => route === '-' || route === '(other routes)'

/** Failures and requests per route, most failures first; from the access log, or from errors that name their request. */
export function routeFailures(ctx: Context): RouteFailures[] {
  const s = ctx.series
  if (s === null || s.mode === 'app-errors') return []
  const byKey = new Map<string, RouteFailures>()
  for (const r of ctx.input.requests.routes) {
    if (ignoredRoute(r.route)) continue
    byKey.set(`${r.method} ${r.route}`, { method: r.method, route: r.route, trials: r.total, fails: s.mode === 'requests' ? r.s5xx : 0 })
  }
  if (s.mode === 'failed-requests')
    for (const e of ctx.errors) {
      if (e.path === null) continue
      const method = e.method ?? 'GET'
      const route = normalizeRoute(e.path)
      const key = `${method} ${route}`
      const known = byKey.get(key)
      if (known) {
        known.fails++
        known.trials++
      } else byKey.set(key, { method, route, trials: 1, fails: 1 })
    }
  return [...byKey.values()].sort((a, b) => b.fails - a.fails || b.trials - a.trials || (a.route < b.route ? -1 : a.route > b.route ? 1 : a.method < b.method ? -1 : 1))
}

export function detectEndpoint(ctx: Context, routes: RouteFailures[]): { finding: Finding; field: EndpointField } | null {
  const s = ctx.series
  if (s === null || !ctx.incident?.present || routes.length === 0) return null
  const top = routes[0]
  let trials = 0
  let fails = 0
  for (const r of routes) {
    trials += r.trials
    fails += r.fails
  }
  if (fails === 0) return null
  const share = top.fails / fails
  const routeRate = top.trials > 0 ? top.fails / top.trials : 0
  const restTrials = trials - top.trials
  const restRate = restTrials > 0 ? (fails - top.fails) / restTrials : 0
  const restEnough = restTrials >= Math.max(30, 0.05 * trials)
  if (top.fails < MIN_ROUTE_FAILS || share < MIN_SHARE || routeRate < MIN_ROUTE_RATE || !restEnough || restRate > MAX_REST_RATE || routeRate < 5 * restRate) return null

  const reasons: Reason[] = [
    {
      text: `${top.method} ${top.route} holds ${percent(share)} of the ${s.failureLabel} (${count(top.fails)} of ${count(fails)}); it fails ${percent(routeRate)} of its ${count(top.trials)} requests while the other routes fail ${percent(restRate)} of ${count(restTrials)}`,
      evidence: [ref.route(top.method, top.route)]
    }
  ]
  const endpoint = `${top.method} ${top.route}`
  const there = ctx.groups.find((g) => g.endpoints.includes(endpoint))
  if (there)
    reasons.push({
      text: `Most frequent error on ${endpoint}: ${there.type ?? 'error'}: ${quote(there.message, 100)} (${count(there.count)}×)`,
      evidence: [ref.group(there), ref.route(top.method, top.route)]
    })
  const confidence = 0.5 + 0.3 * share + (restRate < 0.005 ? 0.1 : 0)
  return {
    finding: finding('endpoint', Math.min(confidence, 0.92), reasons),
    field: { method: top.method, route: top.route, errorRate: round(routeRate), shareOfErrors: round(share) }
  }
}
