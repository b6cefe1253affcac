import { selectIncidentTitle, selectPlatformKind, useApp } from '../store'
import { ConnectionNotice } from './ConnectionNotice'
import { DropZone } from './DropZone'
import { RunbookPanel } from './RunbookPanel'
import { SourcesPanel } from './SourcesPanel'

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
        <RunbookPanel />
      </main>
      <DropZone />
    </div>
  )
}
