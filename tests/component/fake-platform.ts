import type { Platform } from '../../renderer/src/api/platform'
import type { SessionSnapshot, SourceInfo, TargetInfo, TriageApi, EventName } from '../../shared/contract'

/** An in-memory TriageApi for component tests only; e2e tests use the real host. */
export function fakePlatform(opts: { failAdd?: string } = {}): Platform & { sources: SourceInfo[]; targets: TargetInfo[]; emit(event: EventName, payload: unknown): void } {
  const sources: SourceInfo[] = []
  const targets: TargetInfo[] = []
  const listeners = new Map<string, Set<(p: never) => void>>()
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
  const api: TriageApi = {
    getSnapshot: async () => snapshot(),
    addSource: async ({ path }) => add(path),
    removeSource: async ({ id }) => {
      const i = sources.findIndex((s) => s.id === id)
      if (i >= 0) sources.splice(i, 1)
      return {}
    },
    readLines: async (r) => ({ fromLine: r.fromLine, lines: [], eof: true }),
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
    on: (event, listener) => {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (p: never) => void)
      return () => set.delete(listener as (p: never) => void)
    }
  }
  return {
    kind: 'browser',
    api,
    addFile: async (file) => add(`/uploads/${file.name}`),
    sources,
    targets,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload as never))
  }
}
