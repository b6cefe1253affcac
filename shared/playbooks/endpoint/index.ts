import { detectEndpoint } from '../../analysis/verdict/endpoint'
import { action, configIfNamed, monitor, replayStep, stackTrace } from '../../runbook/steps'
import { duplicateSideEffects, endpointIsolate, purgeCdnCache } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'

/** One route holds the 5xx while the rest of the service is fine. */
export const meta = {
  id: 'endpoint',
  rank: 6,
  why: 'One failing route says where, not why: a deploy, a dependency or a setting that explains it ranks first.',
  title: 'One endpoint is failing',
  firstAction: 'Add logging on that endpoint, reproduce the exact request in isolation, fix and test lower.'
} satisfies PlaybookMeta<'endpoint'>

export const endpoint = {
  ...meta,
  detect: ({ ctx, routes }) => {
    const found = detectEndpoint(ctx, routes)
    return found === null ? null : { finding: found.finding, fields: { endpoint: found.field } }
  },
  steps: (ctx) => {
    const ep = ctx.a?.v1.endpoint ?? undefined
    return [
      ...purgeCdnCache(ctx),
      endpointIsolate(ctx),
      stackTrace(ctx, ep ? { method: ep.method, route: ep.route } : undefined),
      replayStep(ctx),
      ...duplicateSideEffects(ctx),
      action('endpoint-logging', 'Add logging on that endpoint', 'Log the inputs, ids and downstream calls of this handler, with the request id.'),
      action('fix-lower', 'Fix it and test lower first', 'Turn the replayed request into a failing test, fix it, verify in staging before production.'),
      ...configIfNamed(ctx),
      monitor(ctx)
    ]
  }
} satisfies PlaybookModule<'endpoint'>
