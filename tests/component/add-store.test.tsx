import { beforeEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../renderer/src/components/App'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { fakePlatform } from './fake-platform'

beforeEach(() => resetAppStore())

describe('adding a log store', () => {
  it('sends kind, URL, query, window and a credential reference, never a secret', async () => {
    const platform = fakePlatform()
    useApp.getState().setPlatform(platform)
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await userEvent.type(screen.getByLabelText('Store URL'), 'http://127.0.0.1:8123')
    await userEvent.type(screen.getByLabelText('Table / selector / index'), 'logs.access')
    await userEvent.type(screen.getByLabelText('From'), '2026-03-10T14:00')
    await userEvent.type(screen.getByLabelText(/^Credential/), 'env:CLICKHOUSE_AUTH')
    await userEvent.click(screen.getByRole('button', { name: 'Read store' }))
    await waitFor(() => expect(platform.callsTo('addStore')).toHaveLength(1))
    const [req] = platform.callsTo('addStore')
    expect(req).toEqual({
      kind: 'clickhouse',
      url: 'http://127.0.0.1:8123',
      query: 'logs.access',
      from: new Date('2026-03-10T14:00').getTime(),
      to: null,
      credential: { kind: 'env', name: 'CLICKHOUSE_AUTH', scheme: 'basic' }
    })
  })

  it('a credential that is not a reference is refused in the form, nothing is sent', async () => {
    const platform = fakePlatform()
    useApp.getState().setPlatform(platform)
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await userEvent.type(screen.getByLabelText('Store URL'), 'http://127.0.0.1:8123')
    await userEvent.type(screen.getByLabelText('Table / selector / index'), 'logs.access')
    await userEvent.type(screen.getByLabelText(/^Credential/), 'hunter2')
    await userEvent.click(screen.getByRole('button', { name: 'Read store' }))
    expect((await screen.findByTestId('store-error')).textContent).toMatch(/env:NAME or file:PATH/)
    expect(platform.callsTo('addStore')).toEqual([])
  })

  it('a Loki store: the query hint asks for a LogQL selector, and a tenant is sent as given', async () => {
    const platform = fakePlatform()
    useApp.getState().setPlatform(platform)
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await userEvent.selectOptions(screen.getByLabelText('Store kind'), 'loki')
    expect(screen.getByLabelText('Table / selector / index').getAttribute('placeholder')).toMatch(/^LogQL selector: \{app="shop"/)
    await userEvent.type(screen.getByLabelText('Store URL'), 'http://127.0.0.1:3100')
    // userEvent reads { as a key descriptor: {{ types one brace.
    await userEvent.type(screen.getByLabelText('Table / selector / index'), '{{app="shop"}')
    await userEvent.type(screen.getByLabelText(/^Tenant/), 'team-shop')
    await userEvent.type(screen.getByLabelText(/^Credential/), 'bearer:env:LOKI_TOKEN')
    await userEvent.click(screen.getByRole('button', { name: 'Read store' }))
    await waitFor(() => expect(platform.callsTo('addStore')).toHaveLength(1))
    expect(platform.callsTo('addStore')[0]).toMatchObject({ kind: 'loki', url: 'http://127.0.0.1:3100', query: '{app="shop"}', tenant: 'team-shop', credential: { kind: 'env', name: 'LOKI_TOKEN', scheme: 'bearer' } })
  })
})
