import { proxyFindings } from '../../analysis/verdict/proxy'
import { action, deployCorrelation, monitor, statusSplit } from '../../runbook/steps'
import type { PlaybookMeta, PlaybookModule } from '../types'

/** Mostly 503: the service (or what fronts it) refuses on purpose. */
export const meta = {
  id: 'unavailable',
  rank: 2,
  why: 'A deliberate 503 (maintenance, draining, load shedding) is a state to confirm before hunting a fault in the code, the deploy or a dependency.',
  title: 'The service answers 503 on purpose',
  firstAction: 'Is the server draining or rate-limiting by design?'
} satisfies PlaybookMeta<'unavailable'>

export const unavailable = {
  ...meta,
  detect: ({ ctx }) => {
    const found = proxyFindings(ctx).unavailable
    return found === null ? null : { finding: found }
  },
  steps: (ctx) => [
    statusSplit(ctx, [503], 'Confirm the 503s'),
    action('by-design', 'Is it draining or shedding load by design?', 'Maintenance mode, a deploy draining connections, a rate limiter or load shedder: check for Retry-After and the load balancer’s state.'),
    deployCorrelation(ctx, 'Is a deploy or maintenance in progress?'),
    monitor(ctx)
  ]
} satisfies PlaybookModule<'unavailable'>
