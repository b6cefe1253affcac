import type { StateCreator } from 'zustand'
import type { AnalysisSnapshot, IncidentState, Playbook, Runbook, StepStatus } from '../../../shared/contract'
import type { AppState } from './index'
import { errorText } from '../api/errors'

export interface AnalysisSlice {
  analysis: AnalysisSnapshot | null
  incident: IncidentState | null
  /** The session's runbook (built there from the analysis and the incident); null until first pulled. */
  runbook: Runbook | null
  /** Why the analysis or the incident could not be read or changed, in words. */
  analysisError: string | null
  refreshAnalysis(): Promise<void>
  refreshIncident(): Promise<void>
  refreshRunbook(): Promise<void>
  setStep(playbook: Playbook, stepId: string, status: StepStatus, note?: string): Promise<boolean>
  addNote(text: string): Promise<boolean>
  addDecision(text: string): Promise<boolean>
  choosePlaybook(playbook: Playbook | null): Promise<void>
  dismissAnalysisError(): void
}


export const createAnalysisSlice: StateCreator<AppState, [], [], AnalysisSlice> = (set, get) => {
  // Pulls can overlap when changes arrive quickly; only the newest answer is shown.
  let analysisPull = 0
  let incidentPull = 0
  let runbookPull = 0

  /**
   * Every incident change returns the new IncidentState; the runbook it moves is pulled with it,
   * so a saved step or note shows at once. Show both, or say why it failed.
   */
  async function change(run: (api: NonNullable<AppState['platform']>['api']) => Promise<IncidentState>): Promise<boolean> {
    const api = get().platform?.api
    if (!api) return false
    let incident: IncidentState
    try {
      incident = await run(api)
    } catch (err) {
      set({ analysisError: errorText(err) })
      return false
    }
    incidentPull++
    const mine = ++runbookPull
    try {
      const runbook = await api.getRunbook({})
      set(mine === runbookPull ? { incident, runbook } : { incident })
    } catch (err) {
      set({ incident, analysisError: `Could not read the runbook: ${errorText(err)}` })
    }
    return true
  }

  return {
    analysis: null,
    incident: null,
    runbook: null,
    analysisError: null,
    async refreshAnalysis() {
      const api = get().platform?.api
      if (!api) return
      const mine = ++analysisPull
      try {
        const analysis = await api.getAnalysis({})
        if (mine === analysisPull) set({ analysis })
      } catch (err) {
        if (mine === analysisPull) set({ analysisError: `Could not read the analysis: ${errorText(err)}` })
      }
    },
    async refreshIncident() {
      const api = get().platform?.api
      if (!api) return
      const mine = ++incidentPull
      try {
        const incident = await api.getIncident({})
        if (mine === incidentPull) set({ incident })
      } catch (err) {
        if (mine === incidentPull) set({ analysisError: `Could not read the incident: ${errorText(err)}` })
      }
    },
    async refreshRunbook() {
      const api = get().platform?.api
      if (!api) return
      const mine = ++runbookPull
      try {
        const runbook = await api.getRunbook({})
        if (mine === runbookPull) set({ runbook })
      } catch (err) {
        if (mine === runbookPull) set({ analysisError: `Could not read the runbook: ${errorText(err)}` })
      }
    },
    setStep: (playbook, stepId, status, note) => change((api) => api.updateStep(note === undefined ? { playbook, stepId, status } : { playbook, stepId, status, note })),
    addNote: (text) => change((api) => api.addNote({ text })),
    addDecision: (text) => change((api) => api.addDecision({ text })),
    async choosePlaybook(playbook) {
      await change((api) => api.choosePlaybook({ playbook }))
    },
    dismissAnalysisError: () => set({ analysisError: null })
  }
}
