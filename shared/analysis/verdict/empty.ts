import type { RequestAggregateData } from '../aggregate'
import { emptyImpactData } from '../impact'

/** An aggregate of no requests, for an analysis of no files. */
export const emptyRequestData = (): RequestAggregateData => ({
  requests: 0,
  statusCounts: {},
  seconds: [],
  routes: [],
  failing: [],
  failingSeen: 0,
  undatedRequests: 0,
  instances: [],
  impact: emptyImpactData()
})
