import { selectSourceError, useApp } from '../store'
import { AddSource } from './AddSource'
import { SourceList } from './SourceList'

export function SourcesPanel() {
  const error = useApp(selectSourceError)
  const dismiss = useApp((s) => s.dismissSourceError)
  return (
    <section className="panel sources-panel" aria-labelledby="sources-title">
      <h2 id="sources-title">Sources</h2>
      <AddSource />
      {error ? (
        <div className="error-box" role="alert" data-testid="source-error">
          <pre>{error}</pre>
          <button type="button" className="icon" aria-label="Dismiss error" onClick={dismiss}>
            ×
          </button>
        </div>
      ) : null}
      <SourceList />
    </section>
  )
}
