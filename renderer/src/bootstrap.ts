import { BrowserClient, browserPlatform, tokenFromLocation } from './api/browser-client'
import { desktopPlatform, type Platform } from './api/platform'
import { useApp } from './store'

/**
 * Wires the store to whichever TriageApi this page has: the preload's bridge in the desktop
 * app, or the loopback WebSocket in browser mode. Pushes only say "changed"; the store pulls.
 */
export async function bootstrap(win: Window): Promise<void> {
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
      if (state.status === 'open') void useApp.getState().refresh()
    })
    await client.connect()
  }
  let refreshQueued = false
  platform.api.on('session.changed', () => {
    // Coalesce bursts of notifications into one snapshot pull.
    if (refreshQueued) return
    refreshQueued = true
    queueMicrotask(() => {
      refreshQueued = false
      void useApp.getState().refresh()
    })
  })
  platform.api.on('ingest.progress', (event) => useApp.getState().applyProgress(event))
  if (platform.kind === 'desktop') await useApp.getState().refresh()
}
