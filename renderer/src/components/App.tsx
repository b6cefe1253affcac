import { selectConnection, selectIncidentEpoch, useApp } from '../store'
import { ConnectionNotice } from './ConnectionNotice'
import { DemoBanner, DemoStart } from './Demo'
import { DropZone } from './DropZone'
import { ErrorGroups } from './ErrorGroups'
import { Impact } from './Impact'
import { ExplorePanel } from './explore/ExplorePanel'
import { IncidentBar } from './IncidentBar'
import { IncidentProblems } from './IncidentProblems'
import { OtherFindings } from './OtherFindings'
import { RunbookPanel } from './RunbookPanel'
import { SourcesPanel } from './SourcesPanel'
import { Timeline } from './timeline/Timeline'
import { VerdictBanner } from './VerdictBanner'

export function App() {
  // Drafts, zoom and open rows belong to one incident: a switch mounts the screen afresh.
  const epoch = useApp(selectIncidentEpoch)
  const connection = useApp(selectConnection)
  // Refused (no token, a wrong one): nothing can be done here, so no button may look as if it could.
  if (connection.status === 'refused')
    return (
      <div className="app refused">
        <header className="app-header">
          <h1>Triage500</h1>
        </header>
        <ConnectionNotice />
      </div>
    )
  return (
    <div className="app">
      <IncidentBar />
      <ConnectionNotice />
      <DemoBanner />
      <IncidentProblems />
      <main className="layout" key={epoch}>
        <SourcesPanel />
        <div className="workspace">
          <DemoStart />
          <VerdictBanner />
          <Timeline />
          <ExplorePanel />
          <div className="work-grid">
            <RunbookPanel />
            <div className="side">
              <Impact />
              <ErrorGroups />
              <OtherFindings />
            </div>
          </div>
        </div>
      </main>
      <DropZone />
    </div>
  )
}
