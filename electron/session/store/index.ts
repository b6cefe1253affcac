export { IncidentStore, type IncidentPaths, type IncidentSamples, type OpenedIncident } from './incident-store'
export { checkSources } from './check-sources'
export {
  decisionEntry,
  deployEntry,
  detectionEntry,
  healthEntry,
  incidentEntry,
  noteEntry,
  playbookChoiceEntry,
  sourceEntry,
  stepEntry,
  verdictEntry,
  type IncidentAction
} from './entries'
export { rebuildState } from './rebuild'
