/** Per-instance counts in the request aggregate: added, merged across parts as the live path and workers do, and bounded. */
import { describe, expect, it } from 'vitest'
import { RequestAggregate } from '../../../shared/analysis/aggregate'
import { InstanceCounts, MAX_INSTANCES, OTHER_INSTANCES, withoutRequests } from '../../../shared/analysis/instances'
import type { RequestEvent } from '../../../shared/model/evidence'

const req = (instance: string | null, status: number, time = 1_773_495_000_000): RequestEvent => ({
  kind: 'request', line: 1, lines: 1, offset: 0, time, method: 'GET', path: '/api/orders/1', route: '/api/orders/:id', status, bytes: null, durationMs: null, requestId: null, client: null, userAgent: null, upstreamStatus: null, instance
})

describe('per-instance counts', () => {
  it('counts requests and 5xx per instance as the log names it, skipping lines that name none ("-")', () => {
    const a = new RequestAggregate()
    for (const [inst, status] of [['10.244.1.5:8080', 200], ['10.244.2.7:8080', 500], ['10.244.2.7:8080', 502], ['-', 503], [null, 200]] as const) a.addRequest(req(inst, status))
    expect(a.toData().instances).toEqual([
      { name: '10.244.1.5:8080', requests: 1, s5xx: 0, appEvents: 0, appErrors: 0 },
      { name: '10.244.2.7:8080', requests: 2, s5xx: 2, appEvents: 0, appErrors: 0 }
    ])
  })

  it('merges the parts of a file (workers) and of several sources into the same totals', () => {
    const whole = new RequestAggregate()
    const parts = [new RequestAggregate(), new RequestAggregate()]
    for (let i = 0; i < 400; i++) {
      const e = req(`pod-${i % 3}`, i % 7 === 0 ? 500 : 200)
      whole.addRequest(e)
      parts[i % 2].addRequest(e)
    }
    parts[1].instances.addAppEvent('pod-1', true)
    whole.instances.addAppEvent('pod-1', true)
    const merged = new RequestAggregate()
    for (const p of parts) merged.merge(p.toData())
    const byName = (list: { name: string }[]) => [...list].sort((x, y) => x.name.localeCompare(y.name))
    expect(byName(merged.toData().instances)).toEqual(byName(whole.toData().instances))
  })

  it('keeps a bounded number of names: the rest share one row', () => {
    const c = new InstanceCounts()
    for (let i = 0; i < MAX_INSTANCES + 50; i++) c.addRequest(`10.0.${i >> 8}.${i & 255}:8080`, false)
    const data = c.toData()
    expect(data).toHaveLength(MAX_INSTANCES + 1)
    expect(data.find((s) => s.name === OTHER_INSTANCES)?.requests).toBe(50)
  })

  it('drops the request counts of a source another source counts, keeping its app events', () => {
    expect(withoutRequests([{ name: 'pod-a', requests: 10, s5xx: 3, appEvents: 4, appErrors: 2 }, { name: '10.0.0.1:80', requests: 5, s5xx: 0, appEvents: 0, appErrors: 0 }])).toEqual([
      { name: 'pod-a', requests: 0, s5xx: 0, appEvents: 4, appErrors: 2 }
    ])
  })
})
