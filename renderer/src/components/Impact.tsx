import { impactLines } from '../../../shared/report/impact'
import { selectAnalysis, useApp } from '../store'

/** Who the 5xx hurt, beside the runbook: the same lines the report's Impact section prints. */
export function Impact() {
  const analysis = useApp(selectAnalysis)
  if (!analysis) return null
  const lines = impactLines(analysis.v1.impact)
  return (
    <section className="panel impact-panel" aria-labelledby="impact-title">
      <h2 id="impact-title">Impact</h2>
      <dl className="impact" data-testid="impact">
        {lines.map((l) => (
          <div key={l.label} className={l.alert ? 'impact-row alert' : 'impact-row'}>
            <dt>{l.label}</dt>
            <dd>{l.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  )
}
