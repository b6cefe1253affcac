import { count } from '../../format'
import { deployCorrelation, monitor } from '../../runbook/steps'
import { findLimit, restoreCapacity } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'
import { detectResource } from './detect'

/** A hard limit ran out (memory, file descriptors, threads/workers, disk), and it accumulates or sits on one instance. */
export const meta = {
  id: 'resource',
  // After instance (3.6), before dependency (4).
  rank: 3.8,
  why: 'A limit that ran out names why the app failed, ahead of the dependency calls and routes that failed with it; when it explains the proxy’s 502s it comes before them, while a deploy that lines up (it may have shipped the leak) or one bad instance to take out still come first.',
  title: 'A resource ran out',
  firstAction: 'Restore capacity (restart, scale, free disk), then find the leak or the limit.',
  explains: ['upstream']
} satisfies PlaybookMeta<'resource'>

export const resource = {
  ...meta,
  detect: ({ ctx }) => {
    const found = detectResource(ctx)
    return found === null ? null : { finding: found.finding, fields: { resource: found.field } }
  },
  steps: (ctx) => [restoreCapacity(ctx), findLimit(ctx), deployCorrelation(ctx, 'Did the last deploy bring the leak?'), monitor(ctx)],
  runbookTitle: (a) => {
    const r = a.v1.resource
    if (!r) return null
    return r.kind === 'memory' ? 'Out of memory' : r.kind === 'file-descriptors' ? 'Out of file descriptors' : r.kind === 'disk' ? 'Out of disk space' : 'Out of threads / workers'
  },
  impact: (a) => {
    const r = a.v1.resource
    return r ? [['Resource exhausted', `${r.what}${r.instance ? ` on ${r.instance}` : ''} (${count(r.count)}×${r.crashLoop ? ', crash loop' : ''})`]] : []
  }
} satisfies PlaybookModule<'resource'>
