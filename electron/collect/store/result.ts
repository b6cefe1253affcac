/** The IngestResult pieces every store adapter builds the same way. */
import { emptyImpactData } from '../../../shared/analysis/impact'
import { emptyLifecycle } from '../../../shared/analysis/deploys/lifecycle'
import { InstanceCounts, type InstanceStats } from '../../../shared/analysis/instances'
import type { FieldMap } from '../../../shared/model/evidence'
import { IngestAccumulator, type IngestResult } from '../ingest'
import type { LineParser } from '../formats'
import { unparsedLine } from '../formats/events'

/** The engine's rows per instance, bounded as a file's are (the rest share one row). */
export function instanceStats(rows: InstanceStats[]): InstanceStats[] {
  const counts = new InstanceCounts()
  counts.merge(rows)
  return counts.toData()
}

export function emptyResult(format: string, fieldMap: FieldMap, rows: number, timeFrom: number | null, timeTo: number | null): IngestResult {
  return {
    format,
    fieldMap: Object.keys(fieldMap).length > 0 ? fieldMap : null,
    lifecycle: emptyLifecycle(),
    lines: rows,
    events: rows,
    eventLines: rows,
    directiveLines: 0,
    unparsed: 0,
    longLines: 0,
    invalidUtf8Lines: 0,
    appEvents: 0,
    timeFrom,
    timeTo,
    requests: { requests: 0, undatedRequests: 0, statusCounts: {}, seconds: [], routes: [], failing: [], failingSeen: 0, instances: [], impact: emptyImpactData() },
    errorEvents: [],
    errorEventsSeen: 0,
    proxyErrors: [],
    proxyErrorsSeen: 0,
    unparsedSamples: [],
    errorGroups: [],
    groupLocations: {},
    requestShaped: { sampled: 0, shaped: 0 }
  }
}


/**
 * The sample's shapes, read as the file reader reads its first lines. With no parser the rows are
 * counted unread (so the verdict says the evidence is unreadable, never an all-clear) and the
 * warning names what to map. Returns whether the result still needs the engine's counts.
 */
export function readSample(base: IngestResult, sample: string[], parser: LineParser | null, noun: 'rows' | 'documents' | 'lines', label: string, warnings: string[]): boolean {
  if (parser !== null) {
    const acc = new IngestAccumulator()
    sample.forEach((line, i) => acc.add(parser.parse(line, i + 1, 0) ?? unparsedLine(line, i + 1, 0)))
    base.requestShaped = { ...acc.requestShaped }
  }
  if (base.lines === 0) return false
  if (parser !== null) return true
  base.unparsed = base.lines
  base.eventLines = 0
  base.events = 0
  base.unparsedSamples = sample.slice(0, 20).map((line, i) => unparsedLine(line, i + 1, 0))
  warnings.push(`${label}: ${noun} read as no known log shape; map the fields (time, status, method, path, level, message)`)
  return false
}
