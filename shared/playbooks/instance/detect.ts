/**
 * One bad instance: the 5xx sit on one upstream address, pod, host or load-balancer target
 * while the others answer fine. Read from the per-instance counts of the request aggregate
 * (requests and 5xx where the access log names the instance that answered), else from the app
 * events where a wrapper names the pod or container that wrote them.
 */
import type { AnalysisV1, Finding, Reason } from '../../contract/analysis'
import { OTHER_INSTANCES, type InstanceStats } from '../../analysis/instances'
import { type Context, finding, ref } from '../../analysis/verdict/context'
import { count, percent, plural } from '../../format'
import { round } from '../../analysis/verdict/text'

export type InstanceField = NonNullable<AnalysisV1['instance']>

/** An instance needs this much traffic (or this many events) before its rate means anything. */
const MIN_VOLUME = 20
const MIN_FAILURES = 10
/** Its share of the failures, and how far its rate must stand above the others'. */
const MIN_SHARE = 0.6
const MIN_RATE = 0.05
const RATE_RATIO = 4
/** The named instances must carry at least this share of all 5xx for the split to speak for them. */
const MIN_NAMED_SHARE = 0.5

interface Measure {
  name: string
  trials: number
  fails: number
}

interface Split {
  bad: Measure
  others: Measure[]
  share: number
  rate: number
  restRate: number
  restTrials: number
  /** All failures of the instances measured. */
  total: number
}

function split(list: Measure[]): Split | null {
  const live = list.filter((m) => m.trials >= MIN_VOLUME && m.name !== OTHER_INSTANCES)
  if (live.length < 2) return null
  const fails = live.reduce((n, m) => n + m.fails, 0)
  const bad = live.reduce((a, b) => (b.fails > a.fails ? b : a))
  if (bad.fails < MIN_FAILURES || fails === 0) return null
  const others = live.filter((m) => m !== bad)
  const restTrials = others.reduce((n, m) => n + m.trials, 0)
  const restRate = others.reduce((n, m) => n + m.fails, 0) / restTrials
  const rate = bad.fails / bad.trials
  const share = bad.fails / fails
  if (share < MIN_SHARE || rate < MIN_RATE || rate < RATE_RATIO * restRate || rate - restRate < MIN_RATE) return null
  return { bad, others, share, rate, restRate, restTrials, total: fails }
}

const byRequests = (list: readonly InstanceStats[]): Measure[] => list.filter((s) => s.requests > 0).map((s) => ({ name: s.name, trials: s.requests, fails: s.s5xx }))
const byAppEvents = (list: readonly InstanceStats[]): Measure[] => list.filter((s) => s.appEvents > 0).map((s) => ({ name: s.name, trials: s.appEvents, fails: s.appErrors }))

function all5xx(statusCounts: Record<number, number>): number {
  let n = 0
  for (const [s, c] of Object.entries(statusCounts)) if (Number(s) >= 500 && Number(s) < 600) n += c
  return n
}

export function detectInstance(ctx: Context): { finding: Finding; field: InstanceField } | null {
  if (ctx.incident?.present !== true) return null
  const stats = ctx.input.requests.instances
  const reqs = byRequests(stats)
  const named5xx = reqs.reduce((n, m) => n + m.fails, 0)
  const fromRequests = named5xx >= MIN_NAMED_SHARE * all5xx(ctx.input.requests.statusCounts) ? split(reqs) : null
  const found = fromRequests ?? split(byAppEvents(stats))
  if (found === null) return null
  const viaRequests = fromRequests !== null
  const { bad, others, share, rate, restRate, restTrials, total } = found
  const unit = viaRequests ? 'requests' : 'log events'
  const failures = viaRequests ? '5xx' : 'app errors'
  const reasons: Reason[] = [
    {
      text: `${bad.name} has ${count(bad.fails)} of the ${count(total)} ${failures} that name an instance (${percent(share)}): ${percent(rate)} of its ${count(bad.trials)} ${unit} ${viaRequests ? 'failed' : 'are errors'}, against ${percent(restRate)} on the ${plural(others.length, 'other instance')} (${count(restTrials)} ${unit})`,
      evidence: ctx.incident.primary ? [ref.window(ctx.incident.primary.start, ctx.incident.primary.end)] : []
    }
  ]
  const healthiest = others.reduce((a, b) => (b.fails / b.trials < a.fails / a.trials ? b : a))
  reasons.push({ text: `The others answer: ${healthiest.name} failed ${percent(healthiest.fails / healthiest.trials)} of ${count(healthiest.trials)} ${unit}`, evidence: [] })
  const confidence = 0.6 + 0.3 * share - (viaRequests ? 0 : 0.1)
  return { finding: finding('instance', confidence, reasons), field: { name: bad.name, shareOfErrors: round(share), errorRate: round(rate) } }
}
