import { useEffect, useId, useState, type KeyboardEvent } from 'react'
import { KEYCHAIN_NAME_RULE, type KeychainStatus } from '../../../shared/contract'
import { errorText } from '../api/errors'
import { useApp } from '../store'

export type CredentialScheme = 'basic' | 'bearer' | 'apikey'

export interface CredentialFieldProps {
  /** The reference text the form parses (`env:NAME`, `file:PATH`, `keychain:NAME`, maybe after a scheme). */
  value: string
  onChange(text: string): void
  /** What the secret is ("Credential", "Sentry token"): the start of the field's label. */
  label: string
  placeholder: string
  /** How the secret may be sent, the parser's default first; one: the form fixes it and no scheme is written. */
  schemes?: readonly CredentialScheme[]
  /** A name offered for a new keychain secret. */
  suggestedName?: string
}

/** A name the keychain accepts, from any text (a host, a kind): lower case, no path. */
export function keychainNameFrom(text: string): string {
  const name = text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 64)
  return KEYCHAIN_NAME_RULE.test(name) ? name : ''
}

/**
 * Where a secret comes from, never the secret in the form's spec: a reference typed by hand,
 * or, in the desktop app with an OS keychain, a secret typed once into a password input and
 * stored encrypted. The secret goes to the keychain alone, this field keeps it only until
 * then, and what comes back is the reference `keychain:NAME`.
 */
export function CredentialField({ value, onChange, label, placeholder, schemes = ['basic'], suggestedName = '' }: CredentialFieldProps) {
  const keychain = useApp((s) => s.platform?.keychain ?? null)
  const [status, setStatus] = useState<KeychainStatus | null>(null)
  const [open, setOpen] = useState(false)
  const [name, setName] = useState('')
  const [scheme, setScheme] = useState<CredentialScheme>(schemes[0] ?? 'basic')
  const [secret, setSecret] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const ids = { ref: useId(), names: useId(), name: useId(), scheme: useId(), secret: useId() }

  useEffect(() => {
    if (!keychain) return
    let live = true
    keychain.status().then(
      (s) => live && setStatus(s),
      (err: unknown) => live && setStatus({ available: false, reason: errorText(err), names: [] })
    )
    return () => {
      live = false
    }
  }, [keychain])

  const usable = keychain !== null && status?.available === true
  const keyName = name.trim() || suggestedName

  async function store() {
    if (!keychain || busy) return
    setBusy(true)
    try {
      setError(null)
      const { ref } = await keychain.store({ name: keyName, secret })
      onChange(schemes.length > 1 && scheme !== schemes[0] ? `${scheme}:${ref}` : ref)
      setStatus(await keychain.status())
      setOpen(false)
      setName('')
    } catch (err) {
      setError(errorText(err))
    } finally {
      // Kept here only until it was sent, whether or not the keychain took it.
      setSecret('')
      setBusy(false)
    }
  }

  async function forget(stored: string) {
    if (!keychain || busy) return
    setBusy(true)
    try {
      setError(null)
      setStatus(await keychain.delete({ name: stored }))
    } catch (err) {
      setError(errorText(err))
    } finally {
      setBusy(false)
    }
  }

  // Enter here would submit the surrounding form before the secret is stored.
  function onSecretKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter') return
    e.preventDefault()
    void store()
  }

  return (
    <div className="credential-field">
      <label htmlFor={ids.ref}>
        {label} ({usable ? 'env:NAME, file:PATH or keychain:NAME' : 'env:NAME or file:PATH'}; never the secret)
      </label>
      <div className="row">
        <input id={ids.ref} type="text" placeholder={placeholder} value={value} spellCheck={false} autoComplete="off" list={usable ? ids.names : undefined} onChange={(e) => onChange(e.target.value)} />
        {usable ? (
          <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
            Store a secret in the keychain
          </button>
        ) : null}
      </div>
      {usable ? (
        <datalist id={ids.names} data-testid="keychain-names">
          {(status?.names ?? []).map((n) => (
            <option key={n} value={`keychain:${n}`} />
          ))}
        </datalist>
      ) : null}
      {keychain !== null && status !== null && !status.available ? (
        <p className="muted" data-testid="keychain-unavailable">
          Keychain: {status.reason}
        </p>
      ) : null}
      {usable && open ? (
        <div className="keychain-store" role="group" aria-label="Store a secret in the keychain">
          <div className="row">
            <label htmlFor={ids.name}>Keychain name</label>
            <input id={ids.name} type="text" placeholder={suggestedName || 'clickhouse-prod'} value={name} spellCheck={false} autoComplete="off" onChange={(e) => setName(e.target.value)} />
            {schemes.length > 1 ? (
              <>
                <label htmlFor={ids.scheme}>Sent as</label>
                <select id={ids.scheme} value={scheme} onChange={(e) => setScheme(schemes.find((s) => s === e.target.value) ?? scheme)}>
                  {schemes.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </>
            ) : null}
          </div>
          <label htmlFor={ids.secret}>Secret (stored encrypted by the OS keychain, never shown again)</label>
          <div className="row">
            <input id={ids.secret} type="password" autoComplete="off" value={secret} onKeyDown={onSecretKey} onChange={(e) => setSecret(e.target.value)} />
            <button type="button" disabled={busy || secret.trim() === '' || keyName === ''} onClick={() => void store()}>
              Store
            </button>
          </div>
          {status && status.names.length > 0 ? (
            <ul className="keychain-names" aria-label="Secrets in the keychain">
              {status.names.map((n) => (
                <li key={n}>
                  <code>keychain:{n}</code>{' '}
                  <button type="button" disabled={busy} onClick={() => void forget(n)}>
                    Forget {n}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="error-box" role="alert" data-testid="keychain-error">
          {error}
        </p>
      ) : null}
    </div>
  )
}
