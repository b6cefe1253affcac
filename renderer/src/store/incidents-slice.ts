import type { StateCreator } from 'zustand'
import type { IncidentState, IncidentSummary, JournalEntry, SessionSnapshot } from '../../../shared/contract'
import { errorText } from '../api/errors'
import type { AppState } from './index'

export type DemoInfo = NonNullable<SessionSnapshot['demo']>
export type IncidentAction = 'rename' | 'new' | 'open' | 'close' | 'delete' | 'list' | 'demo-start' | 'demo-stop'

/** Which incident is open, the others on disk, and the built-in demo. */
export interface IncidentsSlice {
  /** The open incident's id as the last snapshot said; null before the first snapshot. */
  incidentId: string | null
  /** Changes each time another incident is opened, so per-incident screen state starts afresh. */
  incidentEpoch: number
  incidentList: IncidentSummary[] | null
  journal: JournalEntry[]
  demo: DemoInfo | null
  /** The action under way, so its button can say so and not be pressed twice. */
  incidentBusy: IncidentAction | null
  /** Why the last incident action failed, in words. */
  incidentError: string | null
  refreshJournal(): Promise<void>
  listIncidents(): Promise<void>
  renameIncident(title: string): Promise<boolean>
  newIncident(): Promise<boolean>
  openIncident(id: string): Promise<boolean>
  closeIncident(): Promise<boolean>
  deleteIncident(id: string): Promise<boolean>
  startDemo(): Promise<boolean>
  stopDemo(): Promise<boolean>
  /** Called when a snapshot names another incident than before: drop the old one's screen state and pull the new one. */
  incidentSwitched(): void
  dismissIncidentError(): void
}

export const createIncidentsSlice: StateCreator<AppState, [], [], IncidentsSlice> = (set, get) => {
  let journalPull = 0

  /** Runs one action; the error, if any, is kept in words and the action reports false. */
  async function act(action: IncidentAction, run: (api: NonNullable<AppState['platform']>['api']) => Promise<void>): Promise<boolean> {
    const api = get().platform?.api
    if (!api) return false
    set({ incidentBusy: action, incidentError: null })
    try {
      await run(api)
      return true
    } catch (err) {
      set({ incidentError: errorText(err) })
      return false
    } finally {
      set({ incidentBusy: null })
    }
  }

  const showIncident = (incident: IncidentState) => set({ incident, incidentTitle: incident.title })

  return {
    incidentId: null,
    incidentEpoch: 0,
    incidentList: null,
    journal: [],
    demo: null,
    incidentBusy: null,
    incidentError: null,
    async refreshJournal() {
      const api = get().platform?.api
      if (!api) return
      const mine = ++journalPull
      try {
        const journal = await api.getJournal({})
        if (mine === journalPull) set({ journal })
      } catch (err) {
        if (mine === journalPull) set({ incidentError: `Could not read the incident's journal: ${errorText(err)}` })
      }
    },
    listIncidents: async () => {
      await act('list', async (api) => set({ incidentList: await api.listIncidents({}) }))
    },
    renameIncident: (title) =>
      act('rename', async (api) => {
        showIncident(await api.renameIncident({ title }))
        void get().refreshJournal()
      }),
    newIncident: () =>
      act('new', async (api) => {
        await api.newIncident({})
        await get().refresh()
      }),
    openIncident: (id) =>
      act('open', async (api) => {
        await api.openIncident({ id })
        await get().refresh()
      }),
    closeIncident: () =>
      act('close', async (api) => {
        showIncident(await api.closeIncident({}))
        // Closing stops the demo, if it ran in this incident.
        await get().refresh()
        void get().refreshJournal()
      }),
    async deleteIncident(id) {
      if (id === (get().incidentId ?? get().incident?.id)) {
        set({ incidentError: 'This is the incident open now, so it cannot be deleted: open another incident (or start a new one) first.' })
        return false
      }
      return act('delete', async (api) => {
        await api.deleteIncident({ id })
        set({ incidentList: await api.listIncidents({}) })
      })
    },
    startDemo: () =>
      act('demo-start', async (api) => {
        await api.startDemo({})
        await get().refresh()
      }),
    stopDemo: () =>
      act('demo-stop', async (api) => {
        await api.stopDemo({})
        await get().refresh()
      }),
    incidentSwitched() {
      set((s) => ({
        incidentEpoch: s.incidentEpoch + 1,
        analysis: null,
        incident: null,
        runbook: null,
        journal: [],
        progress: {},
        analysisError: null,
        sourceError: null,
        targetError: null,
        focus: null,
        zoom: null,
        routeFilter: null,
        openGroupId: null,
        rawAt: null,
        // A filter and a selected range belong to the incident they were made in.
        exploreQuery: '',
        exploreRange: null,
        exploreResult: null,
        exploreError: null
      }))
      void get().refreshAnalysis()
      void get().refreshIncident()
      void get().refreshRunbook()
      void get().refreshJournal()
    },
    dismissIncidentError: () => set({ incidentError: null })
  }
}
