import { describe, expect, it } from 'vitest'
import { BUCKET, RequestAggregate } from '../../../shared/analysis/aggregate'
import { SecondIndex, type IndexedSource } from '../../../shared/analysis/verdict/second-index'
import { buildSeries, countsIn, failingSeconds } from '../../../shared/analysis/verdict/series'
import type { AppEvent } from '../../../shared/model/evidence'

const T0 = Date.UTC(2026, 11, 2, 9, 0, 0)
const req = (ms: number, status: number, i: number) =>
  ({ kind: 'request', line: i, lines: 1, offset: 0, time: ms, method: 'GET', path: `/api/orders/${1000 + (i % 40)}`, route: '/api/orders/:id', status, bytes: 2312, durationMs: 12, requestId: null, client: `10.0.0.${i % 200}`, userAgent: 'okhttp/4.12.0', upstreamStatus: null, instance: null }) as const

/** What the index must equal: built from nothing over the same rows. */
function fresh(sources: IndexedSource[]): SecondIndex {
  return SecondIndex.of(sources.map((s) => ({ requests: { ...s.requests, changes: undefined }, appErrorsOnly: s.appErrorsOnly })))
}

function expectSame(live: SecondIndex, sources: IndexedSource[]): void {
  const ref = fresh(sources)
  expect(live.length).toBe(ref.length)
  expect([...live.secs.subarray(0, live.length)]).toEqual([...ref.secs.subarray(0, ref.length)])
  for (let c = 0; c < live.sums.length; c++) expect([...live.sums[c].subarray(0, live.length + 1)]).toEqual([...ref.sums[c].subarray(0, ref.length + 1)])
}

describe('the per-second index kept between live analyses', () => {
  it('after appends, late lines and an app log counted for its errors only, equals one built from nothing, and redoes only the changed seconds', () => {
    const access = new RequestAggregate()
    const app = new RequestAggregate()
    // 6 hours of history: a request every 2 s, an app error every 7 s (some in seconds the access log has no row for).
    for (let s = 0, i = 0; s < 6 * 3600; s += 2, i++) access.addRequest(req(T0 + s * 1000, i % 300 === 0 ? 502 : 200, i))
    for (let s = 1; s < 6 * 3600; s += 7) app.addAppError(T0 + s * 1000)
    const sources = (): IndexedSource[] => [
      { requests: access.toData(), appErrorsOnly: false },
      { requests: app.toData(), appErrorsOnly: true }
    ]
    const live = new SecondIndex()
    live.update(sources())
    expectSame(live, sources())
    const rowsBefore = live.length

    // A batch of appends after the history, and one late line an hour back (a new second and an existing one).
    for (let k = 0; k < 50; k++) access.addRequest(req(T0 + (6 * 3600 + k) * 1000, k % 5 === 0 ? 500 : 200, k))
    access.addRequest(req(T0 + (5 * 3600 + 1) * 1000, 503, 7))
    access.addRequest(req(T0 + 5 * 3600 * 1000, 504, 8))
    app.addAppError(T0 + (6 * 3600 + 3) * 1000)
    live.update(sources())
    expectSame(live, sources())
    expect(live.length).toBeGreaterThan(rowsBefore)
    // From the late line an hour back on: about 1,800 + 50 seconds of the 13,000, not the 6 hours.
    expect(live.remerged).toBeGreaterThan(1800)
    expect(live.remerged).toBeLessThan(2500)

    // Nothing written: the index stands as it is.
    const before = live.sum(BUCKET.s5xx, 0, live.length)
    live.update(sources())
    expect(live.sum(BUCKET.s5xx, 0, live.length)).toBe(before)
    expect(live.remerged).toBe(0)
    expectSame(live, sources())
  })

  it('gives the series the same buckets, window counts and failing seconds as the rows read whole', () => {
    const access = new RequestAggregate()
    for (let s = 0, i = 0; s < 4 * 3600; s += 3, i++) access.addRequest(req(T0 + s * 1000, s > 3 * 3600 && i % 4 === 0 ? 500 : 200, i))
    const live = new SecondIndex()
    live.update([{ requests: access.toData(), appErrorsOnly: false }])
    for (let k = 0; k < 30; k++) access.addRequest(req(T0 + (4 * 3600 + k) * 1000, 502, k))
    const data = access.toData()
    live.update([{ requests: data, appErrorsOnly: false }])
    const errors: AppEvent[] = []
    const incremental = buildSeries(data, errors, null, null, live)
    const whole = buildSeries({ ...data, seconds: [...data.seconds].reverse(), changes: undefined }, errors, null, null)
    expect(incremental).not.toBeNull()
    expect(whole).not.toBeNull()
    if (incremental === null || whole === null) return
    expect(incremental.buckets).toEqual(whole.buckets)
    expect(incremental.buckets.reduce((n, b) => n + b.s5xx, 0)).toBe(access.count5xx())
    expect([...incremental.trials]).toEqual([...whole.trials])
    expect([incremental.totalTrials, incremental.totalFails]).toEqual([whole.totalTrials, whole.totalFails])
    const a = T0 + 3 * 3600 * 1000 + 500
    const b = T0 + 4 * 3600 * 1000 + 20_500
    expect(countsIn(incremental, a, b)).toEqual(countsIn(whole, a, b))
    expect(failingSeconds(incremental, a, b)).toEqual(failingSeconds(whole, a, b))
  })
})
