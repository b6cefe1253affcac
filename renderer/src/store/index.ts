import { create } from 'zustand'
import { createSourcesSlice, type SourcesSlice } from './sources-slice'
import { createConnectionSlice, type ConnectionSlice } from './connection-slice'
import { createTargetsSlice, type TargetsSlice } from './targets-slice'
import { createAnalysisSlice, type AnalysisSlice } from './analysis-slice'
import { createViewSlice, type ViewSlice } from './view-slice'
import { createIncidentsSlice, type IncidentsSlice } from './incidents-slice'
import { createExploreSlice, type ExploreSlice } from './explore-slice'
import { spansDays } from '../../../shared/format'

export type AppState = SourcesSlice & ConnectionSlice & TargetsSlice & AnalysisSlice & ViewSlice & IncidentsSlice & ExploreSlice

/** One bound store of slices; evidence stays in the session service, this holds what the screen shows. */
export const useApp = create<AppState>()((...a) => ({
  ...createSourcesSlice(...a),
  ...createConnectionSlice(...a),
  ...createTargetsSlice(...a),
  ...createAnalysisSlice(...a),
  ...createViewSlice(...a),
  ...createIncidentsSlice(...a),
  ...createExploreSlice(...a)
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
export const selectAnalysis = (s: AppState) => s.analysis
/** Times of the analysis print with the date when its window spans days (the verdict's rule). */
export const selectWindowSpansDays = (s: AppState) => spansDays(s.analysis?.v1.window?.from ?? null, s.analysis?.v1.window?.to ?? null)
export const selectIncident = (s: AppState) => s.incident
export const selectRunbook = (s: AppState) => s.runbook
export const selectAnalysisError = (s: AppState) => s.analysisError
export const selectFindings = (s: AppState) => s.analysis?.findings
export const selectVerdict = (s: AppState) => s.analysis?.v1.verdict ?? null
export const selectErrorGroups = (s: AppState) => s.analysis?.v1.errorGroups
export const selectGroupSamples = (s: AppState) => s.analysis?.groupSamples
export const selectGroupLocations = (s: AppState) => s.analysis?.groupLocations
export const selectTimeline = (s: AppState) => s.analysis?.timeline
export const selectAnalysisDeploys = (s: AppState) => s.analysis?.deploys
export const selectHealth = (s: AppState) => s.analysis?.health
export const selectSuspectDeploy = (s: AppState) => s.analysis?.v1.suspectDeploy ?? null
export const selectChosenPlaybook = (s: AppState) => s.incident?.chosenPlaybook ?? null
export const selectDecisions = (s: AppState) => s.incident?.decisions
export const selectNotes = (s: AppState) => s.incident?.notes
export const selectFocus = (s: AppState) => s.focus
export const selectFocusSeq = (s: AppState) => s.focusSeq
export const selectZoom = (s: AppState) => s.zoom
export const selectRouteFilter = (s: AppState) => s.routeFilter
export const selectOpenGroupId = (s: AppState) => s.openGroupId
export const selectGroupSort = (s: AppState) => s.groupSort
export const selectRawAt = (s: AppState) => s.rawAt
export const selectExploreQuery = (s: AppState) => s.exploreQuery
export const selectExploreRange = (s: AppState) => s.exploreRange
export const selectExploreResult = (s: AppState) => s.exploreResult
export const selectExploreError = (s: AppState) => s.exploreError
export const selectExploreBusy = (s: AppState) => s.exploreBusy
export const selectTimeZone = (s: AppState) => s.timeZone
/** The filter's counts, when a filter is typed and answered: the timeline draws these instead of the analysis's. */
export const selectFilteredGroups = (s: AppState) => (s.exploreQuery.trim() !== '' && s.exploreResult ? s.exploreResult.groups : null)
export const selectFilteredBuckets = (s: AppState) => (s.exploreQuery.trim() !== '' && s.exploreResult ? s.exploreResult.buckets : null)
export const selectIncidentId = (s: AppState) => s.incidentId ?? s.incident?.id ?? null
export const selectIncidentEpoch = (s: AppState) => s.incidentEpoch
export const selectIncidentList = (s: AppState) => s.incidentList
export const selectJournal = (s: AppState) => s.journal
export const selectDemo = (s: AppState) => s.demo
export const selectIncidentBusy = (s: AppState) => s.incidentBusy
export const selectIncidentError = (s: AppState) => s.incidentError
export const selectClosedAt = (s: AppState) => s.incident?.closedAt ?? null
/** The incident has nothing in it yet: no logs, no endpoints, no analysis. */
export const selectIsEmpty = (s: AppState) => s.sources.length === 0 && s.targets.length === 0 && s.analysis === null
