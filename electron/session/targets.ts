import { randomUUID } from 'node:crypto'
import type { AddTargetRequest, DeployRecord, TargetInfo } from '../../shared/contract'
import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import { DEFAULT_INTERVAL_MS, DeployPoller, HealthPoller, redactUrl, resolveTarget, PollTargetError } from '../collect/poll'
import { UserError } from './errors'

const MAX_SAMPLES = 20_000

interface TargetRecord {
  info: TargetInfo
  poller: HealthPoller | DeployPoller
}

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())

/** The incident's health and deploy endpoints: their pollers, samples and deploy events. */
export class PollTargets {
  private readonly targets = new Map<string, TargetRecord>()
  readonly healthSamples: HealthSample[] = []
  readonly deploys: DeployEvent[] = []

  constructor(
    private readonly changed: () => void,
    private readonly hooks: { onDeploy?(d: DeployEvent): void; onHealth?(h: HealthSample): void } = {}
  ) {}

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
            onSample: (sample) => {
              this.keep(this.healthSamples, sample)
              this.hooks.onHealth?.(sample)
            },
            onState: (s) => {
              Object.assign(info, { ok: s.ok, status: s.status, latencyMs: s.latencyMs, components: s.components, lastPollAt: iso(s.lastPollAt), lastError: s.lastError, consecutiveFailures: s.consecutiveFailures, running: s.running })
              this.changed()
            }
          })
        : new DeployPoller(
            { ...spec, mapping: req.mapping },
            {
              onDeploy: (event, change) => {
                const withPrevious = { ...event, previousVersion: change.previousVersion }
                this.keep(this.deploys, withPrevious)
                this.hooks.onDeploy?.(withPrevious)
              },
              onState: (s) => {
                Object.assign(info, { version: s.version, since: iso(s.since), lastPollAt: iso(s.lastPollAt), lastError: s.lastError, consecutiveFailures: s.consecutiveFailures, running: s.running, ok: s.lastError === null })
                this.changed()
              }
            }
          )
    this.targets.set(info.id, { info, poller })
    poller.start()
    return { ...info }
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
    return [...this.targets.values()].map((t) => ({ ...t.info, components: [...t.info.components] }))
  }

  deployRecords(): DeployRecord[] {
    return this.deploys.map((d) => ({ version: d.version, at: new Date(d.at).toISOString(), commit: d.commit, source: d.source }))
  }

  stopAll(): void {
    for (const t of this.targets.values()) t.poller.stop()
  }
}
