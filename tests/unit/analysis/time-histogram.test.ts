import { describe, expect, it } from 'vitest'
import { addTime, bucketCounts, emptyHistogram, mergeHistogram, slots } from '../../../shared/analysis/time-histogram'
import { ErrorGrouper, mergeErrorGroups } from '../../../shared/analysis/groups'
import type { AppEvent } from '../../../shared/model/evidence'

const T0 = Date.parse('2026-03-14T14:00:00Z')

describe('time histogram', () => {
  it('counts per second, coarsening when it would hold too many slots, never losing an event', () => {
    const h = emptyHistogram()
    for (let i = 0; i < 10_000; i++) addTime(h, T0 + i * 1000)
    expect(h.slotMs).toBeGreaterThan(1000)
    expect(Object.keys(h.counts).length).toBeLessThanOrEqual(2048)
    expect(slots(h).reduce((n, [, c]) => n + c, 0)).toBe(10_000)
  })

  it('merges histograms of different slot sizes and buckets them like the timeline', () => {
    const fine = emptyHistogram()
    addTime(fine, T0 + 500)
    addTime(fine, T0 + 61_000)
    const coarse = emptyHistogram()
    for (let i = 0; i < 5000; i++) addTime(coarse, T0 + i * 1000)
    mergeHistogram(fine, coarse)
    expect(slots(fine).reduce((n, [, c]) => n + c, 0)).toBe(5002)
    const perMinute = bucketCounts(fine, T0, 60_000, 90)
    expect(perMinute.reduce((a, b) => a + b, 0)).toBe(5002)
    expect(perMinute[0]).toBeGreaterThanOrEqual(60)
  })
})

const event = (time: number, instance: string): AppEvent => ({
  kind: 'app',
  time,
  level: 'error',
  message: 'Request failed',
  errorType: 'java.net.SocketTimeoutException',
  errorMessage: 'Read timed out',
  stack: null,
  requestId: null,
  method: 'POST',
  path: '/api/orders',
  status: 500,
  logger: 'com.acme.shop.PaymentClient',
  instance,
  line: 1,
  lines: 1,
  offset: 0
})

describe('error groups: when and where', () => {
  it('keeps each group\'s times and instances, also across merged file parts', () => {
    const a = new ErrorGrouper()
    const b = new ErrorGrouper()
    a.add(event(T0, 'shop-api-7d9f-x2k4q'), 's1')
    a.add(event(T0 + 1000, 'shop-api-7d9f-x2k4q'), 's1')
    b.add(event(T0 + 120_000, 'shop-api-7d9f-m8p1z'), 's1')
    const [g] = mergeErrorGroups([a.groups(null), b.groups(null)])
    expect(g.count).toBe(3)
    expect(g.instances).toEqual({ 'shop-api-7d9f-x2k4q': 2, 'shop-api-7d9f-m8p1z': 1 })
    expect(bucketCounts(g.times, T0, 60_000, 3)).toEqual([2, 0, 1])
  })
})
