import { beforeEach, describe, expect, it } from 'vitest'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../renderer/src/components/App'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { fakePlatform } from './fake-platform'

beforeEach(() => resetAppStore())

function setup(opts?: { failAdd?: string }) {
  const platform = fakePlatform(opts)
  useApp.getState().setPlatform(platform)
  useApp.getState().setConnection({ status: 'open' })
  render(<App />)
  return platform
}

describe('App', () => {
  it('shows an empty incident with a Runbook area and the add-source controls', async () => {
    setup()
    await act(() => useApp.getState().refresh())
    expect(screen.getByRole('heading', { name: 'Runbook' })).toBeTruthy()
    expect(screen.getByRole('heading', { name: 'Checkout 500s' })).toBeTruthy()
    expect(screen.getByText('No sources yet.')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Add' })).toHaveProperty('disabled', true)
  })

  it('adds a path and lists it with size and line count', async () => {
    setup()
    await userEvent.type(screen.getByLabelText('Log file path'), '/var/log/app.log')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(screen.getByTestId('source-lines').textContent).toBe('42 lines'))
    expect(screen.getByTestId('source-size').textContent).toBe('2 KB')
    expect((screen.getByLabelText('Log file path') as HTMLInputElement).value).toBe('')
  })

  it('shows the error in words and keeps the typed path', async () => {
    setup({ failAdd: '/nope.log: no such file' })
    await userEvent.type(screen.getByLabelText('Log file path'), '/nope.log')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('/nope.log: no such file'))
    expect((screen.getByLabelText('Log file path') as HTMLInputElement).value).toBe('/nope.log')
  })

  it('adds files dropped anywhere on the window', async () => {
    setup()
    const file = new File(['a\nb\n'], 'dropped.log', { type: 'text/plain' })
    const drop = new Event('drop', { bubbles: true, cancelable: true })
    Object.defineProperty(drop, 'dataTransfer', { value: { files: [file], types: ['Files'] } })
    act(() => {
      window.dispatchEvent(drop)
    })
    expect(drop.defaultPrevented).toBe(true)
    await waitFor(() => expect(screen.getByText('dropped.log')).toBeTruthy())
  })

  it('removes a source', async () => {
    setup()
    await act(() => useApp.getState().addPath('/var/log/x.log'))
    await userEvent.click(screen.getByRole('button', { name: 'Remove x.log' }))
    await waitFor(() => expect(screen.getByText('No sources yet.')).toBeTruthy())
  })

  it('says in words when the host refuses the connection', () => {
    setup()
    act(() => useApp.getState().setConnection({ status: 'refused', message: 'Access refused: wrong token' }))
    expect(screen.getByTestId('connection-notice').textContent).toBe('Access refused: wrong token')
  })

  it('shows a progress bar while a source is being read', async () => {
    const platform = setup()
    await act(() => useApp.getState().addPath('/var/log/big.log'))
    platform.sources[0].state = 'reading'
    await act(() => useApp.getState().refresh())
    act(() => useApp.getState().applyProgress({ seq: 3, sourceId: '1', bytesDone: 1024, bytesTotal: 2048, linesPerSec: 0 }))
    const bar = screen.getByRole('progressbar', { name: 'Reading big.log' }) as HTMLProgressElement
    expect(bar.value).toBe(1024)
    fireEvent.click(screen.getByRole('button', { name: 'Remove big.log' }))
  })
})
