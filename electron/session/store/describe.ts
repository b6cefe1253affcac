/** Turns JSON parse failures into the words a problem list shows: which line, what is wrong. */

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
