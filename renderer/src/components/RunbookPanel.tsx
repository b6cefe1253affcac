import { selectSources, useApp } from '../store'

export function RunbookPanel() {
  const sources = useApp(selectSources)
  return (
    <section className="panel runbook-panel" aria-labelledby="runbook-title">
      <h2 id="runbook-title">Runbook</h2>
      {sources.length === 0 ? (
        <p className="empty">
          Add the service&apos;s access log, its application log or the proxy&apos;s error log. The runbook fills in from the
          evidence: what changed, which dependency fails, which endpoint breaks.
        </p>
      ) : (
        <p className="empty">Evidence is being collected. The verdict and its runbook appear here once the analysis runs.</p>
      )}
    </section>
  )
}
