import type { AnalysisV1 } from '../../contract/analysis'
import { isoOrNull } from '../../format'
import type { RequestAggregateData } from '../aggregate'
import { summarize } from '../impact'

/** v1's `impact`: null when no request was read (nothing says who was hurt, nor that no one was). */
export function impactJson(requests: RequestAggregateData): AnalysisV1['impact'] {
  if (requests.requests === 0) return null
  const s = summarize(requests.impact)
  return {
    clients: s.clients,
    clientsEstimated: s.clientsEstimated,
    unidentified5xx: s.unidentified5xx,
    crawlers: s.crawlers.map((c) => ({ agent: c.agent, requests5xx: c.requests5xx, urls: c.urls, verification: c.verification, from: isoOrNull(c.from), to: isoOrNull(c.to) })),
    retriedNonIdempotent: s.retriedNonIdempotent,
    cached5xx: s.cached5xx,
    cacheLogged: s.cacheLogged,
    agentsLogged: s.agentsLogged
  }
}
