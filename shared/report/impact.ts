/** Who the 5xx hurt, in words: the report's Impact section and the screen's Impact panel read the same lines. */
import type { AnalysisV1 } from '../contract/analysis'
import { clock, count, duration, plural, spansDays } from '../format'
import { RETRY_WINDOW_MS } from '../analysis/impact'

export type Impact = NonNullable<AnalysisV1['impact']>
type Crawler = Impact['crawlers'][number]

export interface ImpactLine {
  label: string
  value: string
  /** Lines that call for an action (cached 5xx, re-sent POST/PATCH, a verified crawler failing). */
  alert: boolean
}

const VERIFICATION_WORDS: Record<Crawler['verification'], string> = {
  verified: 'verified by its published address ranges',
  spoofed: "likely spoofed: the address is outside the crawler's published ranges",
  unverified: 'unverified: no published ranges to check the address against'
}

export function crawlerLine(c: Crawler): string {
  const span = c.from !== null && c.to !== null
    ? `, ${clock(c.from, { date: spansDays(c.from, c.to) })} → ${clock(c.to, { date: spansDays(c.from, c.to) })} (${duration(Date.parse(c.to) - Date.parse(c.from))})`
    : ''
  return `${c.agent} (${VERIFICATION_WORDS[c.verification]}): ${plural(c.requests5xx, '5xx', '5xx')} on ${plural(c.urls, 'URL')}${span}`
}

/** The impact as label/value lines, in the order an on-call reads them. */
export function impactLines(impact: Impact | null): ImpactLine[] {
  if (impact === null) return [{ label: 'Who got the 5xx', value: 'unknown: no request was read', alert: false }]
  const lines: ImpactLine[] = []
  const clients = `${impact.clientsEstimated ? '≈ ' : ''}${count(impact.clients)}${impact.clientsEstimated ? ' (estimated)' : ''}`
  const unnamed = impact.unidentified5xx > 0 ? `; ${plural(impact.unidentified5xx, '5xx', '5xx')} name no client and are not counted` : ''
  lines.push({ label: 'Clients that got a 5xx', value: `${clients}${unnamed}`, alert: false })

  const real = impact.crawlers.filter((c) => c.verification !== 'spoofed')
  const crawlers = impact.crawlers.length === 0
    ? impact.agentsLogged ? 'none got a 5xx' : 'unknown: the 5xx log no user agent'
    : `${impact.crawlers.map(crawlerLine).join('; ')}${real.length > 0 ? '. Crawlers retry a 5xx, but URLs that keep failing for days drop out of the index.' : ''}`
  lines.push({ label: 'Search crawlers', value: crawlers, alert: real.length > 0 })

  const resent = impact.retriedNonIdempotent > 0
    ? `${plural(impact.retriedNonIdempotent, 'request')} re-sent by the same client to the same path within ${duration(RETRY_WINDOW_MS)} of a 5xx: check for duplicate side effects (double charges, orders)`
    : impact.clients === 0 && impact.unidentified5xx > 0 ? 'unknown: the log names no clients' : 'none'
  lines.push({ label: 'POST/PATCH re-sent after a 5xx', value: resent, alert: impact.retriedNonIdempotent > 0 })

  const cached = impact.cached5xx > 0
    ? `${count(impact.cached5xx)}: purge the CDN cache; a 5xx must never be cached`
    : impact.cacheLogged ? 'none' : 'unknown: no cache status in these logs'
  lines.push({ label: '5xx served from a CDN cache', value: cached, alert: impact.cached5xx > 0 })
  return lines
}
