import type { Platform } from '../../renderer/src/api/platform'
import type {
  AnalysisSnapshot,
  Channel,
  EventName,
  IncidentState,
  IncidentSummary,
  JournalEntry,
  KeychainBridge,
  RequestOf,
  SessionSnapshot,
  SourceInfo,
  TargetInfo,
  TriageApi,
  EventRow,
  QueryEventsResponse
} from '../../shared/contract'
import { parseFilter } from '../../shared/filter'
import { renderReport, reportFile } from '../../shared/report'
import { DEFAULT_INCIDENT_TITLE } from '../../shared/contract'
import { PLAYBOOKS } from '../../shared/contract/analysis'
import { z } from 'zod'
import { buildRunbook } from '../../shared/runbook'
import { newIncident } from './analysis-fixture'

const PLAYBOOK_ID = z.enum(PLAYBOOKS)

/** One incident as the fake keeps it: what the real store keeps in incident.json and journal.jsonl. */
export interface StoredIncident {
  state: IncidentState
  journal: JournalEntry[]
  /** What reopening it finds wrong (a moved log, a damaged file), in words. */
  problems: string[]
}

export const DEMO = { oldVersion: 'v2.13.2', newVersion: 'v2.14.0', brokenRoute: 'GET /api/orders/:id/receipt' } as const

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
  /** What queryEvents answers, before paging: tests set the rows (and counts) the session would find. */
  explore: (req: RequestOf<'queryEvents'>) => Omit<QueryEventsResponse, 'rows' | 'nextCursor'> & { rows: EventRow[] }
  /** The open incident's journal. */
  readonly journal: JournalEntry[]
  /** Every incident "on disk", the open one included, by id. */
  stored: Map<string, StoredIncident>
  demo: SessionSnapshot['demo']
  emit(event: EventName, payload: unknown): void
  callsTo<C extends Channel>(channel: C): RequestOf<C>[]
}

/** An in-memory TriageApi for component tests only; e2e tests use the real host. */
export function fakePlatform(
  opts: {
    failAdd?: string
    failExport?: string
    analysis?: AnalysisSnapshot | null
    savePdf?: (html: string, fileName: string) => Promise<string | null>
    /** The desktop app's keychain bridge (desktop only). */
    keychain?: KeychainBridge
  } = {}
): FakePlatform {
  const sources: SourceInfo[] = []
  const targets: TargetInfo[] = []
  const listeners = new Map<string, Set<(p: never) => void>>()
  const calls: FakeCall[] = []
  const now = () => '2026-03-14T14:10:00.000Z'
  const snapshot = (): SessionSnapshot => ({
    seq: 1,
    incident: { id: state.incident.id, title: state.incident.title, createdAt: state.incident.createdAt },
    sources: [...sources],
    targets: [...targets],
    deploys: [],
    formats: [{ id: 'nginx-combined', title: 'nginx / Apache combined', family: 'access' }, { id: 'json-app', title: 'JSON lines (application)', family: 'app' }, { id: 'logfmt', title: 'logfmt', family: 'app' }],
    demo: state.demo
  })
  const add = async (path: string): Promise<SourceInfo> => {
    if (opts.failAdd) throw new Error(opts.failAdd)
    const info: SourceInfo = {
      id: String(sources.length + 1),
      path,
      name: path.split('/').pop() ?? path,
      sizeBytes: 2048,
      lines: 42,
      events: 0,
      eventLines: 0,
      directiveLines: 0,
      unparsed: 0,
      longLines: 0,
      format: null,
      formatForced: false,
      fieldMap: null,
      fieldMapForced: null,
      unread: null,
      state: 'ready',
      bytesDone: 2048,
      error: null,
      addedAt: '2026-01-01T00:00:00Z',
      linesPerSec: 0,
      behindBytes: 0,
      lastEventAt: null,
      note: null
    }
    sources.push(info)
    return info
  }
  const record = <C extends Channel>(channel: C, request: RequestOf<C>) => calls.push({ channel, request })
  const first = newIncident()
  const stored = new Map<string, StoredIncident>([[first.id, { state: first, journal: [], problems: [] }]])
  const state = {
    analysis: opts.analysis ?? null,
    files: {} as Record<string, string[]>,
    explore: ((): FakePlatform['explore'] => () => ({ rows: [], total: 0, untimed: 0, buckets: [], groups: [], skipped: [] }))(),
    demo: null as SessionSnapshot['demo'],
    openId: first.id,
    created: 1,
    get incident(): IncidentState {
      return open().state
    },
    set incident(i: IncidentState) {
      open().state = i
    }
  }
  function open(): StoredIncident {
    const rec = stored.get(state.openId)
    if (!rec) throw new Error(`the open incident ${state.openId} is not stored`)
    return rec
  }
  const log = (kind: JournalEntry['kind'], text: string, data?: Record<string, unknown>) => open().journal.push({ at: now(), kind, text, ...(data ? { data } : {}) })
  /** Like the service: what the open incident watches stops, and its logs are re-read on reopening. */
  async function switchTo(id: string): Promise<IncidentState> {
    const rec = stored.get(id)
    if (!rec) throw new Error(`no incident with id ${id}`)
    state.demo = null
    sources.splice(0)
    targets.splice(0)
    state.analysis = null
    state.openId = id
    for (const s of rec.state.sources) await add(s.path)
    if (rec.problems.length > 0) log('incident', `Reopened with problems: ${rec.problems.join('; ')}`, { problems: [...rec.problems] })
    return rec.state
  }
  async function create(title = DEFAULT_INCIDENT_TITLE): Promise<IncidentState> {
    const id = `inc-${++state.created}`
    stored.set(id, { state: newIncident({ id, title, createdAt: now() }), journal: [], problems: [] })
    await switchTo(id)
    log('incident', `Incident opened: ${title}`)
    return state.incident
  }
  const change = (next: Partial<IncidentState>): IncidentState => (state.incident = { ...state.incident, ...next })
  const api: TriageApi = {
    getSnapshot: async () => snapshot(),
    addSource: async ({ path }) => add(path),
    addStore: async (r) => {
      record('addStore', r)
      const info = await add(`${r.url} ${r.query}`)
      return { ...info, name: `${r.kind} ${r.query}` }
    },
    removeSource: async ({ id }) => {
      const i = sources.findIndex((s) => s.id === id)
      if (i >= 0) sources.splice(i, 1)
      return {}
    },
    setSourceFormat: async (r) => {
      record('setSourceFormat', r)
      const source = sources.find((s) => s.id === r.id)
      if (!source) throw new Error(`no source with id ${r.id}`)
      Object.assign(source, { format: r.format, formatForced: r.format !== null, state: 'ready' })
      return { ...source }
    },
    pauseSource: async (r) => {
      record('pauseSource', r)
      const source = sources.find((s) => s.id === r.id)
      if (!source) throw new Error(`no source with id ${r.id}`)
      source.state = r.paused ? 'paused' : 'tailing'
      return { ...source }
    },
    readLines: async (r) => {
      record('readLines', r)
      const all = state.files[r.sourceId] ?? []
      const lines = all.slice(r.fromLine - 1, r.fromLine - 1 + r.count)
      return { fromLine: r.fromLine, lines, eof: r.fromLine - 1 + r.count >= all.length }
    },
    queryEvents: async (r) => {
      record('queryEvents', r)
      const parsed = parseFilter(r.query)
      if (!parsed.ok) throw new Error(`filter: ${parsed.error}`)
      const answer = state.explore(r)
      const rows = answer.rows.slice(r.cursor, r.cursor + r.limit)
      const next = r.cursor + rows.length
      return { ...answer, rows, nextCursor: next < answer.rows.length ? next : null }
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
    // The fake stands in for the session, which builds the runbook from its analysis and incident.
    getRunbook: async (r) => {
      record('getRunbook', r)
      return buildRunbook(state.analysis, state.incident)
    },
    getIncident: async () => state.incident,
    getJournal: async () => [...open().journal],
    updateStep: async (req) => {
      record('updateStep', req)
      const key = `${req.playbook}:${req.stepId}`
      const note = req.note ?? state.incident.steps[key]?.note ?? ''
      state.incident = { ...state.incident, steps: { ...state.incident.steps, [key]: { status: req.status, note, updatedAt: now() } } }
      return state.incident
    },
    addNote: async (req) => {
      record('addNote', req)
      log('note', req.text)
      return change({ notes: [...state.incident.notes, { at: now(), text: req.text }] })
    },
    addDecision: async (req) => {
      record('addDecision', req)
      log('decision', req.text)
      return change({ decisions: [...state.incident.decisions, { at: now(), text: req.text }] })
    },
    choosePlaybook: async (req) => {
      record('choosePlaybook', req)
      state.incident = { ...state.incident, chosenPlaybook: req.playbook }
      return state.incident
    },
    renameIncident: async (req) => {
      record('renameIncident', req)
      log('incident', `Incident renamed to: ${req.title}`)
      return change({ title: req.title })
    },
    listIncidents: async (r) => {
      record('listIncidents', r)
      return [...stored.values()]
        .map(({ state: st, problems, journal }): IncidentSummary => ({
          id: st.id,
          title: st.title,
          createdAt: st.createdAt,
          closedAt: st.closedAt,
          problems: [...problems],
          verdict: PLAYBOOK_ID.safeParse(journal.findLast((e) => e.kind === 'verdict' && e.data?.playbook)?.data?.playbook).data ?? null,
          sources: st.sources.map((s) => s.path),
          lastActivityAt: journal.at(-1)?.at ?? st.createdAt,
          lastUsed: st.id === state.openId
        }))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    },
    newIncident: async (r) => {
      record('newIncident', r)
      return create()
    },
    openIncident: async (r) => {
      record('openIncident', r)
      return switchTo(r.id)
    },
    closeIncident: async (r) => {
      record('closeIncident', r)
      state.demo = null
      log('incident', `Incident closed: ${state.incident.title}`)
      return change({ closedAt: now() })
    },
    deleteIncident: async (r) => {
      record('deleteIncident', r)
      if (r.id === state.openId) throw new Error('close or switch away from the open incident before deleting it')
      if (!stored.delete(r.id)) throw new Error(`no incident with id ${r.id}`)
      return {}
    },
    exportReport: async (r) => {
      record('exportReport', r)
      if (opts.failExport) throw new Error(opts.failExport)
      // The real renderer over the fake's incident; the runbook part is the service's, so it is left out here.
      const model = { incident: state.incident, analysis: state.analysis, journal: [...open().journal], runbook: null, generatedAt: now() }
      return { ...reportFile(model, r.format, { redact: r.redact }), content: renderReport(model, r.format, { redact: r.redact }) }
    },
    startDemo: async (r) => {
      record('startDemo', r)
      if (state.demo) throw new Error('the demo incident is already running')
      await create('Demo: shop-api answers 500 after a deploy')
      await add('/tmp/triage500-demo/access.log')
      await add('/tmp/triage500-demo/app.log')
      state.demo = { ...DEMO, deployAt: Date.parse('2026-03-14T14:10:20.000Z') }
      return state.incident
    },
    stopDemo: async (r) => {
      record('stopDemo', r)
      state.demo = null
      for (let i = sources.length - 1; i >= 0; i--) if (sources[i].path.startsWith('/tmp/triage500-demo/')) sources.splice(i, 1)
      return {}
    },
    on: (event, listener) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (p: never) => void)
      return () => set.delete(listener as (p: never) => void)
    }
  }
  const platform: FakePlatform = {
    kind: opts.savePdf || opts.keychain ? 'desktop' : 'browser',
    api,
    ...(opts.savePdf ? { savePdf: opts.savePdf } : {}),
    ...(opts.keychain ? { keychain: opts.keychain } : {}),
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
    get journal() {
      return open().journal
    },
    stored,
    get demo() {
      return state.demo
    },
    set demo(d) {
      state.demo = d
    },
    set files(f) {
      state.files = f
    },
    get explore() {
      return state.explore
    },
    set explore(e) {
      state.explore = e
    },
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload as never)),
    callsTo: <C extends Channel>(channel: C) => calls.filter((c) => c.channel === channel).map((c) => c.request as RequestOf<C>)
  }
  return platform
}
