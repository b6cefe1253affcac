/**
 * How many distinct things (clients, URLs) were seen, in bounded memory: exact up to
 * MAX_EXACT_DISTINCT, then a HyperLogLog estimate (Flajolet et al. 2007, with the linear-counting
 * correction for small counts), which mergers of worker shares and sources can combine exactly.
 */

/** Beyond this many distinct values, the count is an estimate (about ±1.6% at 4,096 registers). */
export const MAX_EXACT_DISTINCT = 20_000
const PRECISION = 12
const REGISTERS = 1 << PRECISION
const TWO_32 = 2 ** 32

/**
 * A 53-bit hash of a string (cyrb53, public domain): two 32-bit halves, so collisions among the
 * exact values are negligible and the HyperLogLog gets independent index and rank bits.
 */
export function hash53(text: string): number {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    h1 = Math.imul(h1 ^ ch, 2654435761)
    h2 = Math.imul(h2 ^ ch, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (h2 & 0x1fffff) * TWO_32 + (h1 >>> 0)
}

/** Plain-data form: the exact hashes while they fit, else the registers. */
export interface DistinctData {
  exact: number[] | null
  registers: number[] | null
}

export class DistinctCounter {
  private exact: Set<number> | null = new Set()
  private readonly registers = new Uint8Array(REGISTERS)

  addText(text: string): void {
    this.addHash(hash53(text))
  }

  addHash(h: number): void {
    if (this.exact !== null) {
      this.exact.add(h)
      if (this.exact.size > MAX_EXACT_DISTINCT) this.exact = null
    }
    const low = h % TWO_32
    const index = low & (REGISTERS - 1)
    // The rank reads the 20 low bits left after the index, then the 21 high bits.
    const rest = (low >>> PRECISION) | 0
    const high = Math.floor(h / TWO_32)
    const rank = rest !== 0 ? Math.clz32(rest) - PRECISION + 1 : high !== 0 ? 32 - PRECISION + Math.clz32(high) - 11 + 1 : 42
    if (rank > this.registers[index]) this.registers[index] = rank
  }

  /** Whether the count is an estimate (more distinct values than kept exactly). */
  get estimated(): boolean {
    return this.exact === null
  }

  count(): number {
    if (this.exact !== null) return this.exact.size
    let sum = 0
    let zeros = 0
    for (let i = 0; i < REGISTERS; i++) {
      sum += 2 ** -this.registers[i]
      if (this.registers[i] === 0) zeros++
    }
    const alpha = 0.7213 / (1 + 1.079 / REGISTERS)
    const raw = (alpha * REGISTERS * REGISTERS) / sum
    const estimate = raw <= 2.5 * REGISTERS && zeros > 0 ? REGISTERS * Math.log(REGISTERS / zeros) : raw
    // Never below what was known exactly before switching: the estimate only starts past the bound.
    return Math.max(Math.round(estimate), MAX_EXACT_DISTINCT + 1)
  }

  toData(): DistinctData {
    return this.exact !== null ? { exact: [...this.exact], registers: null } : { exact: null, registers: [...this.registers] }
  }

  merge(data: DistinctData): void {
    if (data.exact !== null) {
      for (const h of data.exact) this.addHash(h)
      return
    }
    this.exact = null
    const other = data.registers ?? []
    for (let i = 0; i < REGISTERS; i++) if ((other[i] ?? 0) > this.registers[i]) this.registers[i] = other[i]
  }

  static from(data: DistinctData): DistinctCounter {
    const counter = new DistinctCounter()
    counter.merge(data)
    return counter
  }
}

export const emptyDistinct = (): DistinctData => ({ exact: [], registers: null })
