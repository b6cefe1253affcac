import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import type { AnalysisV1 } from '../../shared/contract/analysis'
import { mergeResults, type IngestResult } from './ingest'
import { readLogFile, type ReadOptions } from './read-file'
import { inspectSourceFile } from './source-file'

export interface SourceReading {
  path: string
  result: IngestResult
}

/** Reads every log file (each with its own detected format) for a one-shot analysis. */
export async function readLogFiles(paths: string[], opts: Pick<ReadOptions, 'workers'> = {}): Promise<SourceReading[]> {
  const out: SourceReading[] = []
  for (const p of paths) {
    const info = await inspectSourceFile(p)
    out.push({ path: p, result: await readLogFile(info, opts) })
  }
  return out
}

const isoOrNull = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

/** The analysis document; fields whose issue has not landed yet stay null or []. */
export function buildAnalysis(readings: SourceReading[], _deploys: DeployEvent[], _health: HealthSample[]): AnalysisV1 {
  const all = readings.length > 0 ? mergeResults(readings.map((r) => r.result)) : null
  const statusCounts: Record<string, number> = { '500': 0, '502': 0, '503': 0, '504': 0 }
  for (const [s, n] of Object.entries(all?.requests.statusCounts ?? {})) statusCounts[s] = n
  const from = isoOrNull(all?.timeFrom ?? null)
  const to = isoOrNull(all?.timeTo ?? null)
  return {
    schema: 'triage500.analysis/v1',
    window: from !== null && to !== null ? { from, to } : null,
    sources: readings.map((r) => ({ path: r.path, format: r.result.format, lines: r.result.lines, events: r.result.events, unparsed: r.result.unparsed })),
    requests: all?.requests.requests ?? 0,
    statusCounts,
    verdict: null,
    suspectDeploy: null,
    dependency: null,
    missingConfig: [],
    endpoint: null,
    intermittent: null,
    errorGroups: [],
    replay: null
  }
}
