/**
 * Kubernetes objects as evidence, from `kubectl get events|pods|rs -o json` (a List) or the
 * `-w -o json` stream (one object after another). Each object the triage can use becomes one app
 * event, in words the analysis already reads:
 * - an Event: `<reason>: <message>` at its last time, on the pod it names (BackOff, OOMKilling,
 *   Unhealthy probe failures, Killing…), Warning as `warn`;
 * - a Pod: each container's last OOMKilled termination or crash loop as an error on the pod,
 *   otherwise one line of its state;
 * - a ReplicaSet: the rollout it is (deployment, revision, image) at its creation time, carrying
 *   the image tag as the version under the deployment's name, so a new tag is a deploy
 *   (origin `kubernetes`, shared/analysis/deploys).
 * Any other object is not evidence here: the caller counts it unread.
 */
import type { AppEvent, Level } from '../../../shared/model/evidence'
import { appEvent } from '../formats/events'
import { parseTimeValue } from '../formats/time'

/** The logger name kube events carry: the lifecycle reads their versions as Kubernetes rollouts. */
export { KUBE_LOGGER } from '../../../shared/analysis/deploys/lifecycle'
import { KUBE_LOGGER } from '../../../shared/analysis/deploys/lifecycle'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
const time = (...values: unknown[]): number | null => {
  for (const v of values) {
    const t = parseTimeValue(v)
    if (t !== null) return t
  }
  return null
}

/** The items of a List (`kind: List`, `EventList`, `PodList`…), or the object itself. */
export function kubeItems(doc: unknown): unknown[] {
  if (isObj(doc) && typeof doc.kind === 'string' && doc.kind.endsWith('List') && Array.isArray(doc.items)) return doc.items
  return [doc]
}

/** `registry/orders:3.8.1` → `3.8.1`; a digest-only or untagged image → the whole reference. */
export function imageTag(image: string): string {
  const name = image.slice(image.lastIndexOf('/') + 1)
  const at = name.indexOf('@')
  const bare = at >= 0 ? name.slice(0, at) : name
  const colon = bare.indexOf(':')
  return colon > 0 ? bare.slice(colon + 1) : image
}

function fromEvent(o: Obj, meta: Obj): AppEvent | null {
  const reason = str(o.reason)
  const message = str(o.message) ?? str(o.note)
  if (reason === null && message === null) return null
  const involved = isObj(o.involvedObject) ? o.involvedObject : isObj(o.regarding) ? o.regarding : {}
  const pod = involved.kind === 'Pod' ? str(involved.name) : null
  const level: Level = o.type === 'Warning' ? 'warn' : 'info'
  return appEvent(0, 0, {
    time: time(o.lastTimestamp, o.eventTime, o.firstTimestamp, o.deprecatedLastTimestamp, meta.creationTimestamp),
    level,
    message: `${reason ?? 'Event'}: ${message ?? ''}${typeof o.count === 'number' && o.count > 1 ? ` (${o.count}×)` : ''}`,
    logger: KUBE_LOGGER,
    instance: pod
  })
}

function fromPod(o: Obj, meta: Obj): AppEvent[] {
  const pod = str(meta.name)
  const status = isObj(o.status) ? o.status : {}
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isObj) : []
  const out: AppEvent[] = []
  for (const c of statuses) {
    const name = str(c.name) ?? 'container'
    const restarts = typeof c.restartCount === 'number' ? c.restartCount : 0
    const last = isObj(c.lastState) && isObj(c.lastState.terminated) ? c.lastState.terminated : null
    const waiting = isObj(c.state) && isObj(c.state.waiting) ? c.state.waiting : null
    const current = isObj(c.state) && isObj(c.state.terminated) ? c.state.terminated : null
    const terminated = current ?? last
    const killed = terminated !== null && terminated.reason === 'OOMKilled'
    if (killed || waiting?.reason === 'CrashLoopBackOff') {
      const parts = [
        killed ? `OOMKilled: container ${name} of pod ${pod ?? '?'} was killed out of memory (exit code ${String(terminated.exitCode ?? 137)})` : `CrashLoopBackOff: container ${name} of pod ${pod ?? '?'}`,
        `restarted ${restarts} times`
      ]
      if (waiting?.reason === 'CrashLoopBackOff' && killed) parts.push('now in CrashLoopBackOff')
      out.push(appEvent(0, 0, {
        time: time(terminated?.finishedAt, status.startTime, meta.creationTimestamp),
        level: 'error',
        message: parts.join(', '),
        logger: KUBE_LOGGER,
        instance: pod
      }))
    }
  }
  if (out.length > 0) return out
  const ready = statuses.length > 0 && statuses.every((c) => c.ready === true)
  const restarts = statuses.reduce((n, c) => n + (typeof c.restartCount === 'number' ? c.restartCount : 0), 0)
  return [appEvent(0, 0, {
    time: time(status.startTime, meta.creationTimestamp),
    level: ready ? 'info' : 'warn',
    message: `Pod ${pod ?? '?'}: ${str(status.phase) ?? 'Unknown'}, ${ready ? 'ready' : 'not ready'}, ${restarts} restarts`,
    logger: KUBE_LOGGER,
    instance: pod
  })]
}

function fromReplicaSet(o: Obj, meta: Obj): AppEvent | null {
  const spec = isObj(o.spec) ? o.spec : {}
  const template = isObj(spec.template) && isObj(spec.template.spec) ? spec.template.spec : {}
  const containers = Array.isArray(template.containers) ? template.containers.filter(isObj) : []
  const image = str(containers[0]?.image)
  const at = time(meta.creationTimestamp)
  if (image === null || at === null) return null
  const owners = Array.isArray(meta.ownerReferences) ? meta.ownerReferences.filter(isObj) : []
  const deployment = str(owners.find((r) => r.kind === 'Deployment')?.name) ?? str(meta.name) ?? 'replicaset'
  const annotations = isObj(meta.annotations) ? meta.annotations : {}
  const revision = str(annotations['deployment.kubernetes.io/revision'])
  const event = appEvent(0, 0, {
    time: at,
    level: 'info',
    message: `Rollout of deployment ${deployment}: ReplicaSet ${str(meta.name) ?? '?'}${revision === null ? '' : `, revision ${revision}`}, image ${image}`,
    logger: KUBE_LOGGER,
    instance: `deployment/${deployment}`,
    version: imageTag(image)
  })
  return event
}

/** One Kubernetes object → its events; null when it is no object this reads. */
export function kubeObjectEvents(item: unknown): AppEvent[] | null {
  if (!isObj(item)) return null
  const meta = isObj(item.metadata) ? item.metadata : {}
  switch (item.kind) {
    case 'Event': {
      const e = fromEvent(item, meta)
      return e === null ? null : [e]
    }
    case 'Pod':
      return fromPod(item, meta)
    case 'ReplicaSet': {
      const e = fromReplicaSet(item, meta)
      return e === null ? null : [e]
    }
    default:
      return null
  }
}

/** Whether a file's first lines are a Kubernetes JSON document (a List or a watched object). */
export function looksLikeKubeJson(lines: readonly string[]): boolean {
  const first = lines.find((l) => l.trim() !== '')
  if (first === undefined || !first.trimStart().startsWith('{')) return false
  const head = lines.slice(0, 200).join('\n')
  // Core, apps and events.k8s.io objects only: an audit log (`audit.k8s.io`, kind Event) is JSON lines of another kind.
  return /"apiVersion"\s*:\s*"(?:v1|apps\/v1|events\.k8s\.io\/v1)"/.test(head) && /"kind"\s*:\s*"(?:List|EventList|PodList|ReplicaSetList|Event|Pod|ReplicaSet)"/.test(head)
}
