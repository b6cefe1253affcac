/** Wording helpers for reasons that are not a number format (those live in shared/format). */

export const round = (x: number, digits = 4): number => {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The first line of a text, capped, for quoting an error in a sentence. */
export function quote(text: string, max = 120): string {
  const line = text.split(/\r?\n/, 1)[0].trim()
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}
