/**
 * What the session asks of the place its log sources live (this thread, or the live worker), and
 * the plain data that crosses between them. Its own module so the host and the source set both
 * import it without importing each other.
 */
import type { ReadLinesResponse, SourceInfo, StoreSourceSpec } from '../../shared/contract'
import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import type { DeployEvent, FieldMap, HealthSample, LogFormatId } from '../../shared/model/evidence'
import type { ReadProgress } from '../collect/read-file'
import type { SourceFileInfo } from '../collect/source-file'
import type { ScanTarget } from './explore'

export interface SourceSetHooks {
  changed(): void
  progress(sourceId: string, p: ReadProgress): void
}

/** How much of a log file a session saw: its size then, and its modification time when that is still its size. */
export interface SeenExtent {
  path: string
  sizeBytes: number
  /** null: the file changed after the last look (or is gone), so no time matches that size. */
  mtimeMs: number | null
}

/** The sources a query can scan, and why the others cannot be scanned. */
export interface ScanTargets {
  targets: ScanTarget[]
  skipped: { sourceId: string; name: string; reason: string }[]
}

/**
 * Where the incident's log files are read, followed and analysed: in this thread (tests, the
 * one-shot CLI) or on the live worker, so that parsing appended lines and re-running the verdict
 * never block the thread that answers the window and the WebSocket.
 */
export interface SourceHost {
  /** Whether analyses run beside this thread (the live worker), so a caller can be answered while one runs. */
  readonly remote: boolean
  has(id: string): boolean
  infos(): SourceInfo[]
  add(req: { path: string; format?: LogFormatId; fieldMap?: FieldMap }): Promise<{ info: SourceInfo; file: SourceFileInfo }>
  reread(id: string, format: LogFormatId | null, fieldMap: FieldMap | null): Promise<SourceInfo>
  idle(): Promise<void>
  remove(id: string): Promise<SourceInfo>
  pause(id: string, paused: boolean): Promise<SourceInfo>
  readLines(id: string, fromLine: number, count: number): Promise<ReadLinesResponse>
  /** Stops every tail and store refresh; says how much of each file was seen (the incident remembers it). */
  stopAll(): Promise<SeenExtent[]>
  /** Starts reading a central log store (the spec holds a credential reference, never a secret). */
  addStore(spec: StoreSourceSpec): Promise<SourceInfo>
  /** The sources a query can scan (read once, with a format), and why the others cannot be. */
  scanTargets(): Promise<ScanTargets>
  /** The analysis of what the sources read, with the pollers' deploys and health; null with no evidence at all. */
  analyze(deploys: DeployEvent[], health: HealthSample[], now: number | undefined): Promise<AnalysisSnapshot | null>
  /** Stops for good (the session closed). */
  close(): Promise<void>
}
