import { create } from 'zustand'
import { createSourcesSlice, type SourcesSlice } from './sources-slice'
import { createConnectionSlice, type ConnectionSlice } from './connection-slice'
import { createTargetsSlice, type TargetsSlice } from './targets-slice'

export type AppState = SourcesSlice & ConnectionSlice & TargetsSlice

/** One bound store of slices; evidence stays in the session service, this holds what the screen shows. */
export const useApp = create<AppState>()((...a) => ({
  ...createSourcesSlice(...a),
  ...createConnectionSlice(...a),
  ...createTargetsSlice(...a)
}))

const initialState = useApp.getState()

/** Tests start from a clean store. */
export function resetAppStore(): void {
  useApp.setState(initialState, true)
}

export const selectSources = (s: AppState) => s.sources
export const selectSourceError = (s: AppState) => s.sourceError
export const selectAdding = (s: AppState) => s.adding
export const selectConnection = (s: AppState) => s.connection
export const selectIncidentTitle = (s: AppState) => s.incidentTitle
export const selectProgress = (s: AppState) => s.progress
export const selectPlatformKind = (s: AppState) => s.platform?.kind ?? null
export const selectTargets = (s: AppState) => s.targets
export const selectDeploys = (s: AppState) => s.deploys
export const selectTargetError = (s: AppState) => s.targetError
