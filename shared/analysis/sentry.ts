/**
 * Sentry issues joined to the error groups read from the logs. A group and an issue are the same
 * bug when they name the same exception type and the same top in-app frames (innermost first), the
 * rule the fingerprint already uses for traces: line numbers, dependency frames and messages are
 * left out, so a redeploy that shifts lines or a value in the message does not split them. An
 * issue no group matches is kept as "Sentry only": the tracker saw an error the logs did not.
 */
import type { AnalysisSnapshot, ErrorGroupJson, SentryLink, SentryOnlyIssue } from '../contract/analysis'
import { parseStackTrace } from './fingerprint'

/** One in-app frame as Sentry names it: module (class, dotted module) and/or file, and function. */
export interface SentryFrame {
  module: string | null
  filename: string | null
  function: string | null
}

/** One exception of the latest event; chained exceptions each give one. */
export interface SentryException {
  type: string | null
  value: string | null
  /** In-app frames only, innermost (where it was thrown) first. */
  frames: SentryFrame[]
}

/** What the Sentry source read for one issue: the link fields and the latest event's exceptions. */
export interface SentryIssueEvidence {
  link: SentryLink
  title: string
  culprit: string | null
  firstSeen: string | null
  lastSeen: string | null
  exceptions: SentryException[]
}

/** Top in-app frames compared: the top of the stack is where the bug is. */
const JOIN_FRAMES = 3

const lastSegment = (name: string, separators: RegExp): string => name.split(separators).filter(Boolean).pop() ?? name
const simpleType = (type: string): string => lastSegment(type.trim(), /[.:$\\]/).toLowerCase()
const simpleFunc = (func: string): string => lastSegment(func.replace(/\s*\(.*\)$/, '').replace(/^async\s+/, ''), /[.#]/).toLowerCase()
const fileStem = (file: string): string => lastSegment(file.replace(/^[a-z]+:\/\/\/?/i, ''), /[\\/]/).replace(/\.[A-Za-z0-9]+$/, '').toLowerCase()

/** The names a Sentry frame's module goes by in a log's trace: a Java/.NET class, a Python module's last part, a file's stem. */
function moduleNames(frame: SentryFrame): Set<string> {
  const names = new Set<string>()
  if (frame.module) {
    names.add(frame.module.toLowerCase())
    names.add(lastSegment(frame.module, /[.:/]/).toLowerCase())
  }
  if (frame.filename) names.add(fileStem(frame.filename))
  return names
}

interface GroupFrames {
  type: string
  frames: { module: string; func: string }[]
}

function groupFrames(snapshot: AnalysisSnapshot, g: ErrorGroupJson): GroupFrames | null {
  const trace = parseStackTrace(snapshot.groupSamples[g.id] ?? g.sample)
  const type = trace.errorType ?? (g.type === '(untyped)' ? null : g.type)
  const frames = trace.frames.filter((f) => f.inApp).map((f) => ({ module: f.module.toLowerCase(), func: simpleFunc(f.func) }))
  return type === null || frames.length === 0 ? null : { type, frames }
}

/** How many top frames agree (0: not the same bug). */
function agreement(group: GroupFrames, ex: SentryException): number {
  if (ex.type === null || simpleType(ex.type) !== simpleType(group.type) || ex.frames.length === 0) return 0
  const k = Math.min(JOIN_FRAMES, group.frames.length, ex.frames.length)
  for (let i = 0; i < k; i++) {
    const want = group.frames[i]
    const have = ex.frames[i]
    if (have.function === null || simpleFunc(have.function) !== want.func) return 0
    const names = moduleNames(have)
    if (!names.has(want.module) && !names.has(lastSegment(want.module, /[.:/]/))) return 0
  }
  return k
}

/**
 * The snapshot with each group's Sentry link (the issue whose latest event agrees on the most
 * top frames) and the issues no group matched. An issue may back several groups: the logs can
 * split what Sentry keeps together (one exception, different messages).
 */
export function joinSentry(snapshot: AnalysisSnapshot, issues: readonly SentryIssueEvidence[]): AnalysisSnapshot {
  const matched = new Set<string>()
  const errorGroups = snapshot.v1.errorGroups.map((g): ErrorGroupJson => {
    const frames = groupFrames(snapshot, g)
    let best: { issue: SentryIssueEvidence; score: number } | null = null
    if (frames !== null)
      for (const issue of issues) {
        const score = Math.max(0, ...issue.exceptions.map((ex) => agreement(frames, ex)))
        if (score > 0 && (best === null || score > best.score)) best = { issue, score }
      }
    if (best === null) return { ...g, sentry: null }
    matched.add(best.issue.link.issueId)
    return { ...g, sentry: best.issue.link }
  })
  const sentryOnly = issues.filter((i) => !matched.has(i.link.issueId)).map(sentryOnlyIssue)
  return { ...snapshot, v1: { ...snapshot.v1, errorGroups, sentryOnly } }
}

function sentryOnlyIssue(issue: SentryIssueEvidence): SentryOnlyIssue {
  const root = issue.exceptions.at(-1) ?? null
  const top = root?.frames[0] ?? null
  return {
    ...issue.link,
    title: issue.title,
    type: root?.type ?? null,
    culprit: issue.culprit ?? (top ? [top.module ?? top.filename, top.function].filter(Boolean).join(' in ') : null),
    firstSeen: issue.firstSeen,
    lastSeen: issue.lastSeen
  }
}
