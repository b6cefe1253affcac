import { percent } from '../../format'
import { deployCorrelation, monitor, stackTrace } from '../../runbook/steps'
import { compareHealthy, outOfRotation } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'
import { detectInstance } from './detect'

/** The 5xx sit on one instance (pod, host, upstream address, load-balancer target) while the others are fine. */
export const meta = {
  id: 'instance',
  // After rollback (3), before resource and dependency: one bad instance is contained by taking it out, whatever broke it.
  rank: 3.6,
  why: 'One instance failing while the others answer is fixed fastest by taking it out of rotation, whatever broke it (a limit, a bad host, a stale version); a deploy that lines up still wins, and the proxy that cannot reach it is only the messenger.',
  title: 'One instance is failing',
  firstAction: 'Take it out of rotation, then compare it with a healthy one.',
  explains: ['upstream']
} satisfies PlaybookMeta<'instance'>

export const instance = {
  ...meta,
  detect: ({ ctx }) => {
    const found = detectInstance(ctx)
    return found === null ? null : { finding: found.finding, fields: { instance: found.field } }
  },
  steps: (ctx) => [outOfRotation(ctx), compareHealthy(ctx), deployCorrelation(ctx, 'Rule out the last deploy'), stackTrace(ctx), monitor(ctx)],
  impact: (a) => {
    const i = a.v1.instance
    return i ? [['Failing instance', `${i.name}: ${percent(i.errorRate)} of its traffic failed, ${percent(i.shareOfErrors)} of the 5xx that name an instance`]] : []
  }
} satisfies PlaybookModule<'instance'>
