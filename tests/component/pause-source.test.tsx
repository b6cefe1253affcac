import { beforeEach, describe, expect, it } from 'vitest'
import { act, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../renderer/src/components/App'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { fakePlatform } from './fake-platform'

beforeEach(() => resetAppStore())

describe('pausing a followed source', () => {
  it('pauses and resumes through the API and says so', async () => {
    const platform = fakePlatform()
    useApp.getState().setPlatform(platform)
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await act(() => useApp.getState().addPath('/var/log/app.log'))
    platform.sources[0].state = 'tailing'
    await act(() => useApp.getState().refresh())
    await userEvent.click(screen.getByRole('button', { name: 'Pause following app.log' }))
    await waitFor(() => expect(screen.getByTestId('source-paused')).toBeTruthy())
    await userEvent.click(screen.getByRole('button', { name: 'Resume following app.log' }))
    await waitFor(() => expect(screen.queryByTestId('source-paused')).toBeNull())
    expect(platform.callsTo('pauseSource')).toEqual([
      { id: platform.sources[0].id, paused: true },
      { id: platform.sources[0].id, paused: false }
    ])
  })
})

describe('choosing a source format', () => {
  it('shows the detected format and asks the host to re-read as the chosen one', async () => {
    const platform = fakePlatform()
    useApp.getState().setPlatform(platform)
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await act(() => useApp.getState().addPath('/var/log/app.log'))
    platform.sources[0].format = 'text-app'
    await act(() => useApp.getState().refresh())
    const select = screen.getByRole('combobox', { name: 'Format of app.log' }) as HTMLSelectElement
    expect(select.options[select.selectedIndex].textContent).toBe('text-app (detected)')
    await userEvent.selectOptions(select, 'logfmt')
    await waitFor(() => expect((screen.getByRole('combobox', { name: 'Format of app.log' }) as HTMLSelectElement).value).toBe('logfmt'))
    expect(platform.callsTo('setSourceFormat')).toEqual([{ id: platform.sources[0].id, format: 'logfmt' }])
  })
})
