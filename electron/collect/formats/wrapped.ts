/**
 * Wrapped formats: a wrapper's records (wrappers/) whose payloads are lines of a registered
 * format. The id is `<wrapper>+<payload>` (`cri+nginx-combined`, `docker+json-app`); a bare
 * wrapper id (`cri`, `docker`) reads the payloads as plain text messages, which is what the
 * registry's `syslog` does for the syslog wrappers (their `plainFormat`).
 *
 * The parser unwraps, its LineJoin joins partial records, the payload format's parser reads the
 * payload, and the wrapper's header fills what the payload did not say: time, instance, level,
 * logger. EventFolder counts the physical lines (see folder.ts).
 */
import type { AppEvent, EvidenceEvent, LogFormatId, ProxyErrorEvent } from '../../../shared/model/evidence'
import type { FormatDefinition } from './definition'
import { appEvent } from './events'
import type { LineJoin, LineParser, LogicalLine } from './parser'
import { formatDefinition } from './registry'
import { leadingLevel } from './syslog'
import { isBlank, traceStart } from './trace'
import { WrappedLineJoiner, wrapperById, type JoinedLine, type Unwrapped, type WrapperDefinition } from './wrappers'

/** The header fields a payload's event may take from its wrapper. */
type Header = Pick<Unwrapped, 'time' | 'instance' | 'level' | 'logger'>

/** The event with what it lacks taken from the wrapper's header. */
export function withHeader(event: EvidenceEvent, header: Header): EvidenceEvent {
  event.time ??= header.time
  if (event.kind === 'request') {
    event.instance ??= header.instance
  } else {
    event.level ??= header.level ?? null
    if (event.kind === 'app') {
      event.instance ??= header.instance
      event.logger ??= header.logger ?? null
    }
  }
  return event
}

/** A payload read as a plain text message (a leading level word gives the level); trace lines are left to folding. */
class TextPayloadParser implements LineParser {
  readonly multiline = 'trace'
  constructor(readonly format: LogFormatId) {}

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    if (isBlank(line) || traceStart(line) !== null) return null
    return appEvent(lineNo, offset, { level: leadingLevel(line), message: line })
  }
}

export class WrappedParser implements LineParser {
  readonly multiline
  /** The payload format's own continuation rule, asked with the payload (see LineParser). */
  readonly continues?: (line: string, open: AppEvent | ProxyErrorEvent) => string | null
  /** The payload format's directive lines (W3C `#Fields:` in a payload), asked with the payload. */
  readonly directive?: (line: string) => boolean
  /** Headers of the logical lines the current LineJoin batch yielded, by first physical line. */
  private readonly headers = new Map<number, Header>()

  constructor(
    readonly format: LogFormatId,
    private readonly wrapper: WrapperDefinition,
    private readonly payload: LineParser
  ) {
    this.multiline = payload.multiline
    if (payload.continues !== undefined) this.continues = (line, open) => payload.continues?.(line, open) ?? null
    if (payload.directive !== undefined) this.directive = (line) => payload.directive?.(line) ?? false
  }

  /**
   * Through EventFolder (joinLines) `line` is a logical line: a payload, or a physical line the
   * wrapper did not read. Called directly, `line` is a physical line and is unwrapped here
   * (a partial record then reads as its fragment).
   */
  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const header = this.headers.get(lineNo)
    if (header !== undefined) return this.read(line, header, lineNo, offset)
    const unwrapped = this.wrapper.unwrap(line)
    return unwrapped === null ? null : this.read(unwrapped.payload, unwrapped, lineNo, offset)
  }

  private read(payload: string, header: Header, lineNo: number, offset: number): EvidenceEvent | null {
    const event = this.payload.parse(payload, lineNo, offset)
    return event === null ? null : withHeader(event, header)
  }

  joinLines(): LineJoin {
    const joiner = new WrappedLineJoiner(this.wrapper)
    const logical = (joined: JoinedLine[]): LogicalLine[] => {
      this.headers.clear()
      return joined.map((j) => {
        if (j.kind === 'raw') return { text: j.text, line: j.line, offset: j.offset, lines: 1 }
        this.headers.set(j.line, j)
        return { text: j.payload, line: j.line, offset: j.offset, lines: j.lines }
      })
    }
    return {
      push: (line, lineNo, offset) => logical(joiner.push(line, lineNo, offset)),
      flush: () => logical(joiner.flush())
    }
  }
}

/** `<wrapper>+<payload>` (or a bare wrapper id) → its parts, or null when the id is not a wrapped format. */
export function splitWrappedId(id: LogFormatId): { wrapper: WrapperDefinition; payload: FormatDefinition | null } | null {
  const plus = id.indexOf('+')
  const wrapper = wrapperById(plus < 0 ? id : id.slice(0, plus))
  if (wrapper === null) return null
  if (plus < 0) return wrapper.plainFormat === undefined ? { wrapper, payload: null } : null
  const payload = formatDefinition(id.slice(plus + 1))
  return payload === undefined ? null : { wrapper, payload }
}

/** The id of a wrapper around a payload format; null (no payload format) means the plain-text reading. */
export function wrappedFormatId(wrapper: WrapperDefinition, payload: LogFormatId | null): LogFormatId {
  return payload === null ? wrapper.plainFormat ?? wrapper.id : `${wrapper.id}+${payload}`
}

const built = new Map<LogFormatId, FormatDefinition>()

/** The definition of a wrapped format id, built on first use; undefined when the id is not one. */
export function wrappedDefinition(id: LogFormatId): FormatDefinition | undefined {
  const cached = built.get(id)
  if (cached !== undefined) return cached
  const parts = splitWrappedId(id)
  if (parts === null) return undefined
  const { wrapper, payload } = parts
  const definition: FormatDefinition = payload === null
    ? {
        id,
        title: `${wrapper.title} (text)`,
        family: 'app',
        specificity: 1,
        detectable: false,
        infersFields: false,
        multiline: 'trace',
        samples: [],
        create: () => new WrappedParser(id, wrapper, new TextPayloadParser(id))
      }
    : {
        id,
        title: `${payload.title} in ${wrapper.title}`,
        family: payload.family,
        specificity: payload.specificity + 1,
        detectable: false,
        infersFields: payload.infersFields,
        multiline: payload.multiline,
        samples: [],
        create: (fieldMap) => new WrappedParser(id, wrapper, payload.create(fieldMap))
      }
  built.set(id, definition)
  return definition
}

/** A registered format or a wrapped one. */
export function resolveDefinition(id: LogFormatId): FormatDefinition | undefined {
  return formatDefinition(id) ?? wrappedDefinition(id)
}

/** The sample's lines as the wrapper's payloads, partial records joined (lines it does not read are left out). */
export function samplePayloads(wrapper: WrapperDefinition, lines: readonly string[]): string[] {
  const joiner = new WrappedLineJoiner(wrapper)
  const out: string[] = []
  const take = (joined: JoinedLine[]): void => {
    for (const j of joined) if (j.kind === 'payload') out.push(j.payload)
  }
  lines.forEach((line, i) => take(joiner.push(line, i + 1, 0)))
  take(joiner.flush())
  return out
}

/**
 * For splitting a file of this format across workers: whether a cut may follow this physical
 * line (it does not open or continue a partial record). Null for formats that are not wrapped.
 */
export function cutAfter(format: LogFormatId): ((line: string) => boolean) | null {
  const parts = formatDefinition(format) === undefined ? splitWrappedId(format) : null
  if (parts === null) return null
  const { wrapper } = parts
  return (line) => wrapper.unwrap(line)?.partial !== true
}
