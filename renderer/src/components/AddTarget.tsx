import { useId, useState, type FormEvent } from 'react'
import { useApp } from '../store'

/** Health and deploy endpoints to poll. A token typed here is sent with polls and never shown again. */
export function AddTarget() {
  const [kind, setKind] = useState<'health' | 'deploy'>('health')
  const [name, setName] = useState('')
  const [url, setUrl] = useState('')
  const [auth, setAuth] = useState('')
  const addTarget = useApp((s) => s.addTarget)
  const ids = { kind: useId(), name: useId(), url: useId(), auth: useId() }

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    const headers = auth.trim() ? { Authorization: auth.trim() } : undefined
    if (await addTarget({ kind, name: name.trim() || defaultName(url, kind), url: url.trim(), headers })) {
      setName('')
      setUrl('')
      setAuth('')
    }
  }

  return (
    <form className="add-target" onSubmit={onSubmit} aria-label="Add an endpoint to poll">
      <div className="row">
        <label htmlFor={ids.kind} className="sr-only">
          Endpoint kind
        </label>
        <select id={ids.kind} value={kind} onChange={(e) => setKind(e.target.value === 'deploy' ? 'deploy' : 'health')}>
          <option value="health">Health check</option>
          <option value="deploy">Deploy / version</option>
        </select>
        <label htmlFor={ids.name} className="sr-only">
          Endpoint name
        </label>
        <input id={ids.name} type="text" placeholder="name (e.g. postgres)" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <label htmlFor={ids.url}>Endpoint URL</label>
      <div className="row">
        <input id={ids.url} type="text" placeholder="http://127.0.0.1:8080/actuator/health" value={url} spellCheck={false} onChange={(e) => setUrl(e.target.value)} />
        <button type="submit" disabled={!url.trim()}>
          Poll
        </button>
      </div>
      <label htmlFor={ids.auth}>Authorization header (optional, never shown again)</label>
      <input id={ids.auth} type="password" autoComplete="off" placeholder="Bearer …" value={auth} onChange={(e) => setAuth(e.target.value)} />
    </form>
  )
}

function defaultName(url: string, kind: string): string {
  try {
    const u = new URL(url)
    return `${u.hostname}${u.pathname === '/' ? '' : u.pathname}`
  } catch {
    return kind
  }
}
