/**
 * Incidents where Kubernetes holds part of the answer, run through the real one-shot analyze path
 * (tmp files → `analyze --format json` and the snapshot builder). The kubectl documents are written
 * the way `kubectl get … -o json` prints them (indented Lists); values are invented for the scenario.
 */
import { describe, expect, it } from 'vitest'
import { access, app, errorsFor, fail, min, runScenario, traffic } from '../verdict/scenario'

const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')
const list = (items: unknown[]): string => JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4) + '\n'

function replicaSet(name: string, revision: number, image: string, created: number, replicas: number): unknown {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      annotations: { 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4', 'deployment.kubernetes.io/revision': String(revision) },
      creationTimestamp: iso(created),
      labels: { app: 'shop', 'pod-template-hash': name.split('-').pop() },
      name,
      namespace: 'prod',
      ownerReferences: [{ apiVersion: 'apps/v1', blockOwnerDeletion: true, controller: true, kind: 'Deployment', name: 'shop', uid: '6b1f0c1e-8a0e-4d7e-9a57-2b1c3e0f9d11' }]
    },
    spec: { replicas, selector: { matchLabels: { app: 'shop' } }, template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ image, name: 'shop', ports: [{ containerPort: 8080, protocol: 'TCP' }] }] } } },
    status: { availableReplicas: replicas, observedGeneration: 2, readyReplicas: replicas, replicas }
  }
}

describe('Kubernetes evidence', () => {
  it('the only deploy evidence is a rollout (a ReplicaSet with a new image tag) + an access log: rollback, the tag as the version', async () => {
    const DEPLOY = min(40)
    const reqs = traffic({ minutes: 80, perSecond: 4, seed: 3 })
    fail(reqs, (r, rnd) => (r.time >= DEPLOY + 30_000 && rnd() < 0.3 ? 500 : null))
    const rs = list([
      replicaSet('shop-5d8f7c9b6d', 7, 'registry.example.com/shop/api:2024.03.2', min(-600), 0),
      replicaSet('shop-7f9c6d5b8', 8, 'registry.example.com/shop/api:2024.03.3', DEPLOY, 3)
    ])
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'rs.json': rs } })
    const kube = v1.sources.find((s) => s.path.endsWith('rs.json'))
    expect(kube).toMatchObject({ format: 'kube-json', events: 2, unparsed: 0 })
    expect(v1.verdict?.playbook).toBe('rollback')
    expect(v1.suspectDeploy).toMatchObject({ version: '2024.03.3', at: new Date(DEPLOY).toISOString(), source: 'kubernetes' })
    expect(v1.verdict?.reasons.join('\n')).toMatch(/Kubernetes rollout: image tag 2024\.03\.3 .*replacing 2024\.03\.2/)
    expect(snapshot.findings[0]?.playbook).toBe('rollback')
  })

  it('an OOMKilled pod (pods json + events) and its app log: resource/memory with the pod named', async () => {
    const POD = 'shop-7f9c6d5b8-k2x9q'
    const reqs = traffic({ minutes: 60, perSecond: 3, seed: 8 })
    const failed = fail(reqs, (r, rnd) => (r.time >= min(30) && rnd() < 0.25 ? 500 : null))
    const errors = errorsFor(failed, () => ({ type: 'RangeError', message: 'Array buffer allocation failed' }))
    const pods = list([{
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { creationTimestamp: iso(min(-300)), name: POD, namespace: 'prod' },
      spec: { containers: [{ image: 'registry.example.com/shop/api:2024.03.3', name: 'shop', resources: { limits: { memory: '512Mi' } } }] },
      status: {
        containerStatuses: [{
          image: 'registry.example.com/shop/api:2024.03.3',
          lastState: { terminated: { exitCode: 137, finishedAt: iso(min(41)), reason: 'OOMKilled', startedAt: iso(min(31)) } },
          name: 'shop', ready: false, restartCount: 4,
          state: { waiting: { message: `back-off 1m20s restarting failed container=shop pod=${POD}_prod`, reason: 'CrashLoopBackOff' } }
        }],
        phase: 'Running',
        startTime: iso(min(-300))
      }
    }, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { creationTimestamp: iso(min(-300)), name: 'shop-7f9c6d5b8-p7w4z', namespace: 'prod' },
      status: { containerStatuses: [{ name: 'shop', ready: true, restartCount: 0, state: { running: { startedAt: iso(min(-300)) } } }], phase: 'Running', startTime: iso(min(-300)) }
    }])
    const events = list([{
      apiVersion: 'v1', count: 4, firstTimestamp: iso(min(31)), involvedObject: { kind: 'Pod', name: POD, namespace: 'prod' }, kind: 'Event',
      lastTimestamp: iso(min(41)), message: 'Back-off restarting failed container shop in pod ' + POD, metadata: { name: `${POD}.17c1`, namespace: 'prod' }, reason: 'BackOff', type: 'Warning'
    }, {
      apiVersion: 'v1', count: 1, involvedObject: { kind: 'Node', name: 'ip-10-0-3-14' }, kind: 'Event', lastTimestamp: iso(min(41)),
      message: 'Memory cgroup out of memory: Killed process 31337 (node), total-vm:1803532kB, anon-rss:524288kB', metadata: { name: 'ip-10-0-3-14.17c2' }, reason: 'OOMKilling', type: 'Warning'
    }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'not-evidence' } }])
    const { v1 } = await runScenario({ logs: { 'access.log': access.nginx(reqs), 'app.log': app.pino(errors), 'pods.json': pods, 'events.json': events } })
    expect(v1.sources.find((s) => s.path.endsWith('pods.json'))).toMatchObject({ format: 'kube-json', events: 2 })
    expect(v1.sources.find((s) => s.path.endsWith('events.json'))).toMatchObject({ format: 'kube-json', events: 2 })
    expect(v1.verdict?.playbook).toBe('resource')
    expect(v1.resource).toMatchObject({ kind: 'memory' })
    expect(JSON.stringify(v1.resource) + v1.verdict?.reasons.join('\n')).toContain(POD)
  })
})
