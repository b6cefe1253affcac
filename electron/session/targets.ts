import { randomUUID } from 'node:crypto'
import type { AddTargetRequest, DeployRecord, TargetInfo } from '../../shared/contract'
import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import { DEFAULT_INTERVAL_MS, DeployPoller, HealthPoller, redactUrl, resolveTarget, PollTargetError } from '../collect/poll'
import { UserError } from './errors'

const MAX_SAMPLES = 20_000

interface TargetRecord {
  info: TargetInfo
  poller: HealthPoller | DeployPoller
  /** Why the last sample could not be saved; shown in place of the poll error until a save succeeds. */
  saveError: string | null
}

/**
 * What happens to a sample before it is shown: `save` makes it durable (a failure keeps it out of
 * the session and puts the error on the target's card), then `onHealth` / `onDeploy` journal it.
 */
export interface SampleHooks {
  save?(kind: 'health' | 'deploys', sample: HealthSample | DeployEvent): Promise<void>
  onDeploy?(d: DeployEvent): Promise<void>
  onHealth?(h: HealthSample): Promise<void>
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

/** The incident's health and deploy endpoints: their pollers, samples and deploy events. */
export class PollTargets {
  private readonly targets = new Map<string, TargetRecord>()
  readonly healthSamples: HealthSample[] = []
  readonly deploys: DeployEvent[] = []
  /** Samples are saved and shown one at a time, in the order the pollers took them. */
  private admitting: Promise<void> = Promise.resolve()

  constructor(
    private readonly changed: () => void,
    private readonly hooks: SampleHooks = {}
  ) {}

  /** Resolves once every sample taken so far is saved and shown, or refused (tests, close). */
  settled(): Promise<void> {
    return this.admitting
  }

  /** Samples and deploys collected before (a reopened incident), so the timeline keeps them. */
  restore(deploys: DeployEvent[], health: HealthSample[]): void {
    this.deploys.push(...deploys)
    this.healthSamples.push(...health)
  }

  add(req: AddTargetRequest): TargetInfo {
    const spec = { name: req.name, url: req.url, intervalMs: req.intervalMs, timeoutMs: req.timeoutMs, headers: req.headers }
    try {
      resolveTarget(spec)
    } catch (err) {
      if (err instanceof PollTargetError) throw new UserError(`${req.name}: ${err.message}`)
      throw err
    }
    for (const t of this.targets.values())
      if (t.info.kind === req.kind && t.info.name === req.name) throw new UserError(`a ${req.kind} target named "${req.name}" exists already`)
    const info: TargetInfo = {
      id: randomUUID(),
      kind: req.kind,
      name: req.name,
      url: redactUrl(req.url),
      intervalMs: req.intervalMs ?? DEFAULT_INTERVAL_MS,
      hasHeaders: Object.keys(req.headers ?? {}).length > 0,
      running: true,
      ok: null,
      status: null,
      latencyMs: null,
      version: null,
      since: null,
      lastPollAt: null,
      lastError: null,
      consecutiveFailures: 0,
      components: []
    }
    const poller =
      req.kind === 'health'
        ? new HealthPoller(spec, {
            onSample: (sample) => this.admit(record, 'health', sample, this.healthSamples, this.hooks.onHealth),
            onState: (s) => {
              Object.assign(info, { ok: s.ok, status: s.status, latencyMs: s.latencyMs, components: s.components, lastPollAt: iso(s.lastPollAt), lastError: s.lastError, consecutiveFailures: s.consecutiveFailures, running: s.running })
              this.changed()
            }
          })
        : new DeployPoller(
            { ...spec, mapping: req.mapping },
            {
              onDeploy: (event, change) => this.admit(record, 'deploys', { ...event, previousVersion: change.previousVersion }, this.deploys, this.hooks.onDeploy),
              onState: (s) => {
                Object.assign(info, { version: s.version, since: iso(s.since), lastPollAt: iso(s.lastPollAt), lastError: s.lastError, consecutiveFailures: s.consecutiveFailures, running: s.running, ok: s.lastError === null })
                this.changed()
              }
            }
          )
    const record: TargetRecord = { info, poller, saveError: null }
    this.targets.set(info.id, record)
    poller.start()
    return { ...info }
  }

  /** Saves a sample, then shows it; a failed save is the target's error, never an unhandled rejection. */
  private admit<T extends HealthSample | DeployEvent>(record: TargetRecord, kind: 'health' | 'deploys', sample: T, list: T[], after?: (s: T) => Promise<void>): void {
    this.admitting = this.admitting.then(async () => {
      try {
        await this.hooks.save?.(kind, sample)
      } catch (err) {
        record.saveError = `could not save the ${kind === 'health' ? 'health sample' : 'deploy'}: ${err instanceof Error ? err.message : String(err)}`
        this.changed()
        return
      }
      record.saveError = null
      this.keep(list, sample)
      try {
        await after?.(sample)
      } catch (err) {
        record.saveError = `could not journal the ${kind === 'health' ? 'health change' : 'deploy'}: ${err instanceof Error ? err.message : String(err)}`
        this.changed()
      }
    })
  }

  private keep<T>(list: T[], item: T): void {
    list.push(item)
    if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES)
    this.changed()
  }

  remove(id: string): TargetInfo {
    const t = this.targets.get(id)
    if (!t) throw new UserError(`no target with id ${id}`)
    t.poller.stop()
    this.targets.delete(id)
    return { ...t.info }
  }

  list(): TargetInfo[] {
    return [...this.targets.values()].map((t) => ({ ...t.info, lastError: t.saveError ?? t.info.lastError, components: [...t.info.components] }))
  }

  deployRecords(): DeployRecord[] {
    return this.deploys.map((d) => ({ version: d.version, at: new Date(d.at).toISOString(), commit: d.commit, source: d.source }))
  }

  stopAll(): void {
    for (const t of this.targets.values()) t.poller.stop()
  }
}
