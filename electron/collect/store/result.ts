/** The IngestResult pieces every store adapter builds the same way. */
import { emptyImpactData } from '../../../shared/analysis/impact'
import { emptyLifecycle } from '../../../shared/analysis/deploys/lifecycle'
import { InstanceCounts, type InstanceStats } from '../../../shared/analysis/instances'
import type { FieldMap } from '../../../shared/model/evidence'
import type { IngestResult } from '../ingest'

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

