import { useId, useState, type FormEvent } from 'react'
import { parseCredentialRef, STORE_KINDS, type StoreKind } from '../../../shared/contract'
import { errorText } from '../api/errors'
import { useApp } from '../store'
import { CredentialField, keychainNameFrom } from './CredentialField'

const HOUR_MS = 3_600_000
/** Basic first: a reference without a scheme is sent as basic authentication. */
const CREDENTIAL_SCHEMES = ['basic', 'bearer', 'apikey'] as const

function hostOf(url: string): string {
  try {
    return new URL(url.trim()).hostname
  } catch {
    return ''
  }
}

/** What each kind reads, as the form's hints: a table, a LogQL selector, an index pattern. */
const HINTS: Record<StoreKind, { url: string; query: string; credential: string }> = {
  clickhouse: { url: 'http://127.0.0.1:8123', query: "logs.access WHERE service = 'shop'", credential: 'env:CLICKHOUSE_AUTH' },
  loki: { url: 'http://127.0.0.1:3100', query: 'LogQL selector: {app="shop", env="prod"} |= "HTTP"', credential: 'bearer:env:LOKI_TOKEN' },
  elasticsearch: { url: 'https://127.0.0.1:9200', query: 'logs-shop-* host.name:web-1', credential: 'apikey:env:ES_API_KEY' },
  opensearch: { url: 'https://127.0.0.1:9200', query: 'logs-shop-* host.name:web-1', credential: 'basic:env:OPENSEARCH_AUTH' }
}

/** `datetime-local` text (the user's local time) → epoch ms; null when empty or unreadable. */
function localTime(text: string): number | null {
  if (text.trim() === '') return null
  const t = new Date(text).getTime()
  return Number.isFinite(t) ? t : null
}

/**
 * A central log store as a source: kind, URL, what to read, the window and where the secret is
 * (env:NAME, file:PATH or, in the desktop app, keychain:NAME: never the secret itself). An empty
 * "to" follows the store up to now.
 */
export function AddStore() {
  const api = useApp((s) => s.platform?.api ?? null)
  const platformKeychain = useApp((s) => s.platform?.keychain !== undefined)
  const [kind, setKind] = useState<StoreKind>('clickhouse')
  const [url, setUrl] = useState('')
  const [query, setQuery] = useState('')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [credential, setCredential] = useState('')
  /** Loki's X-Scope-OrgID; empty for a single-tenant Loki. */
  const [tenant, setTenant] = useState('')
  const [error, setError] = useState<string | null>(null)
  const ids = { kind: useId(), url: useId(), query: useId(), from: useId(), to: useId(), tenant: useId() }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!api) return
    const ref = parseCredentialRef(credential)
    if (ref === null) {
      setError(`Credential: env:NAME or file:PATH${platformKeychain ? ' or keychain:NAME' : ''} (optionally after basic:, bearer: or apikey:)`)
      return
    }
    const end = localTime(to)
    const start = localTime(from) ?? (end ?? Date.now()) - HOUR_MS
    try {
      setError(null)
      await api.addStore({ kind, url: url.trim(), query: query.trim(), from: start, to: end, credential: ref, ...(kind === 'loki' && tenant.trim() !== '' ? { tenant: tenant.trim() } : {}) })
      setUrl('')
      setQuery('')
    } catch (err) {
      setError(errorText(err))
    }
  }

  return (
    <form className="add-store" onSubmit={onSubmit} aria-label="Add a log store">
      <div className="row">
        <label htmlFor={ids.kind} className="sr-only">
          Store kind
        </label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(STORE_KINDS.find((k) => k === e.target.value) ?? 'clickhouse')}>
          {STORE_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor={ids.url} className="sr-only">
          Store URL
        </label>
        <input id={ids.url} type="text" placeholder={HINTS[kind].url} value={url} spellCheck={false} onChange={(e) => setUrl(e.target.value)} />
      </div>
      <label htmlFor={ids.query}>Table / selector / index</label>
      <input id={ids.query} type="text" placeholder={HINTS[kind].query} value={query} spellCheck={false} onChange={(e) => setQuery(e.target.value)} />
      <div className="row">
        <label htmlFor={ids.from}>From</label>
        <input id={ids.from} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor={ids.to}>To (empty: follow)</label>
        <input id={ids.to} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />
      </div>
      {kind === 'loki' ? (
        <>
          <label htmlFor={ids.tenant}>Tenant (X-Scope-OrgID; empty: single-tenant)</label>
          <input id={ids.tenant} type="text" placeholder="team-shop" value={tenant} spellCheck={false} onChange={(e) => setTenant(e.target.value)} />
        </>
      ) : null}
      <CredentialField value={credential} onChange={setCredential} label="Credential" placeholder={HINTS[kind].credential} schemes={CREDENTIAL_SCHEMES} suggestedName={keychainNameFrom(`${kind}-${hostOf(url)}`)} />
      <div className="row">
        <button type="submit" disabled={!url.trim() || !query.trim()}>
          Read store
        </button>
      </div>
      {error ? (
        <p className="error-box" role="alert" data-testid="store-error">
          {error}
        </p>
      ) : null}
    </form>
  )
}
