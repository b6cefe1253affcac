import { count } from '../../format'
import { finding } from '../../analysis/verdict/context'
import { monitor } from '../../runbook/steps'
import { readableSources, readSources } from './steps'
import type { Detection, PlaybookMeta, PlaybookModule } from '../types'

/** Nothing else holds and some given evidence is mostly unread: no verdict yet, not an all-clear. */
export const meta = {
  id: 'unreadable',
  rank: 0,
  why: 'Every other verdict, and above all an all-clear, is a guess while a given log is mostly unread: reading it comes first.',
  title: "Can't judge yet: the logs are unreadable",
  firstAction: 'Make the evidence readable: pick the format or correct the field map of the unread source.',
  fallback: true
} satisfies PlaybookMeta<'unreadable'>

export const unreadable = {
  ...meta,
  detect: ({ ctx, found, unread }: Detection) => {
    if (found.size > 0 || unread.length === 0) return null
    const reasons = unread.map((u) => ({
      text: `Can't judge yet: ${u.why}${u.source.unreadShapes.length > 0 ? `; commonest shapes among the first unread lines: ${u.source.unreadShapes.map((s) => `"${s.shape}" ×${count(s.count)}`).join(', ')}` : ''}`,
      evidence: []
    }))
    const readable = ctx.input.sources.length - unread.length
    if (readable > 0) reasons.push({ text: `The ${readable === 1 ? 'source that reads shows' : `${count(readable)} sources that read show`} no sustained 5xx, but that is no all-clear while the rest is unread`, evidence: [] })
    return { finding: finding('unreadable', 0.9, reasons) }
  },
  steps: (ctx) => [readSources(ctx), readableSources(ctx), monitor(ctx, 'Judge again once the logs read')]
} satisfies PlaybookModule<'unreadable'>
