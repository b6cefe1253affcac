/**
 * EventFolder: turns a file's lines, in order, into events, folding multi-line events
 * (stack traces, wrapped messages) into one and reporting every line no format reads.
 * Invariant: the sum of `lines` over all items equals the number of lines pushed.
 *
 * How a line is read, in order:
 *  1. a frame (`\tat …`, `  File "…"`, `#3 …`, `Caused by:` …) or an indented line right after an
 *     event folds into it;
 *  2. a line the format says continues the open event (LineParser.continues) folds into it;
 *     otherwise a line the format parses starts a new event;
 *  3. a line that continues the open trace (Python's final `Type: msg`, Go function lines, chained
 *     tracebacks, `nested exception is:`) or opens one under a header without one folds into it;
 *  4. a line that opens a trace by itself (`Traceback …`, `panic:`, `java.io.IOException: …`)
 *     starts a new app event;
 *  5. in text formats, any other line right after an event is a wrapped message and folds; in
 *     header formats, any other line after an event folds, blank lines between included;
 *  6. anything else is held as unparsed: if a frame follows it, it was a trace header after all.
 * A directive line of the format (W3C `#Fields:`, see LineParser.directive) comes before all of
 * this: it closes the open event and is reported as read.
 * Blank lines are held: they fold with what follows when the trace goes on, and otherwise count
 * toward the event before them (or are reported unparsed when there is none).
 *
 * A wrapped format's parser (`joinLines`) first turns physical lines into logical ones (payloads,
 * partial records joined); the folder reads those, then turns each item's `lines` back into the
 * physical lines it spans, so the invariant holds in physical lines.
 */
import type { AppEvent, EvidenceEvent, FoldedItem, ProxyErrorEvent } from '../../../shared/model/evidence'
import type { LineJoin, LineParser, LogicalLine } from './parser'
import { appEvent, unparsedLine } from './events'
import type { TraceLanguage } from './trace'
import {
  DART_UNHANDLED, exceptionFromLine, frameLanguage, isBlank, isFrameLine, isGoTraceLine, isIndented, isPythonChainLine, traceStart
} from './trace'

/** Bounds for folded text, so a runaway dump cannot hold gigabytes; `lines` still counts it all. */
const STACK_LIMIT = 64 * 1024
const MESSAGE_LIMIT = 8 * 1024
/** A log message that says the trace comes next (Tomcat's StandardWrapperValve: "… with root cause"). */
const ANNOUNCES_TRACE = /\bwith root cause\s*$/

interface TraceState {
  lang: TraceLanguage
  /** Python printed its final `Type: message` line. */
  ended: boolean
  /** errorType came from the trace (a later Python final line may replace it), not from the header. */
  typeFromTrace: boolean
  /** A chained-exception separator was just read: the next `Traceback` continues the trace. */
  chainPending: boolean
  lastLine: string
}

interface PendingLine {
  text: string
  line: number
  offset: number
}

type OpenEvent = AppEvent | ProxyErrorEvent

export class EventFolder {
  private readonly singleLine: boolean
  private readonly textFormat: boolean
  private readonly headerFormat: boolean
  private open: OpenEvent | null = null
  private trace: TraceState | null = null
  private stackParts: string[] = []
  private stackChars = 0
  private pending: PendingLine | null = null
  private blankLines: number[] = []
  private blankOffsets: number[] = []
  private lastTime: number | null = null
  private readonly join: LineJoin | null
  /** Physical lines of each logical line pushed and not yet emitted in an item, oldest at `spanHead`. */
  private spans: number[] = []
  private spanHead = 0

  private readonly directive: ((line: string) => boolean) | null

  constructor(private readonly parser: LineParser) {
    this.singleLine = parser.multiline === 'single'
    this.textFormat = parser.multiline === 'text'
    this.headerFormat = parser.multiline === 'header'
    this.directive = parser.directive?.bind(parser) ?? null
    this.join = parser.joinLines?.() ?? null
  }

  push(line: string, lineNo: number, offset: number): FoldedItem[] {
    return this.join === null ? this.read(line, lineNo, offset) : this.readJoined(this.join.push(line, lineNo, offset), false)
  }

  flush(): FoldedItem[] {
    return this.join === null ? this.close() : this.readJoined(this.join.flush(), true)
  }

  private readJoined(logical: LogicalLine[], end: boolean): FoldedItem[] {
    const out: FoldedItem[] = []
    for (const l of logical) {
      this.spans.push(l.lines)
      for (const item of this.read(l.text, l.line, l.offset)) out.push(item)
    }
    if (end) for (const item of this.close()) out.push(item)
    // Items come out in order, each covering the next `lines` logical lines.
    for (const item of out) {
      let physical = 0
      for (let i = 0; i < item.lines; i++) physical += this.spans[this.spanHead++]
      item.lines = physical
    }
    if (this.spanHead > 1024 && this.spanHead * 2 > this.spans.length) {
      this.spans = this.spans.slice(this.spanHead)
      this.spanHead = 0
    }
    return out
  }

  private read(line: string, lineNo: number, offset: number): FoldedItem[] {
    if (this.directive?.(line) === true) {
      const out = this.singleLine ? [] : this.close()
      out.push({ kind: 'directive', line: lineNo, lines: 1, offset })
      return out
    }
    if (this.singleLine) {
      const event = this.parser.parse(line, lineNo, offset)
      return [event ?? unparsedLine(line, lineNo, offset)]
    }

    if (isBlank(line)) {
      if (this.open === null && this.pending === null) return [unparsedLine(line, lineNo, offset)]
      this.blankLines.push(lineNo)
      this.blankOffsets.push(offset)
      return []
    }
    const afterBlank = this.blankLines.length > 0

    if (this.open !== null && (isFrameLine(line) || (!afterBlank && isIndented(line)))) {
      this.fold(line)
      return []
    }

    if (this.open !== null && this.parser.continues !== undefined) {
      const text = this.parser.continues(line, this.open)
      if (text !== null) {
        this.fold(text)
        return []
      }
    }

    const event = this.parser.parse(line, lineNo, offset)
    if (event !== null) {
      const out = this.close()
      if (event.time !== null) this.lastTime = event.time
      if (event.kind === 'request') out.push(event)
      else this.start(event)
      return out
    }

    if (this.open !== null && (this.headerFormat || this.continuesTrace(line, afterBlank))) {
      this.fold(line)
      return []
    }

    const lang = traceStart(line)
    if (lang !== null) {
      const out = this.close()
      this.startTrace(line, lineNo, offset, lang)
      return out
    }

    if (this.open !== null && this.textFormat && !afterBlank) {
      this.fold(line)
      return []
    }

    if (this.pending !== null && isFrameLine(line)) {
      const header = this.pending
      this.pending = null
      this.startTrace(header.text, header.line, header.offset, frameLanguage(line))
      this.fold(line)
      return []
    }

    const out = this.close()
    this.pending = { text: line, line: lineNo, offset }
    return out
  }

  /** After a failed parse: does this line carry on the open event's trace? */
  private continuesTrace(line: string, afterBlank: boolean): boolean {
    const trace = this.trace
    if (trace === null) {
      // A header line followed by the trace it logged (logback + exception, logging.exception + Traceback).
      // Tomcat's "… threw exception […] with root cause" prints its root cause after a blank line: still its own.
      return traceStart(line) !== null && (!afterBlank || (this.open?.kind === 'app' && ANNOUNCES_TRACE.test(this.open.message)))
    }
    if (isPythonChainLine(line)) return true
    if (trace.chainPending && line.startsWith('Traceback (most recent call last)')) return true
    if (trace.lang === 'go' && isGoTraceLine(line)) return true
    if (afterBlank) return false
    if (trace.lang === 'python' && !trace.ended) return true
    return trace.lastLine.endsWith('nested exception is:') || trace.lastLine === DART_UNHANDLED
  }

  private start(event: EvidenceEvent): void {
    if (event.kind === 'request') return
    this.open = event
    this.trace = null
  }

  /** Opens an app event whose first line is a trace line (no log header before it). */
  private startTrace(text: string, lineNo: number, offset: number, lang: TraceLanguage): void {
    const header = text.trim()
    const exception = exceptionFromLine(header)
    const event = appEvent(lineNo, offset, {
      time: this.lastTime,
      level: 'error',
      message: header,
      errorType: exception?.type ?? null,
      errorMessage: exception?.message ?? null
    })
    this.open = event
    this.trace = { lang, ended: false, typeFromTrace: exception !== null, chainPending: false, lastLine: header }
    this.appendStack(text)
  }

  private fold(line: string): void {
    const open = this.open
    if (open === null) return
    const blanks = this.blankLines.length
    open.lines += blanks + 1
    this.blankLines = []
    this.blankOffsets = []
    const trimmed = line.trim()
    if (open.kind === 'proxy-error') {
      if (open.message.length < MESSAGE_LIMIT) open.message += '\n' + line
      return
    }
    let trace = this.trace
    if (trace === null) {
      if (!this.isTraceLine(line)) {
        if (open.message.length < MESSAGE_LIMIT) open.message += '\n' + line
        return
      }
      const lang = traceStart(line) ?? frameLanguage(line)
      trace = { lang, ended: false, typeFromTrace: false, chainPending: false, lastLine: '' }
      this.trace = trace
      if (open.errorType === null) {
        const exception = exceptionFromLine(trimmed)
        if (exception !== null) {
          open.errorType = exception.type
          open.errorMessage = exception.message
          trace.typeFromTrace = true
        }
      }
    } else if (trace.lang === 'python' && !isIndented(line)) {
      this.readPythonLine(open, trace, trimmed)
    } else if (trace.lastLine === DART_UNHANDLED && open.errorType === null) {
      const exception = exceptionFromLine(trimmed)
      open.errorType = exception?.type ?? null
      open.errorMessage = exception === null ? trimmed : exception.message
    } else if (trace.lang === 'go' && open.errorType === null && line.startsWith('panic: ')) {
      const exception = exceptionFromLine(trimmed)
      if (exception !== null) open.errorType = exception.type
      if (exception !== null) open.errorMessage = exception.message
    }
    for (let i = 0; i < blanks; i++) this.appendStack('')
    this.appendStack(line)
    trace.lastLine = trimmed
  }

  private readPythonLine(open: AppEvent, trace: TraceState, trimmed: string): void {
    if (isPythonChainLine(trimmed)) {
      trace.chainPending = true
      trace.ended = false
      return
    }
    if (trimmed.startsWith('Traceback (')) {
      trace.chainPending = false
      trace.ended = false
      return
    }
    if (trace.ended) return
    trace.ended = true
    const exception = exceptionFromLine(trimmed)
    if (exception !== null && (open.errorType === null || trace.typeFromTrace)) {
      open.errorType = exception.type
      open.errorMessage = exception.message
      trace.typeFromTrace = true
    }
  }

  private isTraceLine(line: string): boolean {
    return isFrameLine(line) || traceStart(line) !== null || isPythonChainLine(line) || (line.startsWith('goroutine ') && isGoTraceLine(line))
      || (!isIndented(line) && isGoTraceLine(line) && !line.includes(' '))
  }

  private appendStack(text: string): void {
    if (this.stackChars >= STACK_LIMIT) return
    this.stackParts.push(text)
    this.stackChars += text.length + 1
  }

  /** Emits the open event (and any held unparsed line), in file order. */
  private close(): FoldedItem[] {
    const out: FoldedItem[] = []
    const open = this.open
    if (open !== null) {
      open.lines += this.blankLines.length
      if (open.kind === 'app') {
        if (this.stackParts.length > 0) {
          const folded = this.stackParts.join('\n')
          open.stack = open.stack === null ? folded : `${open.stack}\n${folded}`
          if (open.level === null && this.trace !== null) open.level = 'error'
        }
      }
      if (open.time === null) open.time = this.lastTime
      else this.lastTime = open.time
      out.push(open)
      this.open = null
      this.trace = null
      this.stackParts = []
      this.stackChars = 0
    } else if (this.pending !== null) {
      out.push(unparsedLine(this.pending.text, this.pending.line, this.pending.offset))
      this.pending = null
      for (let i = 0; i < this.blankLines.length; i++) out.push(unparsedLine('', this.blankLines[i], this.blankOffsets[i]))
    }
    this.blankLines = []
    this.blankOffsets = []
    return out
  }
}
