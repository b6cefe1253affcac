/**
 * Routes from a store's (method, path, status) counts. Each key is read by the format's parser
 * as one request of the same shape would be, so a store's route names and the "(other routes)"
 * overflow are the ones a file of the same rows gets.
 */
import { MAX_ROUTES, type RouteStats } from '../../../shared/analysis/aggregate'
import type { RequestEvent } from '../../../shared/model/evidence'

export const OTHER_ROUTE = '(other routes)'

export interface RouteKeyCount {
  m: string
  p: string
  s: number
  n: number
}

function addRoute(byKey: Map<string, RouteStats>, method: string, route: string, status: number, n: number): void {
  const key = `${method} ${route}`
  let r = byKey.get(key)
  if (r === undefined) {
    if (byKey.size >= MAX_ROUTES) return addRoute(byKey, '-', OTHER_ROUTE, status, n)
    r = { method, route, total: 0, s5xx: 0, statuses: {} }
    byKey.set(key, r)
  }
  r.total += n
  if (status > 0) r.statuses[status] = (r.statuses[status] ?? 0) + n
  if (status >= 500 && status < 600) r.s5xx += n
}

/** `requests` beyond what the keys count (keys past the store's limit, unreadable ones) become "(other routes)". */
export function routeStats(rows: readonly RouteKeyCount[], requests: number, toEvent: (row: RouteKeyCount) => RequestEvent | null): RouteStats[] {
  const byKey = new Map<string, RouteStats>()
  let counted = 0
  for (const row of rows) {
    const event = toEvent(row)
    if (event === null) continue
    counted += row.n
    addRoute(byKey, event.method, event.route, event.status, row.n)
  }
  if (requests > counted) addRoute(byKey, '-', OTHER_ROUTE, 0, requests - counted)
  return [...byKey.values()]
}
