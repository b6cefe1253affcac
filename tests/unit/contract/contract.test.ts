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
import { AnalysisV1, PLAYBOOKS, RESOURCE_KINDS, SERVER_CONFIG_KINDS } from '../../../shared/contract/analysis'
import { noPlaybookFields } from '../../../shared/playbooks'

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

  it('v1 carries instance, resource and serverConfig: null when they do not apply, their kinds closed lists', () => {
    expect(PLAYBOOKS).toEqual(expect.arrayContaining(['instance', 'resource', 'server-config']))
    expect(RESOURCE_KINDS).toEqual(['memory', 'file-descriptors', 'threads', 'disk'])
    expect(SERVER_CONFIG_KINDS).toEqual(['socket', 'rewrite-cycle', 'docroot', 'script-headers', 'header-size', 'script-unknown'])
    expect(noPlaybookFields()).toMatchObject({ instance: null, resource: null, serverConfig: null })
    const base = {
      schema: 'triage500.analysis/v1', window: null, sources: [], requests: 0, statusCounts: {}, verdict: null,
      ...noPlaybookFields(), errorGroups: [], replay: null, impact: null
    }
    expect(AnalysisV1.safeParse(base).success).toBe(true)
    const filled = {
      ...base,
      instance: { name: '10.244.2.7:8080', shareOfErrors: 0.93, errorRate: 0.41 },
      resource: { kind: 'memory', instance: null, what: 'OutOfMemoryError: Java heap space', count: 412, crashLoop: true, groupIds: ['G1a2b3c4d'] },
      serverConfig: { path: null, message: 'connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied)', kind: 'socket', target: 'unix:/run/php/php8.2-fpm.sock', count: 2210 }
    }
    expect(AnalysisV1.safeParse(filled).success).toBe(true)
    const { instance: _omitted, ...missing } = base
    expect(AnalysisV1.safeParse(missing).success).toBe(false)
    const r = AnalysisV1.safeParse({ ...filled, resource: { ...filled.resource, kind: 'cpu' } })
    expect(r.error?.issues[0].path).toEqual(['resource', 'kind'])
  })
})

describe('analysis v1: Sentry', () => {
  const link = { issueId: '4501', shortId: 'SHOP-API-1Z', permalink: 'https://acme.sentry.io/issues/4501/', release: 'shop-api@2.14.0', users: 97, count: 312 }
  const group = { id: 'G1', type: 'java.lang.IllegalStateException', message: 'Cart 8812 has no shipping address', count: 3, firstSeen: null, lastSeen: null, endpoints: [], sample: '', newSinceDeploy: false }
  const base = { schema: 'triage500.analysis/v1', window: null, sources: [], requests: 0, statusCounts: {}, verdict: null, ...noPlaybookFields(), replay: null, impact: null }
  it('adds a Sentry link per group and a Sentry-only list, null without Sentry, still reading analyses saved before them', () => {
    expect(AnalysisV1.safeParse({ ...base, errorGroups: [{ ...group, sentry: link }], sentryOnly: [] }).success).toBe(true)
    expect(AnalysisV1.safeParse({ ...base, errorGroups: [{ ...group, sentry: null }], sentryOnly: null }).success).toBe(true)
    expect(AnalysisV1.safeParse({ ...base, errorGroups: [group] }).success).toBe(true)
    const only = { ...link, title: 'RangeError: Maximum call stack size exceeded', type: 'RangeError', culprit: null, firstSeen: null, lastSeen: null }
    expect(AnalysisV1.safeParse({ ...base, errorGroups: [], sentryOnly: [only] }).success).toBe(true)
    const r = AnalysisV1.safeParse({ ...base, errorGroups: [{ ...group, sentry: { ...link, users: '97' } }] })
    expect(r.error?.issues[0].path).toEqual(['errorGroups', 0, 'sentry', 'users'])
  })
})

describe('analysis v1: suspectDeploy', () => {
  const suspect = { version: '3.8.1', at: '2026-03-12T08:02:00.000Z', errorRateBefore: 0.002, errorRateAfter: 0.07 }
  it('names where the deploy is known from and the migration that shipped with it', () => {
    const shape = AnalysisV1.shape.suspectDeploy.unwrap()
    expect(shape.safeParse({ ...suspect, source: 'log', migration: { ran: true, schemaErrors: false } }).success).toBe(true)
    expect(shape.safeParse({ ...suspect, source: 'endpoint', migration: { ran: null, schemaErrors: true } }).success).toBe(true)
    expect(shape.safeParse({ ...suspect, source: 'given', migration: null }).success).toBe(true)
    // A Kubernetes rollout (a ReplicaSet's new image tag) is a source of its own.
    expect(shape.safeParse({ ...suspect, source: 'kubernetes', migration: null }).success).toBe(true)
    // Both fields are always present (null when not applicable), and the source is one of the closed list.
    expect(shape.safeParse(suspect).success).toBe(false)
    expect(shape.safeParse({ ...suspect, source: 'banner', migration: null }).success).toBe(false)
  })

  it('v1 intermittent says its shape: bursts, or one sustained step', () => {
    const intermittent = AnalysisV1.shape.intermittent.unwrap()
    expect(intermittent.safeParse({ pattern: 'unknown', keys: [], shape: 'step' }).success).toBe(true)
    expect(intermittent.safeParse({ pattern: 'unknown', keys: [], shape: 'steady' }).success).toBe(false)
    expect(intermittent.safeParse({ pattern: 'unknown', keys: [] }).success).toBe(false)
  })
})
