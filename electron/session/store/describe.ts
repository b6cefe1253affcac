/** Turns parse failures into the words a problem list shows: which field, which line. */
import type { z } from 'zod'

/** `"field.path": message` for the first issue (and how many more there are). */
export function describeIssues(error: z.ZodError): string {
  const [first] = error.issues
  if (!first) return 'does not match the expected shape'
  const field = first.path.length > 0 ? `"${first.path.map(String).join('.')}" ` : ''
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : ''
  return `${field}${first.message.replace(/^Invalid input: /, '')}${more}`
}

/** The 1-based line a JSON.parse error points at, when its message carries a position. */
export function jsonErrorLine(text: string, err: unknown): number | null {
  const message = err instanceof Error ? err.message : String(err)
  const lineCol = /\(line (\d+) column \d+\)/.exec(message)
  if (lineCol) return Number(lineCol[1])
  const position = /at position (\d+)/.exec(message)
  if (!position) return null
  let line = 1
  const end = Math.min(Number(position[1]), text.length)
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

/** The reason of a JSON.parse error without its position details. */
export const jsonErrorReason = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err))
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+.*$/, '')
    .replace(/,\s*".*" is not valid JSON$/, '')
