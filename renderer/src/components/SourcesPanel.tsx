import { selectSourceError, selectTargetError, useApp } from '../store'
import { AddSource } from './AddSource'
import { AddStore } from './AddStore'
import { AddTarget } from './AddTarget'
import { SourceList } from './SourceList'
import { TargetList } from './TargetList'

export function SourcesPanel() {
  const error = useApp(selectSourceError)
  const dismiss = useApp((s) => s.dismissSourceError)
  const targetError = useApp(selectTargetError)
  const dismissTarget = useApp((s) => s.dismissTargetError)
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
      <h3 className="subhead">Log stores</h3>
      <AddStore />
      <h3 className="subhead">Health and deploy endpoints</h3>
      <AddTarget />
      {targetError ? (
        <div className="error-box" role="alert" data-testid="target-error">
          <pre>{targetError}</pre>
          <button type="button" className="icon" aria-label="Dismiss endpoint error" onClick={dismissTarget}>
            ×
          </button>
        </div>
      ) : null}
      <TargetList />
    </section>
  )
}
