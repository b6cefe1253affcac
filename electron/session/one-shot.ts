import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import type { SourceInfo, StoreSourceSpec } from '../../shared/contract'
import type { StoreAdapter, StoreKind } from '../collect/store'
import type { Runbook } from '../../shared/contract/runbook'
import type { DeployEvent, FieldMap, HealthSample, LogFormatId } from '../../shared/model/evidence'
import { UserError } from './errors'
import { SessionService } from './service'

export interface OneShotRequest {
  /** Absolute paths of the log files. */
  paths: string[]
  /** Central log stores read beside (or instead of) the files: each one window, read once. */
  stores?: StoreSourceSpec[]
  /** Store adapters by kind instead of the built-in ones (tests). */
  storeAdapters?: Partial<Record<StoreKind, StoreAdapter>>
  /** Read every file as this format instead of detecting it. */
  format: LogFormatId | null
  fieldMap: FieldMap | null
  workers?: number
  deploys: DeployEvent[]
  health: HealthSample[]
}

export interface OneShotResult {
  snapshot: AnalysisSnapshot
  /** The session's runbook for that analysis (no step worked yet): what the report shows. */
  runbook: Runbook
  /** Time spent reading and parsing, and analysing, for `--timings`. */
  readMs: number
  analysisMs: number
  /** The cards of the sources read (a store's says what it moved and what the engine scanned). */
  sources: SourceInfo[]
}

/** A source card's error (`name: why`) as one line naming the file by its full path, as a CLI names files. */
function fullPathError(name: string, filePath: string, error: string | null): string {
  const why = error === null ? 'could not be read' : error.startsWith(`${name}: `) ? error.slice(name.length + 2) : error
  return why.includes(filePath) ? why : `${filePath}: ${why}`
}

/**
 * Analyses log files and log stores (and recorded deploys and health samples) once, the way the app does: a
 * session that reads the files as sources, unfollowed, with "now" at the end of the evidence.
 * A file that cannot be read is a UserError naming it.
 */
export async function analyzeOnce(req: OneShotRequest): Promise<OneShotResult> {
  const session = new SessionService({
    follow: false,
    clock: 'evidence',
    ...(req.workers === undefined ? {} : { workers: req.workers }),
    ...(req.storeAdapters ? { storeAdapters: req.storeAdapters } : {})
  })
  try {
    const started = performance.now()
    await session.idle()
    session.targets.restore(req.deploys, req.health)
    for (const p of req.paths) await session.addSource({ path: p, ...(req.format ? { format: req.format } : {}), ...(req.fieldMap ? { fieldMap: req.fieldMap } : {}) })
    for (const store of req.stores ?? []) await session.addStore(store)
    await session.idle()
    const sources = (await session.getSnapshot({})).sources
    const failed = sources.find((s) => s.state === 'error')
    // A store's error already names the store (kind, URL without credentials) and what failed.
    if (failed) throw new UserError(failed.store ? (failed.error ?? `${failed.path}: could not be read`) : fullPathError(failed.name, failed.path, failed.error))
    const read = performance.now()
    const snapshot = await session.getAnalysis({})
    if (!snapshot) throw new UserError('nothing to analyse')
    const analysisMs = performance.now() - read
    return { snapshot, runbook: await session.getRunbook({}), readMs: read - started, analysisMs, sources }
  } finally {
    await session.close()
  }
}
