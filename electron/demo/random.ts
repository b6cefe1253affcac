/**
 * A seeded PRNG (mulberry32) and the draws the simulation needs. The same seed gives the same
 * sequence of requests; only their timestamps follow the wall clock.
 */
export class SeededRandom {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** Whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]
  }

  /** Picks by weight; weights need not sum to 1. */
  weighted<T extends { weight: number }>(items: readonly T[]): T {
    const total = items.reduce((sum, item) => sum + item.weight, 0)
    let r = this.next() * total
    for (const item of items) {
      r -= item.weight
      if (r < 0) return item
    }
    return items[items.length - 1]
  }

  /** Lower-case hex of `length` digits (request ids, commit shas). */
  hex(length: number): string {
    let out = ''
    while (out.length < length) out += Math.floor(this.next() * 0x10000).toString(16).padStart(4, '0')
    return out.slice(0, length)
  }

  /** Exponential wait with the given mean: the gaps of a Poisson arrival process. */
  exponential(mean: number): number {
    return -Math.log(1 - this.next()) * mean
  }

  /** Roughly log-normal latency: most requests near `median`, a long tail of slow ones. */
  latency(median: number): number {
    const u1 = 1 - this.next()
    const u2 = this.next()
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
    return Math.max(1, Math.round(median * Math.exp(0.45 * normal)))
  }
}
