import type { StateCreator } from 'zustand'
import { DEFAULT_INCIDENT_TITLE, type FormatInfo, type IngestProgressEvent, type SourceInfo } from '../../../shared/contract'
import type { AppState } from './index'
import type { FieldMap, LogFormatId } from '../../../shared/model/evidence'
import { errorText } from '../api/errors'

export interface SourcesSlice {
  incidentTitle: string
  sources: SourceInfo[]
  formats: FormatInfo[]
  progress: Record<string, IngestProgressEvent>
  /** The last thing that went wrong adding or reading a source, in words. */
  sourceError: string | null
  adding: boolean
  /** The sequence number of the last push (or snapshot) seen. */
  seq: number
  /** Notes a push's sequence number; true when pushes were missed in between, so everything must be pulled again. */
  noteSeq(seq: number): boolean
  refresh(): Promise<void>
  addPath(path: string): Promise<boolean>
  addFiles(files: File[]): Promise<void>
  removeSource(id: string): Promise<void>
  pauseSource(id: string, paused: boolean): Promise<void>
  setSourceFormat(id: string, format: LogFormatId | null): Promise<void>
  /** Re-reads the source with these fields mapped by hand (null clears them); the format stays as chosen. */
  setSourceFieldMap(id: string, fieldMap: FieldMap | null): Promise<void>
  applyProgress(event: IngestProgressEvent): void
  dismissSourceError(): void
}


export const createSourcesSlice: StateCreator<AppState, [], [], SourcesSlice> = (set, get) => ({
  incidentTitle: DEFAULT_INCIDENT_TITLE,
  sources: [],
  formats: [],
  progress: {},
  sourceError: null,
  adding: false,
  seq: 0,
  // A snapshot's number can lag a push that overtook its reply, so the highest seen counts.
  noteSeq(seq) {
    const last = get().seq
    if (seq <= last) return false
    set({ seq })
    return last > 0 && seq > last + 1
  },
  async refresh() {
    const api = get().platform?.api
    if (!api) return
    const snap = await api.getSnapshot({})
    const before = get().incidentId
    set({ sources: snap.sources, formats: snap.formats, targets: snap.targets, deploys: snap.deploys, incidentTitle: snap.incident.title, seq: Math.max(get().seq, snap.seq), incidentId: snap.incident.id, demo: snap.demo })
    // Another incident is open now (switched here, in another window, or by the demo).
    if (before !== null && before !== snap.incident.id) get().incidentSwitched()
  },
  async addPath(path) {
    const api = get().platform?.api
    if (!api) return false
    // A new attempt replaces the panel's old alerts (source and endpoint) rather than piling under them.
    set({ adding: true, sourceError: null, targetError: null })
    try {
      await api.addSource({ path })
      await get().refresh()
      return true
    } catch (err) {
      set({ sourceError: errorText(err) })
      return false
    } finally {
      set({ adding: false })
    }
  },
  async addFiles(files) {
    const platform = get().platform
    if (!platform) return
    // A new attempt replaces the panel's old alerts (source and endpoint) rather than piling under them.
    set({ adding: true, sourceError: null, targetError: null })
    const errors: string[] = []
    for (const file of files) {
      try {
        await platform.addFile(file)
      } catch (err) {
        errors.push(errorText(err))
      }
    }
    set({ adding: false, sourceError: errors.length > 0 ? errors.join('\n') : null })
    await get().refresh()
  },
  async setSourceFormat(id, format) {
    const api = get().platform?.api
    if (!api) return
    try {
      await api.setSourceFormat({ id, format })
    } catch (err) {
      set({ sourceError: errorText(err) })
    }
    await get().refresh()
  },
  async setSourceFieldMap(id, fieldMap) {
    const api = get().platform?.api
    const source = get().sources.find((s) => s.id === id)
    if (!api || !source) return
    try {
      await api.setSourceFormat({ id, format: source.formatForced ? source.format : null, fieldMap })
    } catch (err) {
      set({ sourceError: errorText(err) })
    }
    await get().refresh()
  },
  async pauseSource(id, paused) {
    const api = get().platform?.api
    if (!api) return
    try {
      await api.pauseSource({ id, paused })
    } catch (err) {
      set({ sourceError: errorText(err) })
    }
    await get().refresh()
  },
  async removeSource(id) {
    const api = get().platform?.api
    if (!api) return
    try {
      await api.removeSource({ id })
    } catch (err) {
      set({ sourceError: errorText(err) })
    }
    await get().refresh()
  },
  applyProgress(event) {
    set((s) => ({ progress: { ...s.progress, [event.sourceId]: event } }))
  },
  dismissSourceError() {
    set({ sourceError: null })
  }
})
