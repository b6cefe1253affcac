import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker, type MessagePort } from 'node:worker_threads'
import type { ReadLinesResponse, SourceInfo, StoreSourceSpec } from '../../shared/contract'
import type { AnalysisSnapshot } from '../../shared/contract/analysis'
import type { DeployEvent, FieldMap, HealthSample, LogFormatId } from '../../shared/model/evidence'
import type { ReadProgress } from '../collect/read-file'
import type { SourceFileInfo } from '../collect/source-file'
import { UserError } from './errors'
import { SourceSet } from './sources'
import type { ScanTargets, SeenExtent, SourceHost, SourceSetHooks } from './source-host-api'

export type { SourceHost } from './source-host-api'
import type { StoreAdapter, StoreKind } from '../collect/store'
import { StoreError } from '../collect/store/errors'
import type { KeychainLookup } from '../collect/store/credentials'
import { KEYCHAIN_DESKTOP_ONLY } from '../../shared/contract/credentials'

/** What the live worker is started with. */
export interface LiveWorkerData {
  follow: boolean
  workers: number | undefined
  /** The main thread answers keychain lookups. */
  keychain: boolean
}


/** The calls the worker answers: SourceHost's methods but infos/has (mirrored) and close. */
type Remote = Omit<SourceHost, 'has' | 'infos' | 'close' | 'remote'>
type Method = keyof Remote

export type HostCall = { [M in Method]: { id: number; method: M; args: Parameters<Remote[M]> } }[Method]
export type HostMessage =
  | { type: 'reply'; id: number; ok: true; value: unknown; infos: SourceInfo[] }
  | { type: 'reply'; id: number; ok: false; message: string; user: boolean; infos: SourceInfo[] }
  /** A source's counters moved (lines read, state): the cards, and the evidence, changed. */
  | { type: 'changed'; infos: SourceInfo[] }
  | { type: 'progress'; sourceId: string; progress: ReadProgress; infos: SourceInfo[] }
  /** A store read needs a keychain secret: only the main thread's vault (Electron safeStorage) can decrypt it. */
  | { type: 'keychain'; id: number; name: string }

/** The main thread's answer to a keychain lookup: the secret stays inside this process, between its threads. */
export type KeychainReply = { type: 'keychain-reply'; id: number; ok: true; secret: string | null } | { type: 'keychain-reply'; id: number; ok: false; message: string }

/**
 * The live worker's side: a SourceSet answering calls and reporting its changes. With `keychain`,
 * its store reads ask the main thread for `keychain:` secrets.
 */
export function serveSourceHost(port: MessagePort, follow: boolean, workers: number | undefined, keychain = false): void {
  const post = (msg: HostMessage): void => port.postMessage(msg)
  const lookups = new Map<number, { resolve(secret: string | null): void; reject(e: Error): void }>()
  let nextLookup = 1
  const lookup: KeychainLookup = (name) =>
    new Promise((resolve, reject) => {
      const id = nextLookup++
      lookups.set(id, { resolve, reject })
      post({ type: 'keychain', id, name })
    })
  const set: SourceSet = new SourceSet(
    {
      changed: () => post({ type: 'changed', infos: set.infos() }),
      progress: (sourceId, progress) => post({ type: 'progress', sourceId, progress, infos: set.infos() })
    },
    follow,
    workers,
    undefined,
    keychain ? lookup : undefined
  )
  port.on('message', (call: HostCall | KeychainReply) => {
    if ('type' in call) {
      const pending = lookups.get(call.id)
      lookups.delete(call.id)
      if (call.ok) pending?.resolve(call.secret)
      else pending?.reject(new StoreError('credential', call.message))
      return
    }
    const run = (set[call.method] as (...args: unknown[]) => Promise<unknown>).apply(set, call.args)
    run.then(
      (value) => post({ type: 'reply', id: call.id, ok: true, value, infos: set.infos() }),
      (err: unknown) =>
        post({ type: 'reply', id: call.id, ok: false, message: err instanceof Error ? err.message : String(err), user: err instanceof UserError, infos: set.infos() })
    )
  })
}

/** The live worker script beside the running bundle, when built; tests of the source run in-thread. */
export function findLiveWorkerScript(): string | null {
  const here = path.dirname(fileURLToPath(import.meta.url))
  for (const candidate of [path.join(here, 'live-worker.js'), path.join(here, '..', 'live-worker.js')])
    if (existsSync(candidate)) return candidate
  return null
}

/**
 * The main thread's side of the live worker (or of any port serveSourceHost answers on): calls
 * go over, the source cards are mirrored back with every message.
 */
export class RemoteSourceHost implements SourceHost {
  readonly remote = true
  private mirror: SourceInfo[] = []
  private nextId = 1
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
  private failure: Error | null = null

  constructor(
    private readonly port: Worker | MessagePort,
    private readonly hooks: SourceSetHooks,
    /** Answers the worker's keychain lookups (the desktop app's vault); none: the worker was not told there is one. */
    private readonly keychain?: KeychainLookup
  ) {
    // The session's close() ends it; it must never be what keeps a process alive.
    port.unref()
    port.on('message', (msg: HostMessage) => this.onMessage(msg))
    port.on('error', (err: Error) => this.fail(new Error(`the live worker failed: ${err.message}`)))
    port.on(port instanceof Worker ? 'exit' : 'close', () => this.fail(new Error('the live worker stopped')))
  }

  private fail(err: Error): void {
    this.failure ??= err
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
  }

  private onMessage(msg: HostMessage): void {
    if (msg.type === 'keychain') {
      this.answerKeychain(msg.id, msg.name)
      return
    }
    this.mirror = msg.infos
    if (msg.type === 'changed') this.hooks.changed()
    else if (msg.type === 'progress') this.hooks.progress(msg.sourceId, msg.progress)
    else {
      const p = this.pending.get(msg.id)
      if (!p) return
      this.pending.delete(msg.id)
      if (msg.ok) p.resolve(msg.value)
      else p.reject(msg.user ? new UserError(msg.message) : new Error(msg.message))
    }
  }

  private answerKeychain(id: number, name: string): void {
    const reply = (msg: KeychainReply): void => this.port.postMessage(msg)
    if (!this.keychain) {
      reply({ type: 'keychain-reply', id, ok: false, message: KEYCHAIN_DESKTOP_ONLY })
      return
    }
    this.keychain(name).then(
      (secret) => reply({ type: 'keychain-reply', id, ok: true, secret }),
      // Only the message crosses: a vault error names the secret, never holds it.
      (err: unknown) => reply({ type: 'keychain-reply', id, ok: false, message: err instanceof Error ? err.message : String(err) })
    )
  }

  private call<M extends Method>(method: M, ...args: Parameters<Remote[M]>): Promise<Awaited<ReturnType<Remote[M]>>> {
    if (this.failure) return Promise.reject(this.failure)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.port.postMessage({ id, method, args } as HostCall)
    })
  }

  has(id: string): boolean {
    return this.mirror.some((s) => s.id === id)
  }

  infos(): SourceInfo[] {
    return this.mirror.map((s) => ({ ...s }))
  }

  add(req: { path: string; format?: LogFormatId; fieldMap?: FieldMap }): Promise<{ info: SourceInfo; file: SourceFileInfo }> {
    return this.call('add', req)
  }

  reread(id: string, format: LogFormatId | null, fieldMap: FieldMap | null): Promise<SourceInfo> {
    return this.call('reread', id, format, fieldMap)
  }

  idle(): Promise<void> {
    return this.call('idle')
  }

  remove(id: string): Promise<SourceInfo> {
    return this.call('remove', id)
  }

  pause(id: string, paused: boolean): Promise<SourceInfo> {
    return this.call('pause', id, paused)
  }

  readLines(id: string, fromLine: number, count: number): Promise<ReadLinesResponse> {
    return this.call('readLines', id, fromLine, count)
  }

  stopAll(): Promise<SeenExtent[]> {
    return this.call('stopAll')
  }

  addStore(spec: StoreSourceSpec): Promise<SourceInfo> {
    return this.call('addStore', spec)
  }

  scanTargets(): Promise<ScanTargets> {
    return this.call('scanTargets')
  }

  analyze(deploys: DeployEvent[], health: HealthSample[], now: number | undefined): Promise<AnalysisSnapshot | null> {
    return this.call('analyze', deploys, health, now)
  }

  async close(): Promise<void> {
    if (!this.failure) await this.stopAll().catch(() => undefined)
    this.fail(new Error('the session is closed'))
    if (this.port instanceof Worker) await this.port.terminate()
    else this.port.close()
  }
}

/** The live worker when the bundle has one and sources are followed; this thread otherwise. */
export function createSourceHost(
  hooks: SourceSetHooks,
  follow: boolean,
  workers: number | undefined,
  /** Store adapters of a test (they cannot cross to the worker): the sources then stay in this thread. */
  adapters?: Partial<Record<StoreKind, StoreAdapter>>,
  /** The desktop app's keychain, for `keychain:` store credentials. */
  keychain?: KeychainLookup
): SourceHost {
  const script = follow && !adapters ? findLiveWorkerScript() : null
  return script
    ? new RemoteSourceHost(new Worker(script, { workerData: { follow, workers, keychain: keychain !== undefined } satisfies LiveWorkerData }), hooks, keychain)
    : new SourceSet(hooks, follow, workers, adapters, keychain)
}
