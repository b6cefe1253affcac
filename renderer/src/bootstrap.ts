import { BrowserClient, browserPlatform, tokenFromLocation } from './api/browser-client'
import { desktopPlatform, type Platform } from './api/platform'
import { useApp } from './store'
import { debounced } from './store/debounce'
import { LIVE_BUDGET } from '../../shared/live-budget'

/** The analysis is recomputed as lines arrive: the page pulls once per burst, and at least this often while it lasts. */
export const ANALYSIS_PULL_MS = LIVE_BUDGET.pullDebounceMs
const PULL_MAX_WAIT_MS = LIVE_BUDGET.pullMaxWaitMs

function pullEverything(): void {
  const s = useApp.getState()
  void s.refresh()
  void s.refreshAnalysis()
  void s.refreshIncident()
  void s.refreshRunbook()
  void s.refreshJournal()
}

/**
 * Wires the store to whichever TriageApi this page has: the preload's bridge in the desktop
 * app, or the loopback WebSocket in browser mode. Pushes only say "changed"; the store pulls.
 */
export async function bootstrap(win: Window): Promise<() => void> {
  const store = useApp.getState()
  let platform: Platform
  if (win.triage) {
    platform = desktopPlatform(win.triage)
    store.setPlatform(platform)
    store.setConnection({ status: 'open' })
  } else {
    const client = new BrowserClient(win.location.origin, tokenFromLocation(win.location.hash))
    platform = browserPlatform(client)
    store.setPlatform(platform)
    client.onState((state) => {
      useApp.getState().setConnection(state)
      // A reconnect may have missed notifications, or met a restarted host counting from 1 again: pull everything again.
      if (state.status === 'open') {
        useApp.setState({ seq: 0 })
        pullEverything()
      }
    })
    await client.connect()
  }
  const analysisPull = debounced(() => void useApp.getState().refreshAnalysis(), ANALYSIS_PULL_MS, win.document, PULL_MAX_WAIT_MS)
  const incidentPull = debounced(
    () => {
      void useApp.getState().refreshIncident()
      void useApp.getState().refreshJournal()
    },
    ANALYSIS_PULL_MS,
    win.document,
    PULL_MAX_WAIT_MS
  )
  // Every topic moves the runbook (the evidence through its analysis, or the incident); the session rebuilds it, one pull per burst.
  const runbookPull = debounced(() => void useApp.getState().refreshRunbook(), ANALYSIS_PULL_MS, win.document, PULL_MAX_WAIT_MS)
  let refreshQueued = false
  // Every push carries the next number: a jump means some were lost, so nothing pulled since can be trusted.
  const missed = (seq: number): boolean => {
    if (!useApp.getState().noteSeq(seq)) return false
    pullEverything()
    return true
  }
  const offChanged = platform.api.on('session.changed', ({ seq, topics }) => {
    if (missed(seq)) return
    if (topics.some((t) => t !== 'analysis')) {
      // Coalesce bursts of notifications into one snapshot pull.
      if (!refreshQueued) {
        refreshQueued = true
        queueMicrotask(() => {
          refreshQueued = false
          void useApp.getState().refresh()
        })
      }
    }
    // New lines, deploys and health samples all move the analysis.
    if (topics.includes('analysis') || topics.includes('sources') || topics.includes('targets')) analysisPull.schedule()
    if (topics.includes('incident')) incidentPull.schedule()
    runbookPull.schedule()
  })
  const offProgress = platform.api.on('ingest.progress', (event) => {
    missed(event.seq)
    useApp.getState().applyProgress(event)
  })
  if (platform.kind === 'desktop') pullEverything()
  return () => {
    offChanged()
    offProgress()
    analysisPull.cancel()
    incidentPull.cancel()
    runbookPull.cancel()
  }
}
