import type { z } from 'zod'

/** At most this many issues are spelled out; the rest are counted. */
const SHOWN = 3

/**
 * The one wording of a schema failure, on one line: `sources.0.sizeBytes: expected number,
 * received string; title: …` and `(and 2 more problems)`. `subject` names what failed when the
 * path is empty (`request`, `incident`).
 */
export function describeIssues(error: z.ZodError, subject = 'value'): string {
  if (error.issues.length === 0) return `${subject}: does not match the expected shape`
  const shown = error.issues
    .slice(0, SHOWN)
    .map((i) => `${i.path.length > 0 ? i.path.map(String).join('.') : subject}: ${i.message.replace(/^Invalid input: /, '')}`)
  const rest = error.issues.length - shown.length
  return `${shown.join('; ')}${rest > 0 ? ` (and ${rest} more problem${rest === 1 ? '' : 's'})` : ''}`
}
