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
