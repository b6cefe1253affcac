import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import type { AnalysisSnapshot, AnalysisV1 } from '../../shared/contract/analysis'
import { analyze } from '../../shared/analysis/verdict'
import type { IngestResult } from './ingest'
import { analysisInput } from './analysis-input'
import { readLogFile, type ReadOptions } from './read-file'
import { inspectSourceFile } from './source-file'

export interface SourceReading {
  path: string
  result: IngestResult
}

/** Reads every log file (each with its own detected format) for a one-shot analysis. */
export async function readLogFiles(paths: string[], opts: Pick<ReadOptions, 'workers' | 'format' | 'fieldMap'> = {}): Promise<SourceReading[]> {
  const out: SourceReading[] = []
  for (const p of paths) {
    const info = await inspectSourceFile(p)
    out.push({ path: p, result: await readLogFile(info, opts) })
  }
  return out
}

/** The whole analysis (verdict, findings, timeline, routes…): what the session and the report show. */
export function buildAnalysisSnapshot(readings: SourceReading[], deploys: DeployEvent[], health: HealthSample[], now?: number): AnalysisSnapshot {
  return analyze(analysisInput(readings, deploys, health, now))
}

/** The `analyze --format json` document (schema triage500.analysis/v1). */
export function buildAnalysis(readings: SourceReading[], deploys: DeployEvent[], health: HealthSample[]): AnalysisV1 {
  return buildAnalysisSnapshot(readings, deploys, health).v1
}
