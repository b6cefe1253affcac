import type { AppEvent, FoldedItem, LogFormatId, ProxyErrorEvent, RequestEvent, UnparsedLine } from '../../shared/model/evidence'
import { normalizeRoute } from '../../shared/analysis/route'
import { unparsedLine } from './formats/events'
import { RequestAggregate, type RequestAggregateData } from '../../shared/analysis/aggregate'
import { ErrorGrouper, isErrorEvent, mergeErrorGroups, type ErrorGroup } from '../../shared/analysis/groups'
import { createParser, DETECT_SAMPLE_LINES, detectFormat, EventFolder, type FieldMap } from './formats'
import { looksLikeRequestLine } from './formats/request-shape'
import { LineSplitter, type LineStats } from './lines'
import { LineIndex, type LineIndexSegment } from './line-index'
import { LifecycleCollector, mergeLifecycles, type LogLifecycle } from '../../shared/analysis/deploys/lifecycle'

export const MAX_KEPT_APP_EVENTS = 20_000
export const MAX_KEPT_PROXY_ERRORS = 20_000
export const MAX_UNPARSED_SAMPLES = 200


/** What reading one file (or one worker's share of it) yields: counters plus bounded samples. */
export interface IngestResult {
  format: LogFormatId
  /** The field map the format was read with (inferred, or corrected by the user); null for fixed layouts. */
  fieldMap: FieldMap | null
  lines: number
  /** Events read (requests, app events, proxy errors). */
  events: number
  /** Physical lines inside those events: each event's first line and every line folded into it. */
  eventLines: number
  /** Lines read as the format's directives (W3C `#Fields:`): read, but no event. */
  directiveLines: number
  /** Lines no format read. Every line is counted once: lines = eventLines + directiveLines + unparsed. */
  unparsed: number
  longLines: number
  invalidUtf8Lines: number
  appEvents: number
  timeFrom: number | null
  timeTo: number | null
  requests: RequestAggregateData
  errorEvents: AppEvent[]
  errorEventsSeen: number
  proxyErrors: ProxyErrorEvent[]
  proxyErrorsSeen: number
  unparsedSamples: UnparsedLine[]
  /** Distinct failures (fingerprints and templates) of every error event, not just the kept ones. */
  errorGroups: ErrorGroup[]
  /** Where each group's sample event was read: the file and its first line. */
  groupLocations: Record<string, { path: string; line: number }>
  /**
   * Of the first REQUEST_SHAPE_SAMPLE lines that were not read as requests (app events or
   * unparsed), how many carry an HTTP request line and status: a file full of those with no
   * request read is an access log read wrong (HAProxy taken as syslog), not a quiet one.
   */
  requestShaped: { sampled: number; shaped: number }
  /** What the app's own lines say of its lifecycle: starts (banners), version changes, migrations (bounded). */
  lifecycle: LogLifecycle
}

/** How many non-request lines per file are looked at for request shapes (bounded: never per line). */
export const REQUEST_SHAPE_SAMPLE = 200

/** What a source card shows of a reading: its scalars, cheap to take while lines stream in. */
export type IngestCounts = Pick<
  IngestResult,
  'format' | 'fieldMap' | 'lines' | 'events' | 'eventLines' | 'directiveLines' | 'unparsed' | 'longLines' | 'timeFrom' | 'timeTo' | 'requestShaped'
> & { requests: number }

export function countsOf(r: IngestResult): IngestCounts {
  const { format, fieldMap, lines, events, eventLines, directiveLines, unparsed, longLines, timeFrom, timeTo, requestShaped } = r
  return { format, fieldMap, lines, events, eventLines, directiveLines, unparsed, longLines, timeFrom, timeTo, requestShaped, requests: r.requests.requests }
}

/** The counts of a reading followed by another of the same source (format and field map: the first's). */
export function addCounts(a: IngestCounts, b: IngestCounts): IngestCounts {
  return {
    ...a,
    lines: a.lines + b.lines,
    events: a.events + b.events,
    eventLines: a.eventLines + b.eventLines,
    directiveLines: a.directiveLines + b.directiveLines,
    unparsed: a.unparsed + b.unparsed,
    longLines: a.longLines + b.longLines,
    requests: a.requests + b.requests,
    timeFrom: minOf(a.timeFrom, b.timeFrom),
    timeTo: maxOf(a.timeTo, b.timeTo),
    requestShaped: mergeShapes(a.requestShaped, b.requestShaped)
  }
}

/** Request-shape samples of two readings: the first's, topped up from the second's in proportion. */
function mergeShapes(a: IngestResult['requestShaped'], b: IngestResult['requestShaped']): IngestResult['requestShaped'] {
  const out = { ...a }
  const room = REQUEST_SHAPE_SAMPLE - out.sampled
  if (room > 0 && b.sampled > 0) {
    const take = Math.min(room, b.sampled)
    out.sampled += take
    out.shaped += Math.round((b.shaped * take) / b.sampled)
  }
  return out
}

/**
 * Folds items into an IngestResult. Used line by line for whole files, for tailed appends and
 * inside worker threads; `onItem` sees every event for consumers that want them all.
 */
export class IngestAccumulator {
  /** Replaced once, before any line, when the pipeline continues an earlier read's aggregate. */
  aggregate = new RequestAggregate()
  events = 0
  eventLines = 0
  directiveLines = 0
  unparsed = 0
  appEvents = 0
  timeFrom: number | null = null
  timeTo: number | null = null
  readonly errorEvents: AppEvent[] = []
  errorEventsSeen = 0
  readonly proxyErrors: ProxyErrorEvent[] = []
  proxyErrorsSeen = 0
  readonly unparsedSamples: UnparsedLine[] = []
  readonly requestShaped = { sampled: 0, shaped: 0 }
  private readonly grouper = new ErrorGrouper()
  private readonly lifecycle: LifecycleCollector

  constructor(
    private readonly onItem?: (item: FoldedItem) => void,
    private readonly sourceKey = ''
  ) {
    this.lifecycle = new LifecycleCollector(sourceKey)
  }

  private seeTime(t: number | null): void {
    if (t === null) return
    if (this.timeFrom === null || t < this.timeFrom) this.timeFrom = t
    if (this.timeTo === null || t > this.timeTo) this.timeTo = t
  }

  add(item: FoldedItem): void {
    this.onItem?.(item)
    switch (item.kind) {
      case 'request':
        this.events++
        this.eventLines += item.lines
        this.aggregate.addRequest(item)
        this.seeTime(item.time)
        return
      case 'app':
        this.events++
        this.eventLines += item.lines
        this.appEvents++
        this.sampleShape(item.message)
        this.seeTime(item.time)
        this.lifecycle.addEvent(item)
        if (item.method !== null && item.path !== null && item.status !== null) this.aggregate.addRequest(servedRequest(item, item.method, item.path, item.status))
        if (isErrorEvent(item)) {
          this.grouper.add(item, this.sourceKey)
          this.errorEventsSeen++
          this.aggregate.addAppError(item.time)
          this.aggregate.instances.addAppEvent(item.instance, true)
          if (this.errorEvents.length < MAX_KEPT_APP_EVENTS) this.errorEvents.push(item)
        } else this.aggregate.instances.addAppEvent(item.instance, false)
        return
      case 'proxy-error':
        this.events++
        this.eventLines += item.lines
        this.seeTime(item.time)
        this.proxyErrorsSeen++
        this.grouper.add(item, this.sourceKey)
        if (this.proxyErrors.length < MAX_KEPT_PROXY_ERRORS) this.proxyErrors.push(item)
        return
      case 'directive':
        // Read (a W3C `#Fields:` line) but no event.
        this.directiveLines += item.lines
        return
      case 'unparsed':
        this.unparsed += item.lines
        this.sampleShape(item.text)
        // Banners of stacks whose startup lines no format reads (Puma's `* Version`, a bare `Listening on`).
        this.lifecycle.addUnparsed(item.text, item.line)
        if (this.unparsedSamples.length < MAX_UNPARSED_SAMPLES) this.unparsedSamples.push(item)
        return
    }
  }

  private sampleShape(text: string): void {
    if (this.requestShaped.sampled >= REQUEST_SHAPE_SAMPLE) return
    this.requestShaped.sampled++
    if (looksLikeRequestLine(text)) this.requestShaped.shaped++
  }

  counts(format: LogFormatId, stats: LineStats, fieldMap: FieldMap | null, seededRequests: number): IngestCounts {
    return {
      format,
      fieldMap,
      lines: stats.lines,
      events: this.events,
      eventLines: this.eventLines,
      directiveLines: this.directiveLines,
      unparsed: this.unparsed,
      longLines: stats.longLines,
      requests: this.aggregate.requests - seededRequests,
      timeFrom: this.timeFrom,
      timeTo: this.timeTo,
      requestShaped: { ...this.requestShaped }
    }
  }

  result(format: LogFormatId, stats: LineStats, fieldMap: FieldMap | null = null): IngestResult {
    const errorGroups = this.grouper.groups(null)
    const groupLocations: IngestResult['groupLocations'] = {}
    for (const g of errorGroups) {
      const at = this.grouper.sampleLocation(g.id)
      if (at) groupLocations[g.id] = { path: at.sourceId, line: at.line }
    }
    return {
      format,
      fieldMap,
      lines: stats.lines,
      events: this.events,
      eventLines: this.eventLines,
      directiveLines: this.directiveLines,
      unparsed: this.unparsed,
      longLines: stats.longLines,
      invalidUtf8Lines: stats.invalidUtf8Lines,
      appEvents: this.appEvents,
      timeFrom: this.timeFrom,
      timeTo: this.timeTo,
      requests: this.aggregate.toData(),
      errorEvents: this.errorEvents,
      errorEventsSeen: this.errorEventsSeen,
      proxyErrors: this.proxyErrors,
      proxyErrorsSeen: this.proxyErrorsSeen,
      unparsedSamples: this.unparsedSamples,
      errorGroups,
      groupLocations,
      requestShaped: { ...this.requestShaped },
      lifecycle: this.lifecycle.result()
    }
  }
}

/**
 * An app event that records a request it served (method, path and status: a Rails request block,
 * a JSON log line with an error and a status) counts as that request too.
 */
function servedRequest(e: AppEvent, method: string, path: string, status: number): RequestEvent {
  return {
    kind: 'request',
    line: e.line,
    lines: e.lines,
    offset: e.offset,
    time: e.time,
    method,
    path,
    route: normalizeRoute(path),
    status,
    bytes: null,
    durationMs: null,
    requestId: e.requestId,
    client: null,
    userAgent: null,
    upstreamStatus: null,
    instance: e.instance
  }
}

/**
 * Merges results of parts of one file (in file order) or of several files. `requests`, when
 * given, is their request aggregate already merged (a tail that continued the aggregate of the
 * read before it); one part's aggregate is taken as it is.
 */
export function mergeResults(parts: IngestResult[], requests?: RequestAggregateData): IngestResult {
  const [first, ...rest] = parts
  const out: IngestResult = {
    ...first,
    errorEvents: [...first.errorEvents],
    proxyErrors: [...first.proxyErrors],
    unparsedSamples: [...first.unparsedSamples],
    requestShaped: { ...first.requestShaped }
  }
  for (const p of rest) {
    out.lines += p.lines
    out.events += p.events
    out.eventLines += p.eventLines
    out.directiveLines += p.directiveLines
    out.unparsed += p.unparsed
    out.longLines += p.longLines
    out.invalidUtf8Lines += p.invalidUtf8Lines
    out.appEvents += p.appEvents
    out.timeFrom = minOf(out.timeFrom, p.timeFrom)
    out.timeTo = maxOf(out.timeTo, p.timeTo)
    out.errorEventsSeen += p.errorEventsSeen
    out.proxyErrorsSeen += p.proxyErrorsSeen
    out.errorEvents.push(...p.errorEvents.slice(0, MAX_KEPT_APP_EVENTS - out.errorEvents.length))
    out.proxyErrors.push(...p.proxyErrors.slice(0, MAX_KEPT_PROXY_ERRORS - out.proxyErrors.length))
    out.unparsedSamples.push(...p.unparsedSamples.slice(0, MAX_UNPARSED_SAMPLES - out.unparsedSamples.length))
    out.requestShaped = mergeShapes(out.requestShaped, p.requestShaped)
  }
  out.requests = requests ?? RequestAggregate.mergeData(parts.map((p) => p.requests))
  out.errorGroups = mergeErrorGroups(parts.map((p) => p.errorGroups))
  out.lifecycle = mergeLifecycles(parts.map((p) => p.lifecycle))
  out.groupLocations = Object.assign({}, ...[...parts].reverse().map((p) => p.groupLocations)) as IngestResult['groupLocations']
  return out
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b))
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))

/**
 * Streams lines through detection, parsing and folding. Detection waits for the first
 * DETECT_SAMPLE_LINES lines (or the end of input), then replays them.
 */
export class LinePipeline {
  private readonly splitter: LineSplitter
  private folder: EventFolder | null = null
  private format: LogFormatId | null
  private fieldMap: FieldMap | null
  /** Detect again while the format is unknown (a followed file that started empty or unreadable). */
  private readonly redetect: boolean
  private readonly sample: { text: string; lineNo: number; offset: number }[] = []
  readonly acc: IngestAccumulator
  /** Offsets of every LINE_INDEX_STRIDE-th line, so any line can be paged from disk later. */
  readonly index: LineIndexSegment
  /** Lines seen, whether split here or handed over already split (a tail). */
  private linesSeen = 0
  /** Lines handed over already split that their splitter cut at its cap. */
  private cutHandedOver = 0
  private seededRequests = 0
  private readonly onSplitLine = (text: string, lineNo: number, offset: number): void => {
    this.linesSeen++
    LineIndex.note(this.index, lineNo, offset)
    this.onLine(text, lineNo, offset)
  }
  private readonly onLine = (text: string, lineNo: number, offset: number): void => {
    if (this.folder === null) {
      this.sample.push({ text, lineNo, offset })
      if (this.sample.length >= DETECT_SAMPLE_LINES) this.startFolding()
      return
    }
    const items = this.folder.push(text, lineNo, offset)
    for (let i = 0; i < items.length; i++) this.acc.add(items[i])
  }

  constructor(opts: {
    format?: LogFormatId | null
    /** Roles the user (or an earlier detection) assigned to fields; detection's inference fills the rest. */
    fieldMap?: FieldMap | null
    /** Keep detecting while the format is `unknown` instead of settling on it. */
    redetect?: boolean
    startLine?: number
    startOffset?: number
    onItem?: (item: FoldedItem) => void
    maxLineBytes?: number
    /** Names the source in error-group samples. */
    sourceKey?: string
    /**
     * The request aggregate of the read this pipeline continues (a tail after the whole-file
     * read): its snapshot's `requests` then covers both, and `counts()` still only its own lines.
     */
    continueRequests?: RequestAggregateData
  }) {
    this.splitter = new LineSplitter({ startLine: opts.startLine, startOffset: opts.startOffset, maxLineBytes: opts.maxLineBytes })
    this.format = opts.format ?? null
    this.fieldMap = opts.fieldMap ?? null
    this.redetect = opts.redetect === true && this.format === null
    this.acc = new IngestAccumulator(opts.onItem, opts.sourceKey)
    if (opts.continueRequests) {
      this.acc.aggregate = RequestAggregate.adopt(opts.continueRequests)
      this.seededRequests = opts.continueRequests.requests
    }
    this.index = { firstLine: opts.startLine ?? 1, offsets: [opts.startOffset ?? 0] }
    if (this.format !== null) this.folder = new EventFolder(createParser(this.format, this.fieldMap ?? undefined))
  }

  private startFolding(): void {
    if (this.format === null) {
      const detection = detectFormat(this.sample.map((s) => s.text))
      if (detection.format === 'unknown' && this.redetect) {
        // Nothing readable yet: these lines stay unparsed (counted), and the next ones are tried again.
        for (const s of this.sample.splice(0)) this.acc.add(unparsedLine(s.text, s.lineNo, s.offset))
        return
      }
      this.format = detection.format
      this.fieldMap = { ...detection.fieldMap, ...this.fieldMap }
    }
    this.folder = new EventFolder(createParser(this.format, this.fieldMap ?? undefined))
    const buffered = this.sample.splice(0)
    for (const s of buffered) this.onLine(s.text, s.lineNo, s.offset)
  }

  push(chunk: Buffer): void {
    this.splitter.push(chunk, this.onSplitLine)
  }

  /** Feeds already-split lines (the tailer's output); `cut`: the splitter cut it at its cap. */
  pushLine(text: string, lineNo: number, offset: number, cut = false): void {
    if (cut) this.cutHandedOver++
    this.onSplitLine(text, lineNo, offset)
  }

  /** Emits what folding still holds (a trace at the end of input). */
  flush(): void {
    if (this.folder === null) this.startFolding()
    for (const item of this.folder?.flush() ?? []) this.acc.add(item)
  }

  /**
   * End of input. With `holdPartialLastLine` an unterminated last line is left unread (a writer
   * may still be completing it): the follow-up tail starts at `resumeAt()` and reads it whole.
   */
  end(holdPartialLastLine = false): IngestResult {
    if (!holdPartialLastLine) this.splitter.end(this.onSplitLine)
    this.flush()
    return this.snapshot()
  }

  /** Counters so far, without ending (a live tail). */
  snapshot(): IngestResult {
    return this.acc.result(this.detected(), this.stats, this.fieldMap !== null && Object.keys(this.fieldMap).length > 0 ? this.fieldMap : null)
  }

  /** This pipeline's own counters (not the continued read's), without building a snapshot. */
  counts(): IngestCounts {
    return this.acc.counts(this.detected(), this.stats, this.fieldMap !== null && Object.keys(this.fieldMap).length > 0 ? this.fieldMap : null, this.seededRequests)
  }

  /** Where a follow-up read continues: the byte after the last complete line, and its line number. */
  resumeAt(): { offset: number; line: number } {
    return { offset: this.splitter.committedOffset, line: this.splitter.nextLine }
  }

  detected(): LogFormatId {
    return this.format ?? 'unknown'
  }

  get stats(): LineStats {
    const own = this.splitter.stats
    return { ...own, lines: this.linesSeen, longLines: own.longLines + this.cutHandedOver }
  }
}
