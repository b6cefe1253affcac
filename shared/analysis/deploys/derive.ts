/**
 * Deploys and restarts from what the apps' own logs say (./lifecycle.ts), merged across sources:
 * - a deploy is the first time a version is seen that the instance (or, for a new instance, the
 *   fleet) was not running: instance X logs v2 where it logged v1, a new pod starts with v2;
 * - a start that brings no new version is a restart (repeated, a crash loop: evidence of its own);
 * - a platform's release line (Heroku `Release v145 created by …`) is a deploy in itself.
 * A first version with nothing before it is no deploy: the logs only show what was running.
 */
import type { DeployEvent } from '../../model/evidence'
import { sameVersion } from './banners'
import { START_BLOCK_MS, type LogLifecycle } from './lifecycle'

/** One instance starting again without a new version. */
export interface Restart {
  /** As the logs name it (pod, host), or the file it wrote when they do not. */
  instance: string
  at: number
  /** The version it ran, when known. */
  version: string | null
}

export interface LogDeploys {
  deploys: DeployEvent[]
  restarts: Restart[]
}

/**
 * While a rollout runs, old and new versions answer side by side: the old version seen again
 * this soon after the deploy is the old pods draining, not a rollback.
 */
export const ROLLOUT_MS = 15 * 60_000
/** A deploy the deploy tool or endpoint reported and a log deploy of the same version this close are one deploy. */
export const SAME_DEPLOY_MS = 15 * 60_000

type Seen = { t: 'run'; at: number; instance: string; version: string; kube: boolean } | { t: 'start'; at: number; instance: string; version: string | null; release: boolean }

/**
 * An instance whose version keeps returning to one it logged before is not being deployed: the
 * field is something else (an API version per route, a client's build). Its runs are ignored.
 */
const MAX_RETURNS = 2

function flapping(runs: LogLifecycle['runs']): Set<string> {
  const history = new Map<string, string[]>()
  const returns = new Map<string, number>()
  for (const r of [...runs].sort((a, b) => a.at - b.at)) {
    const seen = history.get(r.instance) ?? []
    if (seen.length > 0 && !sameVersion(seen[seen.length - 1], r.version) && seen.some((v) => sameVersion(v, r.version))) returns.set(r.instance, (returns.get(r.instance) ?? 0) + 1)
    seen.push(r.version)
    history.set(r.instance, seen)
  }
  return new Set([...returns].filter(([, n]) => n > MAX_RETURNS).map(([instance]) => instance))
}

export function deploysFromLog(l: LogLifecycle): LogDeploys {
  const ignored = flapping(l.runs)
  const seen: Seen[] = [
    ...l.runs.filter((r) => !ignored.has(r.instance)).map((r): Seen => ({ t: 'run', at: r.at, instance: r.instance, version: r.version, kube: r.origin === 'kubernetes' })),
    ...l.starts.flatMap((s): Seen[] => (s.at === null ? [] : [{ t: 'start', at: s.at, instance: s.instance, version: s.version, release: s.kind === 'release' }]))
  ]
  // Runs first at a tie: a start is judged after its version is known.
  seen.sort((a, b) => a.at - b.at || (a.t === b.t ? 0 : a.t === 'run' ? -1 : 1))

  const current = new Map<string, string>()
  const deployedAt = new Map<string, number>()
  const deploys: DeployEvent[] = []
  const restarts: Restart[] = []
  const last = (): DeployEvent | null => deploys[deploys.length - 1] ?? null
  let fleetLatest: string | null = null

  const deploy = (version: string, at: number, previous: string | null, kube = false): boolean => {
    const d = last()
    if (d !== null && sameVersion(d.version, version)) return false
    // The old version still answering during the rollout.
    if (d !== null && d.previousVersion != null && sameVersion(d.previousVersion, version) && at - d.at < ROLLOUT_MS) return false
    deploys.push(kube
      ? { version, at, commit: null, source: 'Kubernetes rollout', origin: 'kubernetes', previousVersion: previous }
      : { version, at, commit: null, source: 'app log', origin: 'log', previousVersion: previous })
    return true
  }

  for (const s of seen) {
    if (s.t === 'start') {
      if (s.release && s.version !== null) {
        deploy(s.version, s.at, fleetLatest)
        fleetLatest = s.version
        continue
      }
      const bootOfDeploy = deployedAt.get(s.instance)
      if (bootOfDeploy !== undefined && Math.abs(s.at - bootOfDeploy) <= START_BLOCK_MS) continue
      restarts.push({ instance: s.instance, at: s.at, version: current.get(s.instance) ?? s.version })
      continue
    }
    const previous = current.get(s.instance)
    const fleet = [...current.values()]
    const changed = previous !== undefined ? !sameVersion(previous, s.version) : fleet.length > 0 && !fleet.some((v) => sameVersion(v, s.version))
    if (changed) {
      const before = previous ?? fleetLatest
      const d = last()
      const rollingOut = d !== null && sameVersion(d.version, s.version)
      const draining = d !== null && d.previousVersion != null && sameVersion(d.previousVersion, s.version) && s.at - d.at < ROLLOUT_MS
      // A pod of the old version seen again mid-rollout keeps the instance on the new one.
      if (draining) continue
      if (rollingOut || deploy(s.version, s.at, before, s.kube)) deployedAt.set(s.instance, s.at)
    }
    current.set(s.instance, s.version)
    fleetLatest = s.version
  }
  return { deploys, restarts }
}

/**
 * The deploys to correlate: the given and polled ones as they are, and the ones seen only in the
 * logs. A log deploy of a version the deploy tool or endpoint reported within SAME_DEPLOY_MS of
 * it (a poll lags, a rollout takes minutes) is that deploy, not another.
 */
export function withLogDeploys(known: readonly DeployEvent[], fromLog: readonly DeployEvent[]): DeployEvent[] {
  const extra = fromLog.filter((d) => !known.some((k) => sameVersion(k.version, d.version) && Math.abs(k.at - d.at) <= SAME_DEPLOY_MS))
  return [...known, ...extra].sort((a, b) => a.at - b.at)
}
