import { beforeEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor, within } from '@testing-library/react'
import { ANALYSIS_PULL_MS, bootstrap } from '../../renderer/src/bootstrap'
import { App } from '../../renderer/src/components/App'
import { resetAppStore } from '../../renderer/src/store'
import type { DesktopBridge } from '../../shared/contract'
import { rollbackAnalysis } from './analysis-fixture'
import { fakePlatform } from './fake-platform'

beforeEach(() => resetAppStore())

/** The page as the desktop preload leaves it: `window.triage` is the bridge. */
function desktopWindow(platform: ReturnType<typeof fakePlatform>): Window {
  const bridge: DesktopBridge = { ...platform.api, platform: 'desktop', pathForFile: (f: File) => `/dropped/${f.name}`, savePdf: async () => null }
  return { triage: bridge, document, location: window.location } as unknown as Window
}

describe('Live updates', () => {
  it('pulls the analysis once per burst of notifications, debounced, and shows it without re-mounting', async () => {
    const platform = fakePlatform({ analysis: null })
    render(<App />)
    const stop = await bootstrap(desktopWindow(platform))
    await waitFor(() => expect(platform.callsTo('getAnalysis')).toHaveLength(1))
    expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'No verdict yet' })).toBeTruthy()
    // The runbook is the session's: pulled, never built here.
    const runbookTitle = await screen.findByTestId('runbook-title')
    expect(runbookTitle.textContent).toBe('No sustained 5xx: keep watching')
    const runbookPulls = platform.callsTo('getRunbook').length

    platform.analysis = rollbackAnalysis()
    const started = performance.now()
    for (let i = 0; i < 10; i++) platform.emit('session.changed', { seq: i + 2, topics: i % 2 ? ['analysis'] : ['sources'] })
    await waitFor(() => expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'Roll back the deploy' })).toBeTruthy())
    expect(performance.now() - started).toBeGreaterThanOrEqual(ANALYSIS_PULL_MS - 5)
    expect(platform.callsTo('getAnalysis')).toHaveLength(2)
    expect(screen.getByTestId('runbook-title')).toBe(runbookTitle)
    await waitFor(() => expect(runbookTitle.textContent).toBe('Roll back the deploy'))
    expect(platform.callsTo('getRunbook')).toHaveLength(runbookPulls + 1)

    // Incident changes (a step checked in another window) are pulled too.
    platform.incident = { ...platform.incident, chosenPlaybook: 'endpoint' }
    platform.emit('session.changed', { seq: 12, topics: ['incident'] })
    await waitFor(() => expect(runbookTitle.textContent).toBe('One endpoint is failing'))
    expect(platform.callsTo('getAnalysis')).toHaveLength(2)
    expect(platform.callsTo('getRunbook')).toHaveLength(runbookPulls + 2)
    stop()
  })
})
