/**
 * A wrapper is a line format whose payload is another format: a container runtime, a log
 * shipper or a CLI put its own header (time, stream, host, pod) in front of what the program
 * wrote. Like a format definition it is data: an id, a title, one pure `unwrap` and real samples.
 */
import type { Level } from '../../../../shared/model/evidence'

export interface Unwrapped {
  /** What the program wrote, without the wrapper's header (and without its trailing newline). */
  payload: string
  /** The wrapper's own time (epoch ms), or null when it carries none. */
  time: number | null
  /** Where the line came from: host, pod/container, compose service. */
  instance: string | null
  /** The payload continues on the next wrapped line (CRI `P`, a docker record without `\n`). */
  partial: boolean
  /** Severity the wrapper itself records (syslog PRI, journald PRIORITY), when it does. */
  level?: Level | null
  /** The emitting program as the wrapper names it (syslog tag, SYSLOG_IDENTIFIER). */
  logger?: string | null
}

export interface UnwrapContext {
  /** Wall clock for headers without a year (RFC 3164): injectable so the rule can be tested. */
  now: number
}

export interface WrapperSample {
  /** A real wrapped line, from tests/fixtures/logs/wrappers (see tests/fixtures/SOURCES.md). */
  line: string
  /** What unwrap must return for it; null when the line is not of this wrapper. */
  expect: Unwrapped | null
}

export interface WrapperDefinition {
  /** Becomes the first half of a wrapped file's format id: `<id>+<payload format>`. */
  readonly id: string
  readonly title: string
  /** The payload and header fields of one physical line, or null when the line is not of this wrapper. */
  unwrap(line: string, ctx?: UnwrapContext): Unwrapped | null
  readonly samples: readonly WrapperSample[]
  /**
   * The registered format that reads this wrapper's lines when the payloads are plain text
   * (`syslog` reads both syslog RFCs). Without it, the bare wrapper id is that reading.
   */
  readonly plainFormat?: string
}

export function defineWrapper(definition: WrapperDefinition): WrapperDefinition {
  return definition
}
