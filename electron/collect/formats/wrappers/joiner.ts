/**
 * WrappedLineJoiner: wrapped physical lines in, logical payload lines out. A partial record
 * (CRI `P`, a docker record without `\n`) is joined with the records after it up to the one
 * that completes it; the logical line keeps the first record's line number, offset, time and
 * instance, and `lines` counts every physical line it spans. A line the wrapper does not read
 * comes out as `raw` (one line), so every physical line is counted exactly once.
 * An unfinished partial is emitted as it is when a raw line interrupts it and at flush.
 */
import { DEFAULT_MAX_LINE_BYTES } from '../../lines'
import type { Level } from '../../../../shared/model/evidence'
import type { UnwrapContext, WrapperDefinition } from './types'

export interface PayloadLine {
  kind: 'payload'
  payload: string
  time: number | null
  instance: string | null
  level: Level | null
  logger: string | null
  /** First physical line (1-based) and its byte offset. */
  line: number
  offset: number
  /** Physical lines this payload spans (1 unless partial records were joined). */
  lines: number
}

export interface RawLine {
  kind: 'raw'
  text: string
  line: number
  offset: number
  lines: 1
}

export type JoinedLine = PayloadLine | RawLine

/** Joined payloads are capped like physical lines; `lines` still counts every record. */
const MAX_PAYLOAD_CHARS = DEFAULT_MAX_LINE_BYTES

export class WrappedLineJoiner {
  private open: PayloadLine | null = null
  private parts: string[] = []
  private chars = 0

  constructor(
    private readonly wrapper: WrapperDefinition,
    private readonly ctx?: UnwrapContext
  ) {}

  push(text: string, lineNo: number, offset: number): JoinedLine[] {
    const unwrapped = this.wrapper.unwrap(text, this.ctx)
    if (unwrapped === null) {
      const out = this.close()
      out.push({ kind: 'raw', text, line: lineNo, offset, lines: 1 })
      return out
    }
    const open = this.open
    if (open !== null) {
      open.lines++
      this.append(unwrapped.payload)
      if (unwrapped.partial) return []
      return this.close()
    }
    const line: PayloadLine = {
      kind: 'payload',
      payload: unwrapped.payload,
      time: unwrapped.time,
      instance: unwrapped.instance,
      level: unwrapped.level ?? null,
      logger: unwrapped.logger ?? null,
      line: lineNo,
      offset,
      lines: 1
    }
    if (!unwrapped.partial) return [line]
    this.open = line
    this.parts = []
    this.chars = 0
    this.append(unwrapped.payload)
    return []
  }

  flush(): JoinedLine[] {
    return this.close()
  }

  private append(payload: string): void {
    if (this.chars >= MAX_PAYLOAD_CHARS) return
    const room = MAX_PAYLOAD_CHARS - this.chars
    const piece = payload.length > room ? payload.slice(0, room) : payload
    this.parts.push(piece)
    this.chars += piece.length
  }

  private close(): JoinedLine[] {
    const open = this.open
    if (open === null) return []
    open.payload = this.parts.join('')
    this.open = null
    this.parts = []
    this.chars = 0
    return [open]
  }
}
