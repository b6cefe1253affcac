import type { HealthSample } from '../../../shared/model/evidence'
import { PollError, cancelledError } from './errors'
import { readHealthResponse, type HealthShape } from './health-shapes'
import { httpGet } from './http-get'
import { PollLoop } from './schedule'
import { LoopPoller } from './poller'
import { notify, resolveTarget, type PollTarget, type PollerStateBase, type ResolvedTarget } from './target'

export type HealthTarget = PollTarget

const HEALTH_ACCEPT = 'application/health+json, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1'

export interface HealthPollResult {
  sample: HealthSample
  /** False when the poll got no usable answer (the kind of failure that backs off). */
  answered: boolean
  shape: HealthShape | null
}

export interface PollOnceOptions {
  signal?: AbortSignal
  now?: () => number
}

async function probeHealth(target: ResolvedTarget, options: PollOnceOptions = {}): Promise<HealthPollResult> {
  const at = (options.now ?? Date.now)()
  const started = performance.now()
  try {
    const res = await httpGet(target.url, {
      timeoutMs: target.timeoutMs,
      headers: target.headers,
      accept: HEALTH_ACCEPT,
      signal: options.signal
    })
    let reading
    try {
      reading = readHealthResponse(res.status, res.contentType, res.body)
    } catch (err) {
      if (!(err instanceof PollError)) throw err
      // It answered, but nothing usable: a failed poll (backs off) that still shows the status.
      return {
        sample: { at, target: target.name, ok: false, status: res.status, latencyMs: res.latencyMs, error: err.message, components: [] },
        answered: false,
        shape: null
      }
    }
    return {
      sample: { at, target: target.name, ok: reading.ok, status: res.status, latencyMs: res.latencyMs, error: reading.error, components: reading.components },
      answered: true,
      shape: reading.shape
    }
  } catch (err) {
    if (options.signal?.aborted) throw cancelledError()
    if (!(err instanceof PollError)) throw err
    return {
      sample: {
        at,
        target: target.name,
        ok: false,
        status: null,
        latencyMs: Math.round(performance.now() - started),
        error: err.message,
        components: []
      },
      answered: false,
      shape: null
    }
  }
}

/**
 * One health poll. Never rejects for what the endpoint did (timeouts, refusals, garbage are
 * samples with ok:false and the error in words); rejects with PollError 'cancelled' on abort.
 */
export async function pollHealthOnce(target: HealthTarget, options: PollOnceOptions = {}): Promise<HealthSample> {
  return (await probeHealth(resolveTarget(target), options)).sample
}

export interface HealthPollerState extends PollerStateBase {
  ok: boolean | null
  status: number | null
  latencyMs: number | null
  components: HealthSample['components']
}

export interface HealthPollerListeners {
  onSample?: (sample: HealthSample) => void
  onState?: (state: HealthPollerState) => void
}

export interface PollerOptions {
  /** Source of jitter; tests pass a fixed one. */
  random?: () => number
}

export class HealthPoller extends LoopPoller<HealthPollerState> {
  protected readonly loop: PollLoop
  private last: HealthSample | null = null
  private internalError: string | null = null

  constructor(
    target: HealthTarget,
    private readonly listeners: HealthPollerListeners = {},
    options: PollerOptions = {}
  ) {
    super('HealthPoller', resolveTarget(target), listeners.onState)
    this.loop = new PollLoop({
      intervalMs: this.resolved.intervalMs,
      random: options.random,
      poll: async (signal) => {
        const result = await probeHealth(this.resolved, { signal })
        if (signal.aborted) return false
        this.last = result.sample
        this.internalError = null
        notify(this.listeners.onSample, result.sample)
        return result.answered
      },
      afterPoll: () => this.emitState(),
      onError: (err) => {
        this.internalError = `internal error: ${err instanceof Error ? err.message : String(err)}`
      }
    })
  }

  get state(): HealthPollerState {
    const last = this.last
    return {
      target: this.resolved.name,
      running: this.loop.running,
      lastPollAt: last?.at ?? null,
      lastError: this.internalError ?? last?.error ?? null,
      consecutiveFailures: this.loop.consecutiveFailures,
      nextPollAt: this.loop.nextPollAt,
      ok: last?.ok ?? null,
      status: last?.status ?? null,
      latencyMs: last?.latencyMs ?? null,
      components: last?.components ?? []
    }
  }
}
