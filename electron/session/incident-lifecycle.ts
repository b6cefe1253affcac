import type { AddTargetRequest, IncidentState, IncidentSummary } from '../../shared/contract'
import type { DeployEvent, FieldMap, HealthSample, LogFormatId } from '../../shared/model/evidence'
import { UserError } from './errors'
import { IncidentRecord, type IncidentStorage } from './incident'
import { sourceEntry } from './store/entries'
import { removeUploadFolders, uploadFoldersOf } from './uploads'
import type { SeenExtent } from './sources'

type SourceRecord = IncidentState['sources'][number]

/** A stored incident as reopened: its state, samples and what was wrong with them, in words. */
export interface OpenedIncident {
  state: IncidentState
  samples: { deploys: DeployEvent[]; health: HealthSample[] }
  problems: string[]
}

/**
 * Which incident is open and its record on disk: creating, opening, listing and deleting
 * incidents, and keeping incident.json's list of sources and targets as they come and go.
 */
export class IncidentLifecycle {
  private record: IncidentRecord | null = null

  constructor(
    private readonly storage: IncidentStorage,
    /** Browser mode's upload folder: the uploads an incident's sources live in go when it is deleted. */
    private readonly uploadDir: string | null
  ) {}

  get current(): IncidentRecord {
    if (!this.record) throw new Error('no incident is open yet')
    return this.record
  }

  /** The incident to open on start: the last one used (opened or created), else the most recent open one. */
  async initialId(): Promise<string | null> {
    const used = await this.storage.lastUsedId()
    if (used) return used
    const open = (await this.storage.list()).filter((i) => i.closedAt === null).sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    return open[0]?.id ?? null
  }

  async create(): Promise<IncidentState> {
    const state = await this.storage.create()
    this.record = new IncidentRecord(state, (await this.storage.open(state.id)).journal, this.storage)
    await this.storage.markUsed(state.id)
    return state
  }

  /** Makes a stored incident the open one; the caller restarts its sources and targets. */
  async open(id: string): Promise<OpenedIncident> {
    const { state, journal, problems } = await this.storage.open(id)
    this.record = new IncidentRecord(state, journal, this.storage)
    await this.storage.markUsed(id)
    const samples = await this.storage.readSamples(id)
    // open() already says which logs moved or changed: saying it again would say "grew by" twice.
    return { state, samples, problems: [...problems, ...(samples.problems ?? [])] }
  }

  /** Checks an incident can be opened before the open one is let go. */
  async check(id: string): Promise<void> {
    await this.storage.open(id)
  }

  /** Where the open incident keeps copies of evidence that would otherwise vanish; null without a folder. */
  evidenceDir(): string | null {
    return this.storage.evidenceDir(this.current.state.id)
  }

  list(): Promise<IncidentSummary[]> {
    return this.storage.list()
  }

  async delete(id: string): Promise<void> {
    if (id === this.current.state.id) throw new UserError('close or switch away from the open incident before deleting it')
    const uploads = this.uploadDir === null ? [] : uploadFoldersOf((await this.storage.open(id)).state.sources, this.uploadDir)
    await this.storage.delete(id)
    if (this.uploadDir !== null) await removeUploadFolders(uploads, uploadFoldersOf(this.current.state.sources, this.uploadDir))
  }

  appendSample(kind: 'health' | 'deploys', sample: HealthSample | DeployEvent): Promise<void> {
    return this.storage.appendSample(this.current.state.id, kind, sample)
  }

  async reopenedWithProblems(problems: string[]): Promise<void> {
    await this.current.log({ at: new Date().toISOString(), kind: 'incident', text: `Reopened with problems: ${problems.join('; ')}`, data: { problems } })
  }

  async sourceAdded(record: SourceRecord): Promise<void> {
    this.current.state.sources.push(record)
    await this.current.save()
    await this.current.log(sourceEntry('added', record))
  }

  async sourceRemoved(filePath: string): Promise<void> {
    const state = this.current.state
    const record = state.sources.find((s) => s.path === filePath)
    state.sources = state.sources.filter((s) => s.path !== filePath)
    await this.current.save()
    if (record) await this.current.log(sourceEntry('removed', record))
  }

  /**
   * Records how far each log was seen (read and followed), so reopening says "grew by" only for
   * what was written after this session last looked, not for what it followed while open.
   */
  async sourcesSeen(extents: SeenExtent[]): Promise<void> {
    if (!this.record) return
    let changed = false
    for (const seen of extents) {
      const record = this.record.state.sources.find((s) => s.path === seen.path)
      if (!record || (record.sizeBytes === seen.sizeBytes && (seen.mtimeMs === null || record.mtimeMs === seen.mtimeMs))) continue
      record.sizeBytes = seen.sizeBytes
      if (seen.mtimeMs !== null) record.mtimeMs = seen.mtimeMs
      changed = true
    }
    if (changed) await this.record.save()
  }

  async sourceFormatSet(filePath: string, format: LogFormatId | null, fieldMap: FieldMap | null): Promise<void> {
    const record = this.current.state.sources.find((s) => s.path === filePath)
    if (!record) return
    if (format) record.format = format
    else delete record.format
    if (fieldMap) record.fieldMap = fieldMap
    else delete record.fieldMap
    await this.current.save()
  }

  async targetAdded(req: AddTargetRequest, url: string): Promise<void> {
    this.current.state.targets.push({ kind: req.kind, name: req.name, url, intervalMs: req.intervalMs, headerNames: Object.keys(req.headers ?? {}) })
    await this.current.save()
    await this.current.log({ at: new Date().toISOString(), kind: 'source', text: `${req.kind === 'health' ? 'Health' : 'Deploy'} endpoint added: ${req.name} (${url})`, data: { target: req.name, kind: req.kind } })
  }

  async targetRemoved(kind: 'health' | 'deploy', name: string): Promise<void> {
    this.current.state.targets = this.current.state.targets.filter((t) => !(t.kind === kind && t.name === name))
    await this.current.save()
  }
}
