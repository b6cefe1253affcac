import { type FrameKind, frameKind } from '../analysis/frames'

/** A line of a folded stack trace, classified so the screen can highlight the application's own frames. */
export interface StackLine {
  text: string
  /** `app`: a frame in the service's own code; `library`: runtime or third-party; `text`: not a frame. */
  kind: FrameKind
}

/** The rules are the fingerprint's (analysis/frames): the frames it groups by are the ones highlighted. */
export function classifyStack(text: string): StackLine[] {
  return text.split(/\r?\n/).map((line) => ({ text: line, kind: frameKind(line) }))
}

/** Where a trace names the exception that caused the one above it: Java's `Caused by:`, .NET's ` ---> `. */
const CAUSE = /^\s*(?:Caused by:\s*|-+>\s*)(.+)$/

/**
 * The exception chain of a folded trace, outermost first: its first line, then each cause the
 * trace names (Java `Caused by:`, .NET inner exceptions `--->`), so the root cause is the last.
 */
export function causeChain(text: string): string[] {
  const lines = text.split(/\r?\n/)
  const first = lines.find((l) => l.trim() !== '')?.trim()
  if (!first) return []
  const chain = [first]
  for (const line of lines.slice(1)) {
    const m = CAUSE.exec(line)
    if (m) chain.push(m[1].trim())
  }
  return chain
}
