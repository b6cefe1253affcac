import type { DeployEvent } from '../../../shared/model/evidence'
import { PollError, cancelledError } from './errors'
import { readDeployDocument, type DeployMapping, type DeployShape, type DeployTimeKind } from './deploy-shapes'
import { httpGet } from './http-get'
import { PollLoop } from './schedule'
import { LoopPoller } from './poller'
import { notify, resolveTarget, type PollTarget, type PollerStateBase, type ResolvedTarget } from './target'
import type { PollOnceOptions, PollerOptions } from './health'

export interface DeployTarget extends PollTarget {
  /** Field paths for a generic JSON endpoint; without it the shape is detected. */
  mapping?: DeployMapping
  /** GitHub deployments: only those of this environment. */
  environment?: string
}

/** What one deploy poll saw live. */
export interface DeployObservation {
  version: string
  /** The endpoint's time for this version (see atKind); null when it gives none. */
  at: number | null
  /** 'deployed' (Argo CD, GitHub, a mapping's `at`) is when it went live; 'built'/'committed' are not. */
  atKind: DeployTimeKind | null
  commit: string | null
  shape: DeployShape
  /** When this poll ran. */
  observedAt: number
}

/**
 * One deploy poll. Rejects with PollError when the endpoint gives no readable version
 * (timeout, HTTP error, not JSON, unknown shape…), 'cancelled' on abort.
 */
export async function pollDeployOnce(target: DeployTarget, options: PollOnceOptions = {}): Promise<DeployObservation> {
  return probeDeploy(resolveTarget(target), target, options)
}

async function probeDeploy(resolved: ResolvedTarget, target: DeployTarget, options: PollOnceOptions): Promise<DeployObservation> {
  const observedAt = (options.now ?? Date.now)()
  try {
    const res = await httpGet(resolved.url, {
      timeoutMs: resolved.timeoutMs,
      headers: resolved.headers,
      accept: 'application/json, */*;q=0.1',
      signal: options.signal
    })
    if (res.status < 200 || res.status >= 300) throw new PollError('http', `HTTP ${res.status}`)
    let doc: unknown
    try {
      doc = JSON.parse(res.body.toString('utf8'))
    } catch (err) {
      throw new PollError('unreadable', `unreadable response: not JSON (${(err as Error).message.slice(0, 120)})`)
    }
    const reading = readDeployDocument(doc, { mapping: target.mapping, environment: target.environment })
    return { ...reading, observedAt }
  } catch (err) {
    if (options.signal?.aborted) throw cancelledError()
    throw err
  }
}

export type DeployChangeKind = 'first-seen' | 'unchanged' | 'changed'

export interface DeployChange {
  kind: DeployChangeKind
  previousVersion: string | null
  /**
   * The deploy as evidence: always for 'changed'; for 'first-seen' only when the endpoint says
   * when it went live (otherwise we only know it was live when we first looked).
   */
  deploy: DeployEvent | null
}

/**
 * Turns successive observations into deploy events: a change of version (or of commit under
 * the same version, e.g. a rebuilt SNAPSHOT) is exactly one event. Failed polls in between
 * change nothing.
 */
export class DeployTracker {
  private current: DeployObservation | null = null
  /** The last poll that still saw the current version: a deploy cannot predate it. */
  private lastSeenAt: number | null = null
  private since: number | null = null

  constructor(private readonly source: string) {}

  get live(): { version: string; commit: string | null; since: number | null } | null {
    return this.current ? { version: this.current.version, commit: this.current.commit, since: this.since } : null
  }

  observe(observation: DeployObservation): DeployChange {
    const previous = this.current
    const deployedAt = observation.atKind === 'deployed' ? observation.at : null
    if (previous && previous.version === observation.version && previous.commit === observation.commit) {
      this.lastSeenAt = observation.observedAt
      this.current = observation
      return { kind: 'unchanged', previousVersion: previous.version, deploy: null }
    }
    this.current = observation
    const seenBefore = this.lastSeenAt
    this.lastSeenAt = observation.observedAt
    if (!previous) {
      this.since = deployedAt
      return {
        kind: 'first-seen',
        previousVersion: null,
        deploy: deployedAt === null ? null : this.event(observation, deployedAt)
      }
    }
    // The endpoint's deploy time when it gives one, but never before the last poll that saw the old version.
    const at = deployedAt === null ? observation.observedAt : Math.max(deployedAt, (seenBefore ?? deployedAt) + 1)
    this.since = at
    return { kind: 'changed', previousVersion: previous.version, deploy: this.event(observation, at) }
  }

  private event(observation: DeployObservation, at: number): DeployEvent {
    return { version: observation.version, at, commit: observation.commit, source: this.source, origin: 'endpoint' }
  }
}

export interface DeployPollerState extends PollerStateBase {
  version: string | null
  commit: string | null
  /** When the live version went live, when known. */
  since: number | null
}

export interface DeployPollerListeners {
  /** A version change seen between two polls: exactly once per change. */
  onDeploy?: (event: DeployEvent, change: DeployChange) => void
  /** Every successful poll, with whether it is the first look, unchanged or a change. */
  onObserved?: (observation: DeployObservation, change: DeployChange) => void
  onState?: (state: DeployPollerState) => void
}

export class DeployPoller extends LoopPoller<DeployPollerState> {
  private readonly tracker: DeployTracker
  protected readonly loop: PollLoop
  private lastPollAt: number | null = null
  private lastError: string | null = null

  constructor(
    private readonly target: DeployTarget,
    private readonly listeners: DeployPollerListeners = {},
    options: PollerOptions = {}
  ) {
    super('DeployPoller', resolveTarget(target), listeners.onState)
    this.tracker = new DeployTracker(this.resolved.name)
    this.loop = new PollLoop({
      intervalMs: this.resolved.intervalMs,
      random: options.random,
      poll: (signal) => this.pollOnce(signal),
      afterPoll: () => this.emitState(),
      onError: (err) => {
        this.lastPollAt = Date.now()
        this.lastError = `internal error: ${err instanceof Error ? err.message : String(err)}`
      }
    })
  }

  get state(): DeployPollerState {
    const live = this.tracker.live
    return {
      target: this.resolved.name,
      running: this.loop.running,
      lastPollAt: this.lastPollAt,
      lastError: this.lastError,
      consecutiveFailures: this.loop.consecutiveFailures,
      nextPollAt: this.loop.nextPollAt,
      version: live?.version ?? null,
      commit: live?.commit ?? null,
      since: live?.since ?? null
    }
  }

  private async pollOnce(signal: AbortSignal): Promise<boolean> {
    const polledAt = Date.now()
    try {
      const observation = await probeDeploy(this.resolved, this.target, { signal })
      if (signal.aborted) return false
      this.lastPollAt = observation.observedAt
      this.lastError = null
      const change = this.tracker.observe(observation)
      if (change.kind === 'changed' && change.deploy) notify(this.listeners.onDeploy, change.deploy, change)
      notify(this.listeners.onObserved, observation, change)
      return true
    } catch (err) {
      if (signal.aborted) return false
      if (!(err instanceof PollError)) throw err
      this.lastPollAt = polledAt
      this.lastError = err.message
      return false
    }
  }
}
