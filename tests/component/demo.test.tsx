import { beforeEach, describe, expect, it } from 'vitest'
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { rollbackAnalysis } from './analysis-fixture'
import { renderApp } from './incident-helpers'

beforeEach(() => resetAppStore())

const BANNER = 'Demo running: a simulated shop-api; v2.14.0 is deployed at 14:10:20 UTC and breaks GET /api/orders/:id/receipt'

describe('Demo incident', () => {
  it('the empty screen offers the demo, saying in one sentence what it does', async () => {
    await renderApp({ analysis: null })
    const button = screen.getByRole('button', { name: 'Try the demo incident' })
    expect(button.getAttribute('aria-describedby')).toBeTruthy()
    const description = document.getElementById(button.getAttribute('aria-describedby') ?? '')
    expect(description?.textContent).toMatch(/^Starts a simulated shop-api .* a deploy breaks one route/)
  })

  it('starts the demo in a new incident and shows the banner with the deploy time and the broken route', async () => {
    const platform = await renderApp({ analysis: null })
    await userEvent.click(screen.getByRole('button', { name: 'Try the demo incident' }))
    const banner = await screen.findByTestId('demo-banner')
    expect(banner.textContent).toContain(BANNER)
    expect(banner.textContent).toContain('replacing v2.13.2')
    expect(platform.callsTo('startDemo')).toHaveLength(1)
    await waitFor(() => expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('Demo: shop-api answers 500 after a deploy'))
    expect(screen.getByText('access.log')).toBeTruthy()
    expect(screen.getByText('app.log')).toBeTruthy()
    // The demo's own logs are sources now: the offer has done its job.
    expect(screen.queryByRole('button', { name: 'Try the demo incident' })).toBeNull()
  })

  it('Stop demo stops it and the banner goes', async () => {
    const platform = await renderApp({ analysis: null })
    await userEvent.click(screen.getByRole('button', { name: 'Try the demo incident' }))
    const banner = await screen.findByTestId('demo-banner')
    await userEvent.click(within(banner).getByRole('button', { name: 'Stop demo' }))
    await waitFor(() => expect(screen.queryByTestId('demo-banner')).toBeNull())
    expect(platform.callsTo('stopDemo')).toHaveLength(1)
    expect(screen.getByText('No sources yet.')).toBeTruthy()
  })

  it('is not offered once there is evidence, and says in words when the demo cannot start', async () => {
    const platform = await renderApp({ analysis: rollbackAnalysis() })
    expect(screen.queryByRole('button', { name: 'Try the demo incident' })).toBeNull()

    platform.analysis = null
    await act(() => useApp.getState().refreshAnalysis())
    // Started meanwhile from another window: the host refuses a second one.
    await platform.api.startDemo({})
    await userEvent.click(screen.getByRole('button', { name: 'Try the demo incident' }))
    await waitFor(() => expect(screen.getByTestId('incident-error').textContent).toContain('the demo incident is already running'))
  })
})
