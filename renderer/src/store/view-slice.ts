import type { StateCreator } from 'zustand'
import type { EvidenceRef } from '../../../shared/contract'
import type { AppState } from './index'

export type GroupSortKey = 'count' | 'firstSeen' | 'lastSeen' | 'newSinceDeploy'
export interface TimeWindow {
  from: number
  to: number
}

/** What the engineer is looking at: screen state only, nothing here is evidence. */
export interface ViewSlice {
  /** The evidence last asked for from a reason; `focusSeq` changes on every ask so a repeat click scrolls again. */
  focus: EvidenceRef | null
  focusSeq: number
  /** The timeline's visible window; null shows everything. */
  zoom: TimeWindow | null
  routeFilter: { method: string; route: string } | null
  openGroupId: string | null
  groupSort: { key: GroupSortKey; dir: 'asc' | 'desc' }
  /** Raw lines shown around a place in a log file; `lines` long from `line`; `origin` says which panel opened them. */
  rawAt: RawAt | null
  showEvidence(ref: EvidenceRef): void
  setZoom(zoom: TimeWindow | null): void
  setRouteFilter(filter: { method: string; route: string } | null): void
  openGroup(id: string | null): void
  sortGroups(key: GroupSortKey): void
  showRawLines(at: RawAt | null): void
}

export interface RawAt {
  path: string
  line: number
  lines?: number
  origin?: 'explore' | 'groups'
}

const WINDOW_PADDING = 0.1

export const createViewSlice: StateCreator<AppState, [], [], ViewSlice> = (set, get) => ({
  focus: null,
  focusSeq: 0,
  zoom: null,
  routeFilter: null,
  openGroupId: null,
  groupSort: { key: 'count', dir: 'desc' },
  rawAt: null,
  showEvidence(ref) {
    const next: Partial<ViewSlice> = { focus: ref, focusSeq: get().focusSeq + 1 }
    if (ref.kind === 'window') {
      const from = Date.parse(ref.from)
      const to = Date.parse(ref.to)
      const pad = (to - from) * WINDOW_PADDING
      if (Number.isFinite(from) && Number.isFinite(to) && to > from) next.zoom = { from: from - pad, to: to + pad }
    } else if (ref.kind === 'group') {
      next.openGroupId = ref.groupId
    } else if (ref.kind === 'route') {
      next.routeFilter = { method: ref.method, route: ref.route }
    } else if (ref.kind === 'line') {
      next.rawAt = { path: ref.path, line: ref.line }
    }
    set(next)
  },
  setZoom: (zoom) => set({ zoom }),
  setRouteFilter: (routeFilter) => set({ routeFilter }),
  openGroup: (openGroupId) => set({ openGroupId }),
  sortGroups(key) {
    const cur = get().groupSort
    set({ groupSort: { key, dir: cur.key === key ? (cur.dir === 'desc' ? 'asc' : 'desc') : 'desc' } })
  },
  showRawLines: (rawAt) => set({ rawAt })
})
