import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  CHANNELS,
  EVENT_NAMES,
  invokeChannels,
  type RequestOf,
  type ResponseOf,
  type SessionSnapshot,
  type SourceInfo,
  type TriageApi,
  type EventPayload
} from '../../../shared/contract'
import type { FieldMap, LogFormatId } from '../../../shared/model/evidence'

describe('contract', () => {
  it('locks the TriageApi signatures', () => {
    expectTypeOf<TriageApi['addSource']>().toEqualTypeOf<(req: { path: string; format?: LogFormatId | undefined; fieldMap?: FieldMap | undefined }) => Promise<SourceInfo>>()
    expectTypeOf<TriageApi['getSnapshot']>().parameter(0).toEqualTypeOf<Record<string, never>>()
    expectTypeOf<ResponseOf<'getSnapshot'>>().toEqualTypeOf<SessionSnapshot>()
    expectTypeOf<RequestOf<'removeSource'>>().toEqualTypeOf<{ id: string }>()
    expectTypeOf<RequestOf<'readLines'>>().toEqualTypeOf<{ sourceId: string; fromLine: number; count: number }>()
    expectTypeOf<RequestOf<'queryEvents'>>().toEqualTypeOf<{
      query: string
      from: number | null
      to: number | null
      cursor: number
      limit: number
      buckets: { start: number; bucketMs: number } | null
    }>()
    expectTypeOf<EventPayload<'session.changed'>>().toEqualTypeOf<{ seq: number; topics: ('sources' | 'targets' | 'analysis' | 'incident')[] }>()
    expectTypeOf<TriageApi['on']>().returns.toEqualTypeOf<() => void>()
  })

  it('lists every channel and event once', () => {
    expect(CHANNELS).toEqual(Object.keys(invokeChannels))
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length)
    expect(EVENT_NAMES).toEqual(['session.changed', 'ingest.progress'])
  })

  it('rejects payloads that do not match their schema, naming the field', () => {
    const r = invokeChannels.addSource.request.safeParse({ path: 42 })
    expect(r.success).toBe(false)
    expect(r.error?.issues[0].path).toEqual(['path'])
    expect(invokeChannels.readLines.request.safeParse({ sourceId: 'a', fromLine: 0, count: 5 }).success).toBe(false)
    expect(invokeChannels.getSnapshot.request.safeParse({ extra: 1 }).success).toBe(false)
    // A page is bounded: the renderer never takes the whole log in one answer.
    const page = { query: 'status>=500', from: null, to: null, cursor: 0, buckets: null }
    expect(invokeChannels.queryEvents.request.safeParse({ ...page, limit: 500 }).success).toBe(true)
    expect(invokeChannels.queryEvents.request.safeParse({ ...page, limit: 501 }).success).toBe(false)
  })
})
