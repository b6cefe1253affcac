import { useId } from 'react'
import { clock } from '../../../shared/format'
import { selectDemo, selectIncidentBusy, selectIsEmpty, useApp } from '../store'

/** On an empty screen: one button that shows what the app does, on a simulated incident. */
export function DemoStart() {
  const empty = useApp(selectIsEmpty)
  const demo = useApp(selectDemo)
  const busy = useApp(selectIncidentBusy)
  const connected = useApp((s) => s.platform !== null && s.connection.status === 'open')
  const startDemo = useApp((s) => s.startDemo)
  const describedBy = useId()
  if (!empty || demo) return null
  return (
    <section className="demo-start" aria-label="Demo incident">
      <button type="button" className="demo-button" disabled={!connected || busy !== null} aria-describedby={describedBy} onClick={() => void startDemo()}>
        {busy === 'demo-start' ? 'Starting the demo…' : 'Try the demo incident'}
      </button>
      <p id={describedBy}>
        Starts a simulated shop-api on this machine that writes real logs and serves health and version endpoints; about 20 seconds in, a deploy breaks one
        route and Triage500 works out what happened, live, in a new incident.
      </p>
    </section>
  )
}

/** While the demo runs: what it simulates, when its deploy lands, and how to stop it. */
export function DemoBanner() {
  const demo = useApp(selectDemo)
  const busy = useApp(selectIncidentBusy)
  const stopDemo = useApp((s) => s.stopDemo)
  if (!demo) return null
  return (
    <div className="demo-banner" role="status" data-testid="demo-banner">
      <span>
        <strong>Demo running:</strong> a simulated shop-api; {demo.newVersion} is deployed at {clock(demo.deployAt)} and breaks {demo.brokenRoute}
        <span className="hint"> (replacing {demo.oldVersion})</span>
      </span>
      <button type="button" className="small" disabled={busy === 'demo-stop'} onClick={() => void stopDemo()}>
        {busy === 'demo-stop' ? 'Stopping…' : 'Stop demo'}
      </button>
    </div>
  )
}
