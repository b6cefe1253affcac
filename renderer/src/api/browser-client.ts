import {
  CHANNELS,
  type Channel,
  type Envelope,
  type EventName,
  type EventPayload,
  type SourceInfo,
  type TriageApi,
  type TriageInvoke,
  isEventName,
  TriageApiError
} from '../../../shared/contract'
import type { Platform } from './platform'

export type ConnectionState =
  | { status: 'connecting' }
  | { status: 'open' }
  | { status: 'closed'; message: string }
  | { status: 'refused'; message: string }

export class BrowserConnectionError extends Error {}

/** The token comes in the URL fragment, which browsers never send to a server or a referrer. */
export function tokenFromLocation(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''))
  const token = params.get('token')
  return token && token.length > 0 ? token : null
}

interface Pending {
  resolve(value: unknown): void
  reject(err: Error): void
}

/**
 * TriageApi over the loopback WebSocket of `triage500 serve`: the same session service as the
 * desktop app, reached through the host instead of IPC.
 */
export class BrowserClient {
  private ws: WebSocket | null = null
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private readonly listeners = new Map<EventName, Set<(payload: never) => void>>()
  private readonly stateListeners = new Set<(s: ConnectionState) => void>()
  private state: ConnectionState = { status: 'connecting' }
  private retryMs = 500
  private stopped = false

  constructor(
    private readonly origin: string,
    private readonly token: string | null
  ) {}

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener)
    listener(this.state)
    return () => this.stateListeners.delete(listener)
  }

  private setState(s: ConnectionState): void {
    this.state = s
    for (const l of this.stateListeners) l(s)
  }

  async connect(): Promise<void> {
    if (!this.token) {
      this.setState({
        status: 'refused',
        message: 'No access token in this address. Open the exact URL that `triage500 serve` printed (it ends with #token=…).'
      })
      return
    }
    // A plain request first: a WebSocket refusal is invisible to the page, an HTTP status is not.
    let res: Response
    try {
      res = await fetch(`${this.origin}/api/ping`, { headers: { 'x-triage-token': this.token } })
    } catch {
      return this.retryLater('The Triage500 host is not reachable. Is `triage500 serve` still running?')
    }
    if (res.status === 401)
      return this.setState({ status: 'refused', message: 'Access refused: the token in this address is wrong or from an earlier run. Open the URL that `triage500 serve` printed this time.' })
    if (res.status === 403) return this.setState({ status: 'refused', message: 'Access refused: this page is not allowed to talk to the Triage500 host (wrong origin).' })
    this.openSocket()
  }

  private openSocket(): void {
    const wsUrl = `${this.origin.replace(/^http/, 'ws')}/api/ws?token=${encodeURIComponent(this.token ?? '')}`
    const ws = new WebSocket(wsUrl)
    this.ws = ws
    ws.onopen = () => {
      this.retryMs = 500
      this.setState({ status: 'open' })
    }
    ws.onmessage = (msg) => this.onMessage(String(msg.data))
    ws.onclose = () => {
      this.ws = null
      for (const p of this.pending.values()) p.reject(new BrowserConnectionError('connection to the Triage500 host was lost'))
      this.pending.clear()
      if (!this.stopped) this.retryLater('Connection to the Triage500 host was lost; reconnecting…')
    }
  }

  private retryLater(message: string): void {
    this.setState({ status: 'closed', message })
    if (this.stopped) return
    setTimeout(() => void this.connect(), this.retryMs)
    this.retryMs = Math.min(this.retryMs * 2, 5000)
  }

  private onMessage(text: string): void {
    let msg: { id?: number; envelope?: Envelope<unknown>; event?: unknown; payload?: unknown }
    try {
      msg = JSON.parse(text) as typeof msg
    } catch {
      return
    }
    if (typeof msg.id === 'number' && msg.envelope) {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.envelope.ok) p.resolve(msg.envelope.value)
      else p.reject(new TriageApiError(msg.envelope.error))
      return
    }
    if (isEventName(msg.event)) for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload as never)
  }

  invoke(channel: Channel, payload: unknown): Promise<unknown> {
    const ws = this.ws
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new BrowserConnectionError('not connected to the Triage500 host'))
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      ws.send(JSON.stringify({ id, channel, payload }))
    })
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.listeners.get(event)
    if (!set) this.listeners.set(event, (set = new Set()))
    set.add(listener as (payload: never) => void)
    return () => set.delete(listener as (payload: never) => void)
  }

  async upload(file: File): Promise<SourceInfo> {
    const res = await fetch(`${this.origin}/api/upload?name=${encodeURIComponent(file.name)}`, {
      method: 'POST',
      headers: { 'x-triage-token': this.token ?? '', 'Content-Type': 'application/octet-stream' },
      body: file
    })
    const envelope = (await res.json()) as Envelope<SourceInfo>
    if (!envelope.ok) throw new TriageApiError(envelope.error)
    return envelope.value
  }

  close(): void {
    this.stopped = true
    this.ws?.close()
  }

  api(): TriageApi {
    const invokers = Object.fromEntries(CHANNELS.map((c) => [c, (req: unknown) => this.invoke(c, req)])) as unknown as TriageInvoke
    return { ...invokers, on: (event, listener) => this.on(event, listener) }
  }
}

export function browserPlatform(client: BrowserClient): Platform {
  return { kind: 'browser', api: client.api(), addFile: (file) => client.upload(file) }
}
