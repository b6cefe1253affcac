/** Longest wait between polls of a failing target: 4× the interval, at most 5 minutes (never below the interval). */
export function backoffCapMs(intervalMs: number): number {
  return Math.max(intervalMs, Math.min(4 * intervalMs, 5 * 60_000))
}

/**
 * The wait before the next poll: the interval, doubled for each failure after the first (one
 * blip does not slow polling), capped, then jittered ±10% so many pollers do not align.
 */
export function nextDelayMs(intervalMs: number, consecutiveFailures: number, random: () => number = Math.random): number {
  const base =
    consecutiveFailures <= 1 ? intervalMs : Math.min(intervalMs * 2 ** (consecutiveFailures - 1), backoffCapMs(intervalMs))
  return Math.max(1, Math.round(base * (1 + (random() * 2 - 1) * 0.1)))
}

export interface PollLoopOptions {
  intervalMs: number
  /** One poll; resolves true when it counts as a success (resets the backoff). Must honour `signal`. */
  poll: (signal: AbortSignal) => Promise<boolean>
  /** After each poll, once the next one is scheduled (or the loop stopped). */
  afterPoll?: () => void
  /** A poll that threw (a bug, not an endpoint failure): counted as a failure and handed here. */
  onError?: (err: unknown) => void
  random?: () => number
}

/**
 * Runs polls one at a time: the next is scheduled only when the previous one ended, so two
 * polls of one target never overlap. stop() aborts the poll in flight and the timer.
 */
export class PollLoop {
  private timer: ReturnType<typeof setTimeout> | null = null
  private controller: AbortController | null = null
  private inFlight: Promise<void> | null = null
  private active = false
  private failures = 0
  private nextAt: number | null = null

  constructor(private readonly options: PollLoopOptions) {}

  get running(): boolean {
    return this.active
  }

  get consecutiveFailures(): number {
    return this.failures
  }

  get nextPollAt(): number | null {
    return this.nextAt
  }

  start(): void {
    if (this.active) return
    this.active = true
    void this.pollNow()
  }

  stop(): void {
    this.active = false
    this.clearTimer()
    this.controller?.abort()
    this.controller = null
    // The aborted poll settles on its own; a restart must not wait on it.
    this.inFlight = null
  }

  /** Polls now unless a poll is in flight (then waits for that one); resolves when it ended. */
  pollNow(): Promise<void> {
    if (this.inFlight) return this.inFlight
    this.clearTimer()
    const controller = new AbortController()
    this.controller = controller
    const run = async (): Promise<void> => {
      let success = false
      try {
        success = await this.options.poll(controller.signal)
      } catch (err) {
        success = false
        if (!controller.signal.aborted) this.options.onError?.(err)
      }
      if (controller.signal.aborted) return
      this.inFlight = null
      this.controller = null
      this.failures = success ? 0 : this.failures + 1
      if (this.active) {
        const delay = nextDelayMs(this.options.intervalMs, this.failures, this.options.random)
        this.nextAt = Date.now() + delay
        this.timer = setTimeout(() => {
          this.timer = null
          void this.pollNow()
        }, delay)
      }
      this.options.afterPoll?.()
    }
    this.inFlight = run()
    return this.inFlight
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.nextAt = null
  }
}
