import { redactUrl } from './errors'
import type { PollLoop } from './schedule'
import { notify, type PollerStateBase, type ResolvedTarget } from './target'

/**
 * What the health and deploy pollers share: one PollLoop per target, start/stop/poll-now, and
 * a state that is published after every poll and never shows the target's secrets.
 */
export abstract class LoopPoller<S extends PollerStateBase> {
  /** Created by the subclass, whose poll function needs its own fields. */
  protected abstract readonly loop: PollLoop

  protected constructor(
    private readonly label: string,
    protected readonly resolved: ResolvedTarget,
    private readonly onState: ((state: S) => void) | undefined
  ) {}

  abstract get state(): S

  get name(): string {
    return this.resolved.name
  }

  start(): void {
    if (this.loop.running) return
    this.loop.start()
    this.emitState()
  }

  stop(): void {
    if (!this.loop.running) return
    this.loop.stop()
    this.emitState()
  }

  /** Polls now (or joins the poll in flight): a refresh button, never a second concurrent request. */
  pollNow(): Promise<void> {
    return this.loop.pollNow()
  }

  toString(): string {
    return `${this.label}(${this.resolved.name} ${redactUrl(this.resolved.url.toString())})`
  }

  toJSON(): S {
    return this.state
  }

  protected emitState(): void {
    notify(this.onState, this.state)
  }
}
