import { randomUUID } from 'node:crypto'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { ReadLinesResponse, SourceInfo, StoreSourceSpec } from '../../shared/contract'
import type { DeployEvent, FieldMap, HealthSample, LogFormatId } from '../../shared/model/evidence'
import { inspectSourceFile, resolveAppPath, SourceFileError, type SourceFileInfo } from '../collect/source-file'
import { readLinesAt } from '../collect/line-index'
import type { IngestResult } from '../collect/ingest'
import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import { buildAnalysisSnapshot } from './analysis'
import type { ScanTargets, SeenExtent, SourceHost, SourceSetHooks } from './source-host-api'
import { UserError } from './errors'
import { LogSource } from './log-source'
import { StoreSource, storeSourcePath } from './store-source'
import { storeAdapter, type StoreAdapter, type StoreKind } from '../collect/store'
import type { KeychainLookup } from '../collect/store/credentials'
import type { ScanTarget } from './explore'
import { SecondIndex } from '../../shared/analysis/verdict/second-index'

export type { ScanTargets, SeenExtent, SourceSetHooks } from './source-host-api'

/** A source's counters before anything was read. */
function freshCounts(sizeBytes: number): Omit<SourceInfo, 'id' | 'path' | 'name' | 'addedAt' | 'format' | 'formatForced' | 'fieldMapForced'> {
  return { sizeBytes, lines: 0, events: 0, eventLines: 0, directiveLines: 0, unparsed: 0, longLines: 0, behindBytes: 0, state: 'reading', bytesDone: 0, error: null, linesPerSec: 0, lastEventAt: null, note: null, fieldMap: null, unread: null, store: null }
}

export function nonEmpty(map: FieldMap | null | undefined): FieldMap | null {
  return map && Object.keys(map).length > 0 ? map : null
}

/** A source file's problems are the user's to fix: one line naming the file. */
async function inspect(filePath: string): Promise<SourceFileInfo> {
  try {
    return await inspectSourceFile(filePath)
  } catch (err) {
    if (err instanceof SourceFileError) throw new UserError(err.message)
    throw err
  }
}


const PROGRESS_INTERVAL_MS = 200

/** The incident's log files (read and followed) and central log stores (read, and refreshed when open-ended), by source id. */
export class SourceSet implements SourceHost {
  readonly remote = false
  /** Files and stores alike: every one has a card, a reading so far, and a stop. */
  private sources = new Map<string, LogSource | StoreSource>()
  private readonly pending = new Set<Promise<unknown>>()
  /** The sources' seconds merged and summed, kept so each analysis merges only what changed since the last. */
  private readonly secondIndex = new SecondIndex()

  constructor(
    private readonly hooks: SourceSetHooks,
    private readonly follow: boolean,
    private readonly workers?: number,
    /** Adapters by kind instead of the built-in ones (tests: a store that fails on purpose). */
    private readonly adapters?: Partial<Record<StoreKind, StoreAdapter>>,
    /** Resolves `keychain:` credentials (the desktop app's vault); none: they are refused in words. */
    private readonly keychain?: KeychainLookup
  ) {}

  has(id: string): boolean {
    return this.sources.has(id)
  }

  private files(): LogSource[] {
    return [...this.sources.values()].filter((s): s is LogSource => s instanceof LogSource)
  }

  /** Copies of every source's card. */
  infos(): SourceInfo[] {
    return [...this.sources.values()].map((s) => (s instanceof StoreSource ? { ...s.info, store: { ...s.info.store, warnings: [...s.info.store.warnings] } } : { ...s.info }))
  }

  /** What each source has read so far, for the verdict. */
  readings(): { path: string; result: IngestResult }[] {
    const out: { path: string; result: IngestResult }[] = []
    for (const s of this.sources.values()) {
      const r = s.result()
      if (r) out.push({ path: s.info.path, result: r })
    }
    return out
  }

  /** Starts reading a central log store; the spec holds a credential reference, never a secret. */
  async addStore(spec: StoreSourceSpec): Promise<SourceInfo> {
    const where = storeSourcePath(spec)
    for (const s of this.sources.values()) if (s.info.path === where) throw new UserError(`${where}: already added`)
    const info = StoreSource.card(randomUUID(), spec, new Date().toISOString())
    const source = new StoreSource(info, spec, { changed: () => this.hooks.changed() }, this.follow, this.adapters?.[spec.kind] ?? storeAdapter(spec.kind, this.keychain ? { keychain: this.keychain } : {}))
    this.sources.set(info.id, source)
    this.track(source.start())
    return { ...info, store: { ...info.store } }
  }

  /** The spec a store source was added with (to keep it with the incident). */
  storeSpec(id: string): StoreSourceSpec | null {
    const source = this.sources.get(id)
    return source instanceof StoreSource ? source.spec : null
  }

  async analyze(deploys: DeployEvent[], health: HealthSample[], now: number | undefined): Promise<AnalysisSnapshot | null> {
    const readings = this.readings()
    if (readings.length === 0 && deploys.length === 0 && health.length === 0) return null
    return Promise.resolve(buildAnalysisSnapshot(readings, deploys, health, now, this.secondIndex))
  }

  async close(): Promise<void> {
    await this.stopAll()
  }

  private get(id: string): LogSource {
    const source = this.sources.get(id)
    if (source instanceof StoreSource) throw new UserError(`${source.info.name} is a log store: it has no lines to page, pause or read again as another format`)
    if (!source) throw new UserError(`no source with id ${id}`)
    return source
  }

  /** Starts reading a new file; the path is the user's text (absolute, `~` allowed). */
  async add(req: { path: string; format?: LogFormatId; fieldMap?: FieldMap }): Promise<{ info: SourceInfo; file: SourceFileInfo }> {
    let filePath
    try {
      filePath = resolveAppPath(req.path)
    } catch (err) {
      if (err instanceof SourceFileError) throw new UserError(err.message)
      throw err
    }
    for (const s of this.files()) if (s.info.path === filePath) throw new UserError(`${filePath}: already added`)
    const file = await inspect(filePath)
    const info: SourceInfo = {
      id: randomUUID(),
      path: filePath,
      name: path.basename(filePath),
      addedAt: new Date().toISOString(),
      ...freshCounts(file.sizeBytes),
      format: req.format ?? null,
      formatForced: req.format !== undefined,
      fieldMapForced: nonEmpty(req.fieldMap)
    }
    this.start(info, file, req.format ?? null, info.fieldMapForced)
    return { info: { ...info }, file }
  }

  /** Reads a source again as `format` (null: detect) with the field roles given. */
  async reread(id: string, format: LogFormatId | null, fieldMap: FieldMap | null): Promise<SourceInfo> {
    const old = this.get(id)
    await old.stop()
    const file = await inspect(old.info.path)
    const info: SourceInfo = { ...old.info, ...freshCounts(file.sizeBytes), formatForced: format !== null, format, fieldMapForced: fieldMap }
    return { ...this.start(info, file, format, fieldMap).info }
  }

  /** Reads the file (whole, then followed) into the session under `info.id`. */
  private start(info: SourceInfo, file: SourceFileInfo, format: LogFormatId | null, fieldMap: FieldMap | null): LogSource {
    let lastProgress = 0
    const source = new LogSource(
      info,
      file,
      {
        changed: () => this.hooks.changed(),
        progress: (p) => {
          const now = Date.now()
          if (now - lastProgress < PROGRESS_INTERVAL_MS) return
          lastProgress = now
          this.hooks.progress(info.id, p)
        }
      },
      this.follow,
      format,
      fieldMap,
      this.workers
    )
    this.sources.set(info.id, source)
    this.track(source.start())
    return source
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p)
    void p.finally(() => this.pending.delete(p))
  }

  /** Resolves when every whole-file read started so far has finished. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending])
  }

  /** Stops and forgets a source; its card, for the journal. */
  async remove(id: string): Promise<SourceInfo> {
    const source = this.sources.get(id)
    if (!source) throw new UserError(`no source with id ${id}`)
    this.sources.delete(id)
    await source.stop()
    return { ...source.info }
  }

  async pause(id: string, paused: boolean): Promise<SourceInfo> {
    const source = this.get(id)
    if (paused) {
      if (source.info.state !== 'tailing') throw new UserError(`${source.info.name} is not being followed, so it cannot be paused`)
      await source.pause()
    } else await source.resume()
    return { ...source.info }
  }

  async readLines(id: string, fromLine: number, count: number): Promise<ReadLinesResponse> {
    const source = this.get(id)
    if (!source.base) throw new UserError(`${source.info.name} is still being read`)
    const { lines, eof } = await readLinesAt(source.file, source.index, fromLine, count)
    return { fromLine, lines, eof }
  }

  /** The sources a query can scan (read once, with a format), and why the others cannot be. */
  async scanTargets(): Promise<ScanTargets> {
    const targets: ScanTarget[] = []
    const skipped: { sourceId: string; name: string; reason: string }[] = []
    for (const s of this.files()) {
      const { info } = s
      if (!s.base) skipped.push({ sourceId: info.id, name: info.name, reason: info.state === 'error' ? (info.error ?? 'it could not be read') : 'it is still being read' })
      else if (!info.format || info.format === 'unknown') skipped.push({ sourceId: info.id, name: info.name, reason: 'no format reads it' })
      else targets.push({ id: info.id, name: info.name, path: info.path, file: s.file, format: info.format, fieldMap: info.fieldMap, lines: info.lines })
    }
    return { targets, skipped }
  }

  /**
   * Stops every tail (another incident opens, or the session closes) and forgets them; says how
   * much of each file was seen, so the incident remembers what was followed, not what was added.
   */
  async stopAll(): Promise<SeenExtent[]> {
    const files = this.files()
    const all = [...this.sources.values()]
    this.sources = new Map()
    await Promise.all(all.map((s) => s.stop()))
    return Promise.all(files.filter((s) => s.base !== null).map((s) => seenExtent(s.info.path, s.seenBytes())))
  }
}

async function seenExtent(filePath: string, sizeBytes: number): Promise<SeenExtent> {
  const st = await stat(filePath).catch(() => null)
  return { path: filePath, sizeBytes, mtimeMs: st !== null && st.size === sizeBytes ? st.mtimeMs : null }
}
