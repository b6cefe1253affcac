/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import { count } from '../../format'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

/** The unreadable playbook's first step: which sources are unread, how they look, and where to fix it. */
export function readSources({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'read-sources',
    title: 'Make the unread logs readable',
    action:
      'In Sources, pick the format of each unread log from its menu, or correct the field that holds the status, path or time in its field map (command line: analyze --log-format ID, --map status=FIELD).',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  for (const s of a.v1.sources) {
    if (s.unread === null) continue
    step.evidence.push(s.unread)
    for (const shape of s.unreadShapes) step.evidence.push(`×${count(shape.count)} among the first unread lines: ${shape.shape}`)
  }
  step.settled = step.evidence.length === 0
  return step
}

/** What the sources that do read show, so the engineer knows how much is still missing. */
export function readableSources({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'readable-sources',
    title: 'See what the readable logs show',
    action: 'Their picture is partial: an all-clear needs every given log read.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const readable = a.v1.sources.filter((s) => s.unread === null)
  if (readable.length === 0) step.evidence.push('No given log reads yet.')
  for (const s of readable) step.evidence.push(`${s.path}: ${count(s.events)} events from ${count(s.lines)} lines as ${s.format}`)
  return step
}
