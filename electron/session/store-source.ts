import type { SourceInfo, StoreSourceInfo, StoreSourceSpec } from '../../shared/contract'
import { unreadReason } from '../../shared/analysis/readable'
import { countsOf, type IngestResult, mergeResults } from '../collect/ingest'
import { PollLoop } from '../collect/poll'
import { describeCredential, StoreError, storeAdapter, storeLabel, type StoreAdapter, type StoreReading } from '../collect/store'

/** A followed store's newest window is read this often unless the source says otherwise. */
export const DEFAULT_STORE_INTERVAL_MS = 30_000
/**
 * A followed window ends this long before now: shippers deliver rows seconds late, and a second
 * read once is never read again (windows are disjoint, so counts are never doubled).
 */
export const STORE_INGEST_LAG_MS = 5_000

export interface StoreSourceHooks {
  changed(): void
}

/** The path a store source is known by (cards, v1.sources, incident.json): its URL without credentials, and its query. */
export function storeSourcePath(spec: Pick<StoreSourceSpec, 'url' | 'query'>): string {
  return `${storeLabel(spec.url)} ${spec.query}`
}

const lastWholeSecondBefore = (t: number): number => Math.floor(t / 1000) * 1000 - 1

/**
 * One central log store of the incident: the whole window read once, then, when the window is
 * open-ended (to: null) and the session follows, its newest window read again on a schedule
 * with back-off when the store is slow or unreachable. A failed read keeps what was read.
 */
export class StoreSource {
  private reading: IngestResult | null = null
  private readonly loop: PollLoop | null
  /** Where the next read starts (epoch ms). */
  private nextFrom: number
  private readonly adapter: StoreAdapter
  private stopped = false

  constructor(
    readonly info: SourceInfo & { store: StoreSourceInfo },
    readonly spec: StoreSourceSpec,
    private readonly hooks: StoreSourceHooks,
    follow: boolean,
    adapter?: StoreAdapter,
    private readonly now: () => number = Date.now
  ) {
    this.adapter = adapter ?? storeAdapter(spec.kind)
    this.nextFrom = spec.from
    this.loop =
      follow && spec.to === null
        ? new PollLoop({ intervalMs: spec.intervalMs ?? DEFAULT_STORE_INTERVAL_MS, poll: (signal) => this.readOnce(signal), afterPoll: () => this.afterPoll() })
        : null
  }

  static card(id: string, spec: StoreSourceSpec, addedAt: string): SourceInfo & { store: StoreSourceInfo } {
    return {
      id,
      path: storeSourcePath(spec),
      name: `${spec.kind} ${spec.query}`,
      addedAt,
      sizeBytes: 0,
      lines: 0,
      events: 0,
      eventLines: 0,
      directiveLines: 0,
      unparsed: 0,
      longLines: 0,
      behindBytes: 0,
      state: 'reading',
      bytesDone: 0,
      error: null,
      linesPerSec: 0,
      lastEventAt: null,
      note: null,
      format: null,
      formatForced: false,
      fieldMap: null,
      fieldMapForced: spec.fieldMap && Object.keys(spec.fieldMap).length > 0 ? spec.fieldMap : null,
      unread: null,
      store: {
        kind: spec.kind,
        url: storeLabel(spec.url),
        query: spec.query,
        from: new Date(spec.from).toISOString(),
        to: spec.to === null ? null : new Date(spec.to).toISOString(),
        credential: describeCredential(spec.credential),
        health: 'reading',
        bytesMoved: 0,
        scannedBytes: null,
        warnings: [],
        lastReadAt: null,
        nextReadAt: null
      }
    }
  }

  result(): IngestResult | null {
    return this.reading
  }

  /** The first read (the whole window); a followed store then keeps reading its newest window. */
  async start(): Promise<void> {
    if (this.loop) {
      this.loop.start()
      await this.loop.pollNow()
      return
    }
    await this.readOnce(new AbortController().signal)
    this.hooks.changed()
  }

  /** One read of the window not read yet; true when the store answered. */
  private async readOnce(signal: AbortSignal): Promise<boolean> {
    const to = this.spec.to ?? lastWholeSecondBefore(this.now() - STORE_INGEST_LAG_MS)
    if (to < this.nextFrom) return true
    const spec = { kind: this.spec.kind, url: this.spec.url, query: this.spec.query, from: this.nextFrom, to, credential: this.spec.credential, ...(this.spec.fieldMap ? { fieldMap: this.spec.fieldMap } : {}), ...(this.spec.tenant ? { tenant: this.spec.tenant } : {}) }
    let reading: StoreReading
    try {
      reading = await this.adapter.read(spec, signal)
    } catch (err) {
      if (this.stopped || signal.aborted) return false
      this.failed(err)
      return false
    }
    if (this.stopped) return false
    this.nextFrom = to + 1
    this.reading = this.reading === null ? reading.result : mergeResults([this.reading, reading.result])
    const store = this.info.store
    store.health = 'ok'
    store.bytesMoved += reading.bytesMoved
    store.scannedBytes = reading.scannedBytes === null ? store.scannedBytes : (store.scannedBytes ?? 0) + reading.scannedBytes
    store.warnings = [...new Set([...store.warnings, ...reading.warnings])].slice(-20)
    store.lastReadAt = new Date(this.now()).toISOString()
    this.info.error = null
    this.info.state = this.loop ? 'tailing' : 'ready'
    this.refreshCounts()
    return true
  }

  private failed(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    const store = this.info.store
    if (err instanceof StoreError && err.retryable) store.health = err.kind === 'unreachable' ? 'unreachable' : 'slow'
    else store.health = 'error'
    // What was read stands; a store that never answered is an error card, as an unreadable file is.
    this.info.error = message
    if (this.reading === null && !(this.loop && err instanceof StoreError && err.retryable)) this.info.state = 'error'
  }

  private afterPoll(): void {
    const next = this.loop?.nextPollAt ?? null
    this.info.store.nextReadAt = next === null ? null : new Date(next).toISOString()
    this.hooks.changed()
  }

  private refreshCounts(): void {
    const r = this.reading
    if (!r) return
    const c = countsOf(r)
    this.info.lines = c.lines
    this.info.events = c.events
    this.info.eventLines = c.eventLines
    this.info.directiveLines = c.directiveLines
    this.info.unparsed = c.unparsed
    this.info.format = c.format
    this.info.fieldMap = c.fieldMap
    this.info.sizeBytes = this.info.store.scannedBytes ?? 0
    this.info.bytesDone = this.info.sizeBytes
    this.info.unread = unreadReason(this.info.name, { ...c, dated: c.timeFrom !== null })
    this.info.lastEventAt = c.timeTo === null ? null : new Date(c.timeTo).toISOString()
  }

  async stop(): Promise<void> {
    this.stopped = true
    this.loop?.stop()
  }
}
