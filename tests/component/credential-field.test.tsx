import { beforeEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../renderer/src/components/App'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { TriageApiError, type KeychainBridge, type KeychainStatus, type StoreSecretRequest } from '../../shared/contract'
import { fakePlatform } from './fake-platform'

const SECRET = 'triage:Kx9-form-s3cret'
const UNAVAILABLE = 'no OS keychain is available to this app (on Linux: no secret service such as GNOME Keyring or KWallet is running), and secrets are never kept in plain text: use env:NAME or file:PATH'

beforeEach(() => resetAppStore())

/** The desktop bridge's keychain as the main process answers it: names back, never a secret. */
function fakeKeychain(available = true): KeychainBridge & { stored: StoreSecretRequest[]; deleted: string[] } {
  const stored: StoreSecretRequest[] = []
  const deleted: string[] = []
  const status = async (): Promise<KeychainStatus> => ({ available, reason: available ? null : UNAVAILABLE, names: [...new Set(stored.map((s) => s.name))].sort() })
  return {
    stored,
    deleted,
    status,
    store: async (req) => {
      if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(req.name)) throw new TriageApiError({ code: 'bad-request', message: 'name: a keychain name is 1 to 64 of a-z, 0-9, ".", "_" and "-", starting with a letter or digit' })
      stored.push({ ...req })
      return { ref: `keychain:${req.name}` }
    },
    delete: async (req) => {
      deleted.push(req.name)
      for (let i = stored.length - 1; i >= 0; i--) if (stored[i].name === req.name) stored.splice(i, 1)
      return status()
    }
  }
}

function open(platform: ReturnType<typeof fakePlatform>) {
  useApp.getState().setPlatform(platform)
  useApp.getState().setConnection({ status: 'open' })
  return render(<App />)
}

const passwordInputs = () => document.querySelectorAll('.credential-field input[type="password"]')

// Typing is slow on a loaded shared machine: a bound for hangs, not a speed claim.
describe('the credential field', { timeout: 30_000 }, () => {
  it('browser mode (no keychain): a reference only, no secret input', async () => {
    const platform = fakePlatform()
    open(platform)
    expect(screen.getByText(/^Credential \(env:NAME or file:PATH; never the secret\)$/)).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Store a secret in the keychain' })).toBeNull()
    expect(screen.queryByLabelText(/^Secret/)).toBeNull()
    expect(document.querySelector('.add-store input[type="password"]')).toBeNull()
  })

  it('desktop with a keychain: the secret is typed once, stored, and the form sends only keychain:NAME', async () => {
    const keychain = fakeKeychain()
    const platform = fakePlatform({ keychain })
    open(platform)
    expect(await screen.findByText(/^Credential \(env:NAME, file:PATH or keychain:NAME; never the secret\)$/)).toBeTruthy()
    await userEvent.type(screen.getByLabelText('Store URL'), 'http://ch-prod.internal:8123')
    await userEvent.type(screen.getByLabelText('Table / selector / index'), 'logs.access')
    await userEvent.click(screen.getByRole('button', { name: 'Store a secret in the keychain' }))
    // The name offered comes from the store: kind and host.
    expect(screen.getByLabelText('Keychain name').getAttribute('placeholder')).toBe('clickhouse-ch-prod.internal')
    await userEvent.type(screen.getByLabelText(/^Secret/), SECRET)
    await userEvent.click(screen.getByRole('button', { name: 'Store' }))

    await waitFor(() => expect(keychain.stored).toEqual([{ name: 'clickhouse-ch-prod.internal', secret: SECRET }]))
    await waitFor(() => expect((screen.getByLabelText(/^Credential/) as HTMLInputElement).value).toBe('keychain:clickhouse-ch-prod.internal'))
    // Gone from the page once sent: no input holds it, no text shows it.
    expect(screen.queryByLabelText(/^Secret/)).toBeNull()
    expect(passwordInputs()).toHaveLength(0)
    expect(document.body.innerHTML).not.toContain(SECRET)
    expect(document.querySelector('[data-testid="keychain-names"] option')?.getAttribute('value')).toBe('keychain:clickhouse-ch-prod.internal')

    await userEvent.click(screen.getByRole('button', { name: 'Read store' }))
    await waitFor(() => expect(platform.callsTo('addStore')).toHaveLength(1))
    expect(platform.callsTo('addStore')[0].credential).toEqual({ kind: 'keychain', id: 'clickhouse-ch-prod.internal', scheme: 'basic' })
    expect(JSON.stringify(platform.calls)).not.toContain(SECRET)
  })

  it('Enter in the secret stores it and does not submit the store form; a scheme other than basic is written into the reference', async () => {
    const keychain = fakeKeychain()
    const platform = fakePlatform({ keychain })
    open(platform)
    await userEvent.type(screen.getByLabelText('Store URL'), 'http://es.internal:9200')
    await userEvent.type(screen.getByLabelText('Table / selector / index'), 'logs-shop-*')
    await userEvent.click(await screen.findByRole('button', { name: 'Store a secret in the keychain' }))
    await userEvent.type(screen.getByLabelText('Keychain name'), 'es-prod')
    await userEvent.selectOptions(screen.getByLabelText('Sent as'), 'apikey')
    await userEvent.type(screen.getByLabelText(/^Secret/), 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==')
    await userEvent.keyboard('{Enter}')
    await waitFor(() => expect((screen.getByLabelText(/^Credential/) as HTMLInputElement).value).toBe('apikey:keychain:es-prod'))
    expect(keychain.stored.map((s) => s.name)).toEqual(['es-prod'])
    expect(platform.callsTo('addStore')).toEqual([])
  })

  it('a name the keychain refuses is one line; the typed secret is cleared all the same', async () => {
    const keychain = fakeKeychain()
    open(fakePlatform({ keychain }))
    await userEvent.click(await screen.findByRole('button', { name: 'Store a secret in the keychain' }))
    await userEvent.type(screen.getByLabelText('Keychain name'), 'Prod DB')
    await userEvent.type(screen.getByLabelText(/^Secret/), SECRET)
    await userEvent.click(screen.getByRole('button', { name: 'Store' }))
    expect((await screen.findByTestId('keychain-error')).textContent).toMatch(/^name: a keychain name is 1 to 64 of a-z/)
    expect((screen.getByLabelText(/^Secret/) as HTMLInputElement).value).toBe('')
    expect(keychain.stored).toEqual([])
  })

  it('a stored secret can be forgotten by its name; the list shows names only', async () => {
    const keychain = fakeKeychain()
    open(fakePlatform({ keychain }))
    await userEvent.click(await screen.findByRole('button', { name: 'Store a secret in the keychain' }))
    await userEvent.type(screen.getByLabelText('Keychain name'), 'sentry-acme')
    await userEvent.type(screen.getByLabelText(/^Secret/), SECRET)
    await userEvent.click(screen.getByRole('button', { name: 'Store' }))
    await waitFor(() => expect((screen.getByLabelText(/^Credential/) as HTMLInputElement).value).toBe('keychain:sentry-acme'))
    await userEvent.click(screen.getByRole('button', { name: 'Store a secret in the keychain' }))
    const list = screen.getByRole('list', { name: 'Secrets in the keychain' })
    expect(list.textContent).toBe('keychain:sentry-acme Forget sentry-acme')
    await userEvent.click(screen.getByRole('button', { name: 'Forget sentry-acme' }))
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Secrets in the keychain' })).toBeNull())
    expect(keychain.deleted).toEqual(['sentry-acme'])
    expect(document.body.innerHTML).not.toContain(SECRET)
  })

  it('desktop without an OS keychain: says why, and offers no secret input', async () => {
    open(fakePlatform({ keychain: fakeKeychain(false) }))
    expect((await screen.findByTestId('keychain-unavailable')).textContent).toBe(`Keychain: ${UNAVAILABLE}`)
    expect(screen.queryByRole('button', { name: 'Store a secret in the keychain' })).toBeNull()
    expect(passwordInputs()).toHaveLength(0)
    expect(screen.getByText(/^Credential \(env:NAME or file:PATH; never the secret\)$/)).toBeTruthy()
  })
})
