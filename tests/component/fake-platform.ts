import type { Platform } from '../../renderer/src/api/platform'
import type { SessionSnapshot, SourceInfo, TriageApi, EventName } from '../../shared/contract'

/** An in-memory TriageApi for component tests only; e2e tests use the real host. */
export function fakePlatform(opts: { failAdd?: string } = {}): Platform & { sources: SourceInfo[]; emit(event: EventName, payload: unknown): void } {
  const sources: SourceInfo[] = []
  const listeners = new Map<string, Set<(p: never) => void>>()
  const snapshot = (): SessionSnapshot => ({ seq: 1, incident: { id: 'i', title: 'Checkout 500s', createdAt: '2026-01-01T00:00:00Z' }, sources: [...sources] })
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
      addedAt: '2026-01-01T00:00:00Z'
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
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload as never))
  }
}
