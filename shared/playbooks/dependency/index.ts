import { action, configIfNamed, deployCorrelation, monitor } from '../../runbook/steps'
import { dependencyErrors, dependencyHealth } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'
import { detectDependency } from './detect'

/** The failures overlap a failing health check, or the app's errors are mostly dependency failures. */
export const meta = {
  id: 'dependency',
  rank: 4,
  why: 'A failing database, cache or API explains the 5xx better than the code that calls it; a deploy that lines up wins, since rolling back is quicker.',
  title: 'A dependency is failing',
  firstAction: 'Check the dependency directly; degrade gracefully with timeouts and circuit breakers.'
} satisfies PlaybookMeta<'dependency'>

export const dependency = {
  ...meta,
  detect: ({ ctx }) => {
    const found = detectDependency(ctx)
    return found === null ? null : { finding: found.finding, fields: { dependency: found.field } }
  },
  steps: (ctx) => [
    dependencyHealth(ctx),
    dependencyErrors(ctx),
    action('check-directly', 'Check the dependency directly', 'Connect to it from the app host (psql, redis-cli, curl its health URL); read its own logs, disk, connections and limits.'),
    action('degrade', 'Degrade gracefully', 'Add timeouts, retries with backoff and a circuit breaker; serve a fallback instead of a 500.'),
    deployCorrelation(ctx, 'Rule out the last deploy'),
    ...configIfNamed(ctx),
    monitor(ctx)
  ]
} satisfies PlaybookModule<'dependency'>
