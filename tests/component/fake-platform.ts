import type { Platform } from '../../renderer/src/api/platform'
import type {
  AnalysisSnapshot,
  Channel,
  EventName,
  IncidentState,
  RequestOf,
  SessionSnapshot,
  SourceInfo,
  TargetInfo,
  TriageApi
} from '../../shared/contract'
import { newIncident } from './analysis-fixture'

export interface FakeCall {
  channel: Channel
  request: unknown
}

export type FakePlatform = Platform & {
  sources: SourceInfo[]
  targets: TargetInfo[]
  /** What getAnalysis answers; tests replace it to simulate the analysis moving on. */
  analysis: AnalysisSnapshot | null
  incident: IncidentState
  /** Every state-changing, paging or analysis call, in order. */
  calls: FakeCall[]
  /** File contents by source id, for readLines. */
  files: Record<string, string[]>
  emit(event: EventName, payload: unknown): void
  callsTo<C extends Channel>(channel: C): RequestOf<C>[]
}

/** An in-memory TriageApi for component tests only; e2e tests use the real host. */
export function fakePlatform(opts: { failAdd?: string; analysis?: AnalysisSnapshot | null } = {}): FakePlatform {
  const sources: SourceInfo[] = []
  const targets: TargetInfo[] = []
  const listeners = new Map<string, Set<(p: never) => void>>()
  const calls: FakeCall[] = []
  const now = () => '2026-03-14T14:10:00.000Z'
  const snapshot = (): SessionSnapshot => ({ seq: 1, incident: { id: 'i', title: 'Checkout 500s', createdAt: '2026-01-01T00:00:00Z' }, sources: [...sources], targets: [...targets], deploys: [] })
  const add = async (path: string): Promise<SourceInfo> => {
    if (opts.failAdd) throw new Error(opts.failAdd)
    const info: SourceInfo = {
      id: String(sources.length + 1),
      path,
      name: path.split('/').pop() ?? path,
      sizeBytes: 2048,
      lines: 42,
      events: 0,
      unparsed: 0,
      format: null,
      state: 'ready',
      bytesDone: 2048,
      error: null,
      addedAt: '2026-01-01T00:00:00Z',
      linesPerSec: 0,
      lastEventAt: null,
      note: null
    }
    sources.push(info)
    return info
  }
  const record = <C extends Channel>(channel: C, request: RequestOf<C>) => calls.push({ channel, request })
  const state = {
    analysis: opts.analysis ?? null,
    incident: newIncident(),
    files: {} as Record<string, string[]>
  }
  const api: TriageApi = {
    getSnapshot: async () => snapshot(),
    addSource: async ({ path }) => add(path),
    removeSource: async ({ id }) => {
      const i = sources.findIndex((s) => s.id === id)
      if (i >= 0) sources.splice(i, 1)
      return {}
    },
    readLines: async (r) => {
      record('readLines', r)
      const all = state.files[r.sourceId] ?? []
      const lines = all.slice(r.fromLine - 1, r.fromLine - 1 + r.count)
      return { fromLine: r.fromLine, lines, eof: r.fromLine - 1 + r.count >= all.length }
    },
    addTarget: async (req) => {
      const info: TargetInfo = {
        id: `t${targets.length + 1}`,
        kind: req.kind,
        name: req.name,
        url: req.url,
        intervalMs: req.intervalMs ?? 15000,
        hasHeaders: Object.keys(req.headers ?? {}).length > 0,
        running: true,
        ok: false,
        status: 503,
        latencyMs: 12,
        version: req.kind === 'deploy' ? 'v2.14.0' : null,
        since: null,
        lastPollAt: '2026-01-01T00:00:00Z',
        lastError: req.kind === 'health' ? 'HTTP 503' : null,
        consecutiveFailures: 0,
        components: req.kind === 'health' ? [{ name: 'db', ok: false, status: 'DOWN' }] : []
      }
      targets.push(info)
      return info
    },
    removeTarget: async ({ id }) => {
      const i = targets.findIndex((t) => t.id === id)
      if (i >= 0) targets.splice(i, 1)
      return {}
    },
    getAnalysis: async (r) => {
      record('getAnalysis', r)
      return state.analysis
    },
    getIncident: async () => state.incident,
    getJournal: async () => [],
    updateStep: async (req) => {
      record('updateStep', req)
      const key = `${req.playbook}:${req.stepId}`
      const note = req.note ?? state.incident.steps[key]?.note ?? ''
      state.incident = { ...state.incident, steps: { ...state.incident.steps, [key]: { status: req.status, note, updatedAt: now() } } }
      return state.incident
    },
    addNote: async (req) => {
      record('addNote', req)
      state.incident = { ...state.incident, notes: [...state.incident.notes, { at: now(), text: req.text }] }
      return state.incident
    },
    addDecision: async (req) => {
      record('addDecision', req)
      state.incident = { ...state.incident, decisions: [...state.incident.decisions, { at: now(), text: req.text }] }
      return state.incident
    },
    choosePlaybook: async (req) => {
      record('choosePlaybook', req)
      state.incident = { ...state.incident, chosenPlaybook: req.playbook }
      return state.incident
    },
    renameIncident: async (req) => {
      record('renameIncident', req)
      state.incident = { ...state.incident, title: req.title }
      return state.incident
    },
    listIncidents: async () => [],
    newIncident: async () => state.incident,
    openIncident: async () => state.incident,
    closeIncident: async () => state.incident,
    deleteIncident: async () => ({}),
    exportReport: async () => ({ fileName: 'report.md', mimeType: 'text/markdown', content: '' }),
    on: (event, listener) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (p: never) => void)
      return () => set.delete(listener as (p: never) => void)
    }
  }
  const platform: FakePlatform = {
    kind: 'browser',
    api,
    addFile: async (file) => add(`/uploads/${file.name}`),
    sources,
    targets,
    calls,
    get analysis() {
      return state.analysis
    },
    set analysis(a) {
      state.analysis = a
    },
    get incident() {
      return state.incident
    },
    set incident(i) {
      state.incident = i
    },
    get files() {
      return state.files
    },
    set files(f) {
      state.files = f
    },
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload as never)),
    callsTo: <C extends Channel>(channel: C) => calls.filter((c) => c.channel === channel).map((c) => c.request as RequestOf<C>)
  }
  return platform
}
