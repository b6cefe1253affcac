/**
 * Stack traces trimmed for a report: the exception line(s), at most `maxFrames` frames, and
 * every `Caused by:` line (the root cause is often the last one). Python prints the innermost
 * frame last, so its earliest frames are the ones dropped.
 */
import { isFrameLine } from '../analysis/frames'

const CAUSE = /^\s*(?:Caused by:|Suppressed:)/
const MAX_LINE = 400

export interface TrimmedTrace {
  text: string
  frames: number
  /** Frames left out (0 when the trace was short enough). */
  framesDropped: number
}

const cap = (line: string): string => (line.length > MAX_LINE ? `${line.slice(0, MAX_LINE - 1)}…` : line)

export function trimStack(text: string, maxFrames = 15): TrimmedTrace {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/).map(cap)
  const frameAt = lines.flatMap((l, i) => (isFrameLine(l) ? [i] : []))
  if (frameAt.length <= maxFrames) return { text: lines.join('\n'), frames: frameAt.length, framesDropped: 0 }
  const dropped = frameAt.length - maxFrames

  if (/^Traceback \(most recent call last\)/m.test(text)) {
    // Keep the header and the innermost frames (with their source lines) and the exception.
    const firstKept = frameAt[dropped]
    const out = [...lines.slice(0, frameAt[0]), `  … ${dropped} earlier frame${dropped === 1 ? '' : 's'} trimmed`, ...lines.slice(firstKept)]
    return { text: out.join('\n'), frames: maxFrames, framesDropped: dropped }
  }

  const out: string[] = []
  let frames = 0
  for (const line of lines) {
    if (isFrameLine(line)) {
      if (frames < maxFrames) out.push(line)
      frames++
      if (frames === maxFrames + 1) out.push(`\t… ${dropped} more frame${dropped === 1 ? '' : 's'} trimmed`)
    } else if (frames < maxFrames) out.push(line)
    else if (CAUSE.test(line)) out.push(line)
  }
  return { text: out.join('\n'), frames: maxFrames, framesDropped: dropped }
}
