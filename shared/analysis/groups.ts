/**
 * Error groups: the distinct problems behind the errors in the evidence. Events with a stack
 * trace group by exception fingerprint; events that name an error type group by type and
 * message template; the rest group by the template mined from their message. Ids are hashes
 * of what defines the group, so the same input gives the same ids on every run.
 *
 * Resolution is incremental: a group's id is computed when it opens and again only when its
 * mined template generalizes, so reading the groups costs one pass over them, never a pass
 * over every group per group.
 */

import type { AppEvent, ProxyErrorEvent } from '../model/evidence'
import { normalizeRoute } from './route'
import { resourceSignal } from './resource-signals'
import { fingerprintTrace, messageTemplate } from './fingerprint'
import { stableHash } from './templates/hash'
import { type TemplateCluster, TemplateMiner } from './templates/miner'
import { addTime, emptyHistogram, mergeHistogram, type TimeHistogram } from './time-histogram'

export interface ErrorGroup {
  id: string
  /** Exception type, `proxy:<reason>` for proxy errors, null for untyped error lines. */
  type: string | null
  /** A representative message (the first one seen, or the mined template). */
  message: string
  count: number
  firstSeen: string | null
  lastSeen: string | null
  /** `METHOD /route/:id` of the requests it occurred on, most frequent first. */
  endpoints: string[]
  /** One event's text (its stack trace when it has one). */
  sample: string
  /** First seen at or after the most recent deploy. */
  newSinceDeploy: boolean
  /** When its dated events happened (the drawer's sparkline, the versions live then). */
  times: TimeHistogram
  /** Instances (host, pod, upstream) that wrote or answered it → events, up to maxEndpoints of them. */
  instances: Record<string, number>
}

export interface ErrorGrouperOptions {
  /** Distinct groups kept; errors that would open more are counted in one "other" group. */
  maxGroups?: number
  /** Distinct endpoints remembered per group. */
  maxEndpoints?: number
}

export type GroupableEvent = AppEvent | ProxyErrorEvent

/** How many identical error events one event stands for, and when the first and last of them were seen. */
export interface ErrorRepeats {
  count: number
  firstSeen: number | null
  lastSeen: number | null
}

export const OTHER_GROUP_ID = 'G-other'
const MAX_SAMPLE = 4000
const MAX_MESSAGE = 500

/**
 * Errors are error/fatal events, events carrying an exception, 5xx statuses, proxy upstream
 * failures, and a hard limit running out logged as a warning or with no level (a kernel OOM kill,
 * Tomcat's "All threads are currently busy" warning, php-fpm's pm.max_children).
 */
export function isErrorEvent(event: GroupableEvent): boolean {
  if (event.level === 'error' || event.level === 'fatal') return true
  if (event.kind === 'proxy-error') return event.reason !== null || resourceSignal(event.message) !== null
  if (event.errorType !== null || event.stack !== null || (event.status !== null && event.status >= 500)) return true
  // Limits are written at warn (Tomcat, php-fpm, Kubernetes events) or with no level (the kernel, a runtime's stderr); info lines, the bulk, are not read.
  return (event.level === 'warn' || event.level === null) && resourceSignal(event.message) !== null
}

interface GroupState {
  /** Current group id: a hash of the key, or of the cluster's template as of `revision`. */
  id: string
  /** Creation order: of states that converged on one id, the first one speaks for the group. */
  seq: number
  cluster: TemplateCluster | null
  /** The cluster revision `id` was computed from. */
  revision: number
  type: string | null
  message: string
  count: number
  firstSeen: number | null
  lastSeen: number | null
  endpoints: Map<string, number>
  times: TimeHistogram
  instances: Map<string, number>
  sample: string
  sampleAt: { sourceId: string; line: number }
}

/** Work done so far: group ids computed, and the template miners' line comparisons. */
export interface GrouperStats {
  resolutions: number
  comparisons: number
}

const templateGroupId = (type: string | null, template: string): string => `G${stableHash(`template\n${type ?? ''}\n${template}`)}`

const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString())
const firstLine = (text: string): string => text.split(/\r?\n/, 1)[0].slice(0, MAX_MESSAGE)

export class ErrorGrouper {
  private readonly maxGroups: number
  private readonly maxEndpoints: number
  private readonly byKey = new Map<string, GroupState>()
  private readonly byCluster = new Map<TemplateCluster, GroupState>()
  /** The resolved view, kept up to date as groups open and templates generalize: id → states, oldest first. */
  private readonly byId = new Map<string, GroupState[]>()
  private resolutions = 0
  // Proxy and app messages are different vocabularies: mine them apart.
  private readonly appMiner: TemplateMiner
  private readonly proxyMiner: TemplateMiner
  private other: GroupState | null = null

  constructor(options: ErrorGrouperOptions = {}) {
    this.maxGroups = options.maxGroups ?? 5000
    this.maxEndpoints = options.maxEndpoints ?? 20
    this.appMiner = new TemplateMiner({ header: 'none', maxClusters: this.maxGroups })
    this.proxyMiner = new TemplateMiner({ header: 'none', maxClusters: this.maxGroups })
  }

  get stats(): GrouperStats {
    return { resolutions: this.resolutions, comparisons: this.appMiner.stats.comparisons + this.proxyMiner.stats.comparisons }
  }

  /** Distinct groups so far (the "other" group included). */
  get size(): number {
    return this.byKey.size + this.byCluster.size + (this.other ? 1 : 0)
  }

  /** One slot stays free for the "other" group. */
  private get full(): boolean {
    return this.byKey.size + this.byCluster.size >= this.maxGroups - 1
  }

  /**
   * Counts an error event into its group; returns false (and counts nothing) for a non-error.
   * `repeats`: the event stands for that many identical ones seen over a time span (a central
   * store counts identical error rows itself and sends one of them), so groups are the same as
   * if every row had been read.
   */
  add(event: GroupableEvent, sourceId: string, repeats?: ErrorRepeats): boolean {
    if (!isErrorEvent(event)) return false
    const state = this.stateFor(event, sourceId)
    const count = repeats?.count ?? 1
    state.count += count
    for (const t of repeats ? [repeats.firstSeen, repeats.lastSeen] : [event.time]) {
      if (t === null) continue
      if (state.firstSeen === null || t < state.firstSeen) state.firstSeen = t
      if (state.lastSeen === null || t > state.lastSeen) state.lastSeen = t
    }
    // A store's repeats are spread over their span only by their first and last time: the histogram places them at the sample's time.
    const at = event.time ?? repeats?.firstSeen ?? null
    if (at !== null) addTime(state.times, at, count)
    const instance = event.kind === 'app' ? event.instance : (event.upstream ?? null)
    if (instance) {
      const seen = state.instances.get(instance)
      if (seen !== undefined) state.instances.set(instance, seen + count)
      else if (state.instances.size < this.maxEndpoints) state.instances.set(instance, count)
    }
    if (event.path !== null) {
      const endpoint = event.method ? `${event.method} ${normalizeRoute(event.path)}` : normalizeRoute(event.path)
      const seen = state.endpoints.get(endpoint)
      if (seen !== undefined) state.endpoints.set(endpoint, seen + count)
      else if (state.endpoints.size < this.maxEndpoints) state.endpoints.set(endpoint, count)
    }
    return true
  }

  /** Where the sample of a group was read. */
  sampleLocation(groupId: string): { sourceId: string; line: number } | null {
    if (groupId === OTHER_GROUP_ID) return this.other?.sampleAt ?? null
    return this.byId.get(groupId)?.[0].sampleAt ?? null
  }

  /** All groups, most frequent first. */
  groups(latestDeployAt: number | null): ErrorGroup[] {
    const out: ErrorGroup[] = []
    for (const [id, state] of this.resolved()) {
      out.push({
        id,
        type: state.type,
        message: state.message,
        count: state.count,
        firstSeen: iso(state.firstSeen),
        lastSeen: iso(state.lastSeen),
        endpoints: [...state.endpoints.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([e]) => e),
        sample: state.sample,
        times: { slotMs: state.times.slotMs, counts: { ...state.times.counts } },
        instances: Object.fromEntries(state.instances),
        newSinceDeploy: latestDeployAt !== null && state.firstSeen !== null && state.firstSeen >= latestDeployAt
      })
    }
    return out.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
  }

  private stateFor(event: GroupableEvent, sourceId: string): GroupState {
    if (event.kind === 'app' && event.stack !== null) {
      const fp = fingerprintTrace(event.stack, { errorType: event.errorType, errorMessage: event.errorMessage })
      // Type and message of one exception: the trace's root cause when it names one (its own
      // message, even when empty), else what the log line said. An outer message under the
      // root cause's type would describe an exception that never was.
      const rootNamed = fp.errorType !== null && fp.errorType !== event.errorType
      const message = rootNamed ? (fp.errorMessage ?? '') : (event.errorMessage ?? fp.errorMessage)
      return this.keyed(`trace\n${fp.key}`, event, sourceId, fp.errorType ?? event.errorType, message === '' ? fp.errorType : message)
    }
    if (event.kind === 'app' && event.errorType !== null) {
      const key = `type\n${event.errorType}\n${messageTemplate(event.errorMessage ?? event.message)}`
      return this.keyed(key, event, sourceId, event.errorType)
    }
    const miner = event.kind === 'proxy-error' ? this.proxyMiner : this.appMiner
    const cluster = miner.add(event.message)
    const known = this.byCluster.get(cluster)
    if (known) {
      if (known.revision !== cluster.revision) this.reresolve(known, cluster)
      return known
    }
    if (this.full) return this.overflow(event, sourceId)
    const type = event.kind === 'proxy-error' ? `proxy:${event.reason ?? 'error'}` : null
    const state = this.newState(templateGroupId(type, cluster.template), cluster, type, event, sourceId)
    state.revision = cluster.revision
    this.byCluster.set(cluster, state)
    this.index(state)
    return state
  }

  /** The cluster's template generalized: the group moves to the id of its new template. */
  private reresolve(state: GroupState, cluster: TemplateCluster): void {
    const list = this.byId.get(state.id)
    if (list) {
      const rest = list.filter((s) => s !== state)
      if (rest.length > 0) this.byId.set(state.id, rest)
      else this.byId.delete(state.id)
    }
    state.id = templateGroupId(state.type, cluster.template)
    state.revision = cluster.revision
    this.index(state)
  }

  private index(state: GroupState): void {
    this.resolutions++
    const list = this.byId.get(state.id)
    if (!list) {
      this.byId.set(state.id, [state])
      return
    }
    let at = list.length
    while (at > 0 && list[at - 1].seq > state.seq) at--
    list.splice(at, 0, state)
  }

  private keyed(key: string, event: GroupableEvent, sourceId: string, type: string | null, message?: string | null): GroupState {
    const known = this.byKey.get(key)
    if (known) return known
    if (this.full) return this.overflow(event, sourceId)
    const state = this.newState(`G${stableHash(key)}`, null, type, event, sourceId)
    if (message) state.message = firstLine(message)
    this.byKey.set(key, state)
    this.index(state)
    return state
  }

  private overflow(event: GroupableEvent, sourceId: string): GroupState {
    this.other ??= { ...this.newState(OTHER_GROUP_ID, null, null, event, sourceId), message: `other errors (beyond ${this.maxGroups - 1} distinct groups)` }
    return this.other
  }

  private newState(id: string, cluster: TemplateCluster | null, type: string | null, event: GroupableEvent, sourceId: string): GroupState {
    const message = event.kind === 'app' ? (event.errorMessage ?? event.message) : event.message
    const stack = event.kind === 'app' ? event.stack : null
    return {
      id,
      seq: this.byKey.size + this.byCluster.size,
      cluster,
      revision: 0,
      type,
      message: firstLine(message),
      count: 0,
      firstSeen: null,
      lastSeen: null,
      endpoints: new Map(),
      times: emptyHistogram(),
      instances: new Map(),
      sample: (stack ?? event.message).slice(0, MAX_SAMPLE),
      sampleAt: { sourceId, line: event.line }
    }
  }

  /** Groups by id, one pass over the index; template clusters that converged on one template are one group. */
  private *resolved(): Generator<[string, GroupState]> {
    for (const [id, states] of this.byId) {
      const shown = (s: GroupState): GroupState => (s.cluster ? { ...s, message: s.cluster.template } : s)
      let merged = shown(states[0])
      for (let i = 1; i < states.length; i++) merged = mergeStates(merged, states[i])
      yield [id, merged]
    }
    if (this.other) yield [OTHER_GROUP_ID, this.other]
  }
}

function mergeStates(a: GroupState, b: GroupState): GroupState {
  const earlier = (x: number | null, y: number | null): number | null => (x === null ? y : y === null ? x : Math.min(x, y))
  const later = (x: number | null, y: number | null): number | null => (x === null ? y : y === null ? x : Math.max(x, y))
  const endpoints = new Map(a.endpoints)
  for (const [e, n] of b.endpoints) endpoints.set(e, (endpoints.get(e) ?? 0) + n)
  const instances = new Map(a.instances)
  for (const [e, n] of b.instances) instances.set(e, (instances.get(e) ?? 0) + n)
  const times = { slotMs: a.times.slotMs, counts: { ...a.times.counts } }
  mergeHistogram(times, b.times)
  return { ...a, count: a.count + b.count, firstSeen: earlier(a.firstSeen, b.firstSeen), lastSeen: later(a.lastSeen, b.lastSeen), endpoints, instances, times }
}

/** Merges group lists of several files or file parts: ids are content hashes, so equal ids are one group. */
export function mergeErrorGroups(lists: ErrorGroup[][]): ErrorGroup[] {
  const byId = new Map<string, ErrorGroup>()
  for (const list of lists)
    for (const g of list) {
      const known = byId.get(g.id)
      if (!known) {
        byId.set(g.id, { ...g, endpoints: [...g.endpoints], instances: { ...g.instances }, times: { slotMs: g.times.slotMs, counts: { ...g.times.counts } } })
        continue
      }
      mergeHistogram(known.times, g.times)
      for (const [i, n] of Object.entries(g.instances)) known.instances[i] = (known.instances[i] ?? 0) + n
      known.count += g.count
      if (g.firstSeen !== null && (known.firstSeen === null || g.firstSeen < known.firstSeen)) known.firstSeen = g.firstSeen
      if (g.lastSeen !== null && (known.lastSeen === null || g.lastSeen > known.lastSeen)) known.lastSeen = g.lastSeen
      for (const e of g.endpoints) if (!known.endpoints.includes(e)) known.endpoints.push(e)
      known.newSinceDeploy = known.newSinceDeploy && g.newSinceDeploy
    }
  return [...byId.values()].sort((a, b) => b.count - a.count || a.id.localeCompare(b.id))
}
