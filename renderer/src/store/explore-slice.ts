import type { StateCreator } from 'zustand'
import type { EventRow, QueryEventsResponse } from '../../../shared/contract'
import { parseFilter } from '../../../shared/filter'
import { localZone } from '../../../shared/format'
import { errorText } from '../api/errors'
import type { AppState } from './index'
import type { TimeWindow } from './view-slice'

/** Rows per page asked of the session: a screenful or two of the list. */
export const EXPLORE_PAGE = 200

/** What the current filter and range found: the first page, the counts, the filtered groups. */
export type ExploreResult = QueryEventsResponse & {
  /** Changes with every answer, so the list drops the pages of the one before. */
  seq: number
}

export interface ExploreSlice {
  /** The filter text as typed (shared/filter's language); '' keeps everything. */
  exploreQuery: string
  /** The range selected on the timeline; null: the whole evidence. */
  exploreRange: TimeWindow | null
  exploreResult: ExploreResult | null
  /** The filter's parse error or the query's failure, in one line. */
  exploreError: string | null
  exploreBusy: boolean
  /** The zone the timeline speaks (IANA); the local one unless the engineer picks UTC. */
  timeZone: string
  setExploreQuery(query: string): void
  selectRange(range: TimeWindow | null): void
  setTimeZone(zone: string): void
  /** Asks the session for the first page and the counts of the current filter and range. */
  runExplore(grid: { start: number; bucketMs: number } | null): Promise<void>
  /** One more page of the current answer, for the list. */
  explorePage(cursor: number): Promise<EventRow[]>
}

/** Whether anything is asked: a filter or a range. Without either the list stays empty and nothing is scanned. */
export const exploring = (s: Pick<ExploreSlice, 'exploreQuery' | 'exploreRange'>): boolean => s.exploreQuery.trim() !== '' || s.exploreRange !== null

export const createExploreSlice: StateCreator<AppState, [], [], ExploreSlice> = (set, get) => {
  let pull = 0
  const request = (cursor: number, grid: { start: number; bucketMs: number } | null) => {
    const s = get()
    return { query: s.exploreQuery, from: s.exploreRange?.from ?? null, to: s.exploreRange?.to ?? null, cursor, limit: EXPLORE_PAGE, buckets: grid }
  }
  return {
    exploreQuery: '',
    exploreRange: null,
    exploreResult: null,
    exploreError: null,
    exploreBusy: false,
    timeZone: localZone(),
    setExploreQuery(query) {
      const parsed = parseFilter(query)
      // A bad filter is said at once and nothing is asked; the last good answer stays on screen, marked stale by the error.
      set({ exploreQuery: query, exploreError: parsed.ok ? null : `filter: ${parsed.error}` })
    },
    selectRange: (exploreRange) => set({ exploreRange }),
    setTimeZone: (timeZone) => set({ timeZone }),
    async runExplore(grid) {
      const s = get()
      const api = s.platform?.api
      if (!api) return
      if (!exploring(s)) {
        pull++
        set({ exploreResult: null, exploreBusy: false })
        return
      }
      if (!parseFilter(s.exploreQuery).ok) return
      const mine = ++pull
      set({ exploreBusy: true })
      try {
        const res = await api.queryEvents(request(0, grid))
        if (mine === pull) set({ exploreResult: { ...res, seq: mine }, exploreError: null, exploreBusy: false })
      } catch (err) {
        if (mine === pull) set({ exploreError: errorText(err), exploreBusy: false })
      }
    },
    async explorePage(cursor) {
      const api = get().platform?.api
      if (!api) return []
      const res = await api.queryEvents(request(cursor, null))
      return res.rows
    }
  }
}
