/** kubectl output read by shape: a `-w -o json` stream of objects one after another, and lines all accounted for. */
import { describe, expect, it } from 'vitest'
import type { EvidenceEvent } from '../../../shared/model/evidence'
import { detectFormat } from '../../../electron/collect/formats'
import { foldLines } from '../formats/fold-file'
import { imageTag } from '../../../electron/collect/kube/objects'

const event = (reason: string, message: string, at: string): string =>
  JSON.stringify({ apiVersion: 'v1', count: 1, involvedObject: { kind: 'Pod', name: 'api-6c5d8-abcde', namespace: 'prod' }, kind: 'Event', lastTimestamp: at, message, metadata: { name: 'api-6c5d8-abcde.1', namespace: 'prod' }, reason, type: 'Warning' }, null, 4)

describe('kubectl get events -w -o json', () => {
  const lines = [
    ...event('Unhealthy', 'Readiness probe failed: HTTP probe failed with statuscode: 503', '2024-03-01T12:00:00Z').split('\n'),
    ...event('BackOff', 'Back-off restarting failed container api in pod api-6c5d8-abcde_prod(0d1e)', '2024-03-01T12:00:10Z').split('\n'),
    ...'{\n    "apiVersion": "v1",\n    "kind": "Event",\n    "metadata": {"name": "cut'.split('\n')
  ]

  it('is detected by shape and yields one event per object; a cut last object is unparsed, every line counted', () => {
    expect(detectFormat(lines).format).toBe('kube-json')
    const items = foldLines(lines, 'kube-json')
    expect(items.reduce((n, i) => n + i.lines, 0)).toBe(lines.length)
    const events = items.filter((i): i is EvidenceEvent => i.kind === 'app')
    expect(events.map((e) => e.kind === 'app' && e.message)).toEqual([
      'Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503',
      'Back-off restarting failed container api in pod api-6c5d8-abcde_prod(0d1e)'.replace(/^/, 'BackOff: ')
    ])
    expect(events.every((e) => e.kind === 'app' && e.instance === 'api-6c5d8-abcde' && e.level === 'warn')).toBe(true)
    expect(items.filter((i) => i.kind === 'unparsed').map((i) => i.lines)).toEqual([4])
  })

  it('an image reference gives its tag as the version', () => {
    expect(imageTag('registry.example.com/shop/api:2024.03.3')).toBe('2024.03.3')
    expect(imageTag('localhost:5000/api:1.2')).toBe('1.2')
    expect(imageTag('nginx')).toBe('nginx')
  })
})

describe('not every Kubernetes JSON is kubectl output', () => {
  it('an API server audit log (audit.k8s.io Events, one per line) is not read as kube-json', () => {
    const audit = '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"6d0b2f5e-1c4b-4f6e-9a1e-3b8f2c7d9e10","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/prod/pods","verb":"list","user":{"username":"system:serviceaccount:kube-system:replicaset-controller"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2024-03-01T12:00:00.000000Z","stageTimestamp":"2024-03-01T12:00:00.004000Z"}'
    expect(detectFormat([audit, audit]).format).not.toBe('kube-json')
  })
})
