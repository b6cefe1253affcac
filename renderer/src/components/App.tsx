import { selectIncidentTitle, selectPlatformKind, useApp } from '../store'
import { ConnectionNotice } from './ConnectionNotice'
import { DropZone } from './DropZone'
import { ErrorGroups } from './ErrorGroups'
import { OtherFindings } from './OtherFindings'
import { RunbookPanel } from './RunbookPanel'
import { SourcesPanel } from './SourcesPanel'
import { Timeline } from './timeline/Timeline'
import { VerdictBanner } from './VerdictBanner'

export function App() {
  const title = useApp(selectIncidentTitle)
  const kind = useApp(selectPlatformKind)
  return (
    <div className="app">
      <header className="app-header">
        <span className="brand">Triage500</span>
        <h1 className="incident-title">{title}</h1>
        {kind === 'browser' ? <span className="badge">browser mode</span> : null}
      </header>
      <ConnectionNotice />
      <main className="layout">
        <SourcesPanel />
        <div className="workspace">
          <VerdictBanner />
          <Timeline />
          <div className="work-grid">
            <RunbookPanel />
            <div className="side">
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
