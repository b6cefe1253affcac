import type { IngestResult } from './ingest'
import { readLogFile, type ReadOptions } from './read-file'
import { inspectSourceFile } from './source-file'

export interface SourceReading {
  path: string
  result: IngestResult
}

/** Reads every log file (each with its own detected format), for tests and benchmarks of the readers. */
export async function readLogFiles(paths: string[], opts: Pick<ReadOptions, 'workers' | 'format' | 'fieldMap'> = {}): Promise<SourceReading[]> {
  const out: SourceReading[] = []
  for (const p of paths) {
    const info = await inspectSourceFile(p)
    out.push({ path: p, result: await readLogFile(info, opts) })
  }
  return out
}
