import type { AnalysisSnapshot, ErrorGroupJson } from '../contract'
import { clock, count, percent, spansDays } from '../format'

/** Reading the analysis the way the runbook steps need it. Pure, null-safe helpers. */

/** Error groups by count, the "other errors" bucket last. */
export function groupsByCount(a: AnalysisSnapshot): ErrorGroupJson[] {
  return [...a.v1.errorGroups].sort((x, y) => Number(x.id === 'G-other') - Number(y.id === 'G-other') || y.count - x.count)
}

/** A time as the verdict prints it: with the date when the analysis window spans days. */
export function clockIn(a: AnalysisSnapshot | null, t: number | string | null): string {
  return clock(t, { date: spansDays(a?.v1.window?.from ?? null, a?.v1.window?.to ?? null) })
}

export function groupLine(a: AnalysisSnapshot, g: ErrorGroupJson): string {
  const head = g.type && !g.message.startsWith(g.type) ? `${g.type}: ${g.message}` : g.message
  const first = g.firstSeen ? `, first seen ${clockIn(a, g.firstSeen)}` : ''
  return `${head} — ${count(g.count)} times${first}${g.newSinceDeploy ? ' (new since the deploy)' : ''}`
}

/** The full folded sample of a group (stack trace) when the analysis kept it, else the short sample. */
export function groupSample(a: AnalysisSnapshot, g: ErrorGroupJson): string {
  return a.groupSamples[g.id] ?? g.sample
}

export function deploysByTime(a: AnalysisSnapshot): AnalysisSnapshot['deploys'] {
  return [...a.deploys].sort((x, y) => x.at - y.at)
}

/** The version live before `version` went out, if the deploy history has it. */
export function previousVersion(a: AnalysisSnapshot, version: string, at: number): string | null {
  const earlier = deploysByTime(a).filter((d) => d.at < at && d.version !== version)
  if (earlier.length > 0) return earlier[earlier.length - 1].version
  // The poller saw the old version live before the change, even with no deploy of its own.
  return a.deploys.find((d) => d.version === version && d.at === at)?.previousVersion ?? null
}

export function total5xx(a: AnalysisSnapshot): number {
  return Object.entries(a.v1.statusCounts).reduce((sum, [s, c]) => (Number(s) >= 500 && Number(s) < 600 ? sum + c : sum), 0)
}

export const statusCount = (a: AnalysisSnapshot, status: number): number => a.v1.statusCounts[String(status)] ?? 0

/** 5xx rate over the last `n` buckets that saw requests; null when there are none. */
export function recentRate(a: AnalysisSnapshot, n = 5): { rate: number; from: number; requests: number } | null {
  const busy = a.timeline.buckets.filter((b) => b.total > 0)
  const tail = busy.slice(-n)
  if (tail.length === 0) return null
  const requests = tail.reduce((s, b) => s + b.total, 0)
  const errors = tail.reduce((s, b) => s + b.s5xx, 0)
  return { rate: errors / requests, from: tail[0].t, requests }
}

/** Back to baseline: the recent rate is near the baseline, measured after the onset. */
export function recovered(a: AnalysisSnapshot): boolean {
  const onset = a.baseline.onset
  const recent = recentRate(a)
  if (onset === null || recent === null || recent.from <= onset) return false
  return recent.rate <= Math.max(a.baseline.errorRate * 2, 0.01)
}

export function firstErrorAt(a: AnalysisSnapshot): number | null {
  return a.timeline.buckets.find((b) => b.s5xx > 0)?.t ?? null
}

export function proxyGroups(a: AnalysisSnapshot): ErrorGroupJson[] {
  return groupsByCount(a).filter((g) => g.type?.startsWith('proxy:'))
}

export function statusShare(a: AnalysisSnapshot, statuses: number[]): string {
  const all = total5xx(a)
  const part = statuses.reduce((s, st) => s + statusCount(a, st), 0)
  return all === 0 ? `${statuses.join('/')}: none` : `${statuses.join('/')}: ${count(part)} of ${count(all)} 5xx (${percent(part / all)})`
}
