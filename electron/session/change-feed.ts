import { LIVE_BUDGET } from '../../shared/live-budget'
import type { EventName, EventPayload, SessionChangedEvent } from '../../shared/contract'

export type Listener = <E extends EventName>(event: E, payload: EventPayload<E>) => void
export type Topic = SessionChangedEvent['topics'][number]

/** Live changes are coalesced: at most one notification per window. */
const CHANGE_BATCH_MS = LIVE_BUDGET.changeBatchMs

/**
 * The session's pushes: small notifications, each with the next sequence number, so a listener
 * that misses one can tell. Topic changes are batched, whatever the rate of lines.
 */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>()
  private seqNo = 0
  private readonly pendingTopics = new Set<Topic>()
  private timer: NodeJS.Timeout | null = null
  private closed = false

  /** The number of the last notification sent. */
  get seq(): number {
    return this.seqNo
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(event: E, payload: Omit<EventPayload<E>, 'seq'>): void {
    if (this.closed) return
    const full = { ...payload, seq: ++this.seqNo } as EventPayload<E>
    for (const l of this.listeners) l(event, full)
  }

  /** Notes a change; listeners hear of it once per batch window. */
  changed(topic: Topic): void {
    if (this.closed) return
    this.pendingTopics.add(topic)
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      const topics = [...this.pendingTopics]
      this.pendingTopics.clear()
      this.emit('session.changed', { topics })
    }, CHANGE_BATCH_MS)
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }
}
