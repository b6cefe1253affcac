/**
 * Requests and app events per instance (upstream address, pod, host, load-balancer target), as
 * the logs name it: what says whether the 5xx sit on one instance while the others are fine.
 * Mergeable plain data (a worker's share of a file, another source, a live tail), bounded in size.
 */

export interface InstanceStats {
  name: string
  requests: number
  s5xx: number
  /** App events that named this instance, and how many of them were errors. */
  appEvents: number
  appErrors: number
}

/** Fleets are rarely larger; past this, new names share one row so memory stays bounded. */
export const MAX_INSTANCES = 2000
export const OTHER_INSTANCES = '(other instances)'

export class InstanceCounts {
  private readonly byName = new Map<string, InstanceStats>()

  private stats(name: string): InstanceStats {
    let s = this.byName.get(name)
    if (s === undefined) {
      // The overflow row is the one name allowed past the bound.
      const key = this.byName.size >= MAX_INSTANCES ? OTHER_INSTANCES : name
      s = this.byName.get(key)
      if (s === undefined) {
        s = { name: key, requests: 0, s5xx: 0, appEvents: 0, appErrors: 0 }
        this.byName.set(key, s)
      }
    }
    return s
  }

  addRequest(name: string | null, is5xx: boolean): void {
    if (name === null || name === '' || name === '-') return
    const s = this.stats(name)
    s.requests++
    if (is5xx) s.s5xx++
  }

  addAppEvent(name: string | null, isError: boolean): void {
    if (name === null || name === '') return
    const s = this.stats(name)
    s.appEvents++
    if (isError) s.appErrors++
  }

  merge(list: readonly InstanceStats[]): void {
    for (const o of list) {
      const s = this.stats(o.name)
      s.requests += o.requests
      s.s5xx += o.s5xx
      s.appEvents += o.appEvents
      s.appErrors += o.appErrors
    }
  }

  toData(): InstanceStats[] {
    return [...this.byName.values()].map((s) => ({ ...s }))
  }
}

/** The same instances with their request counts dropped: a source whose requests another source counts. */
export const withoutRequests = (list: readonly InstanceStats[]): InstanceStats[] =>
  list.filter((s) => s.appEvents > 0).map((s) => ({ ...s, requests: 0, s5xx: 0 }))
