import { proxyFindings } from '../../analysis/verdict/proxy'
import { deployCorrelation, monitor, statusSplit } from '../../runbook/steps'
import { appRunning, proxyErrors, upstreamLatency } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'

/** The proxy wrote the 5xx (502/504): the app behind it is down or too slow. */
export const meta = {
  id: 'upstream',
  rank: 1,
  why: 'When the proxy answers 502/504 because the app server is down, refusing, slow on every route or silent, the app never saw the request and its own logs cannot explain it; a proxy timeout while the app answers its other routes and logs failures calling a dependency is that dependency’s, not this.',
  title: 'The app server behind the proxy is down or slow',
  firstAction: 'Is the app server running? Check the proxy error log and the upstream response time.'
} satisfies PlaybookMeta<'upstream'>

export const upstream = {
  ...meta,
  detect: ({ ctx }) => {
    const found = proxyFindings(ctx).upstream
    return found === null ? null : { finding: found }
  },
  steps: (ctx) => [
    statusSplit(ctx, [502, 504], 'Confirm the proxy wrote the 5xx'),
    proxyErrors(ctx),
    appRunning(ctx),
    upstreamLatency(ctx),
    deployCorrelation(ctx, 'Rule out the last deploy'),
    monitor(ctx)
  ]
} satisfies PlaybookModule<'upstream'>
