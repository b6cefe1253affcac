import { describe, it, expect } from 'vitest'
import type { AppEvent } from '../../../shared/model/evidence'
import { ErrorGrouper } from '../../../shared/analysis/groups'
import { mineTemplates, TemplateMiner } from '../../../shared/analysis/templates'

// Work is counted, not timed: comparisons of a line with clusters, and group ids computed.

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'fox', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima']

/** `n` distinct messages of six `word123` tokens: no two share a template worth keeping. */
function distinctMessages(n: number): string[] {
  let seed = 7
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(Array.from({ length: 6 }, () => `${WORDS[Math.floor(rnd() * WORDS.length)]}${Math.floor(rnd() * 1000)}`).join(' '))
  return out
}

const T0 = Date.parse('2026-01-01T00:00:00Z')
const errorEvent = (message: string, line: number): AppEvent => ({
  kind: 'app', line, lines: 1, offset: 0, time: T0 + line * 1000, level: 'error', message, errorType: null, errorMessage: null,
  stack: null, requestId: null, method: null, path: null, status: null, logger: null, instance: null
})

const LINES = 20_000
/** Comparisons a line may cost: a leaf compares with at most this many clusters (the miner's default). */
const PER_LINE = 64

describe('grouping work stays linear in lines', () => {
  it('mines 20,000 distinct messages with a bounded number of comparisons per line, and keeps a real template whole', () => {
    const messages = distinctMessages(LINES)
    const miner = new TemplateMiner({ header: 'none' })
    for (const m of messages) miner.add(m)
    // Unbounded, every line is compared with every cluster of its leaf: thousands per line here.
    expect(miner.stats.lines).toBe(LINES)
    expect(miner.stats.comparisons).toBeLessThanOrEqual(PER_LINE * LINES)
    // Lines of a real template interleaved with the noise still mine to that one template.
    const mixed = messages.flatMap((m, i) => (i % 10 === 0 ? [m, `user ${i} logged in from 10.0.0.${i % 250}`] : [m]))
    const { templates } = mineTemplates(mixed, { header: 'none' })
    expect(templates.find((t) => t.template === 'user <*> logged in from <*>')?.count).toBe(LINES / 10)
  })

  it('computes each group id once per group and template change, and reading the groups computes none', () => {
    const grouper = new ErrorGrouper()
    const messages = distinctMessages(LINES)
    let reads = 0
    messages.forEach((m, i) => {
      expect(grouper.add(errorEvent(m, i + 1), 'app.log')).toBe(true)
      // A live refresh reads every group and its sample location, as the ingest result does.
      if ((i + 1) % 1000 === 0) {
        const before = grouper.stats.resolutions
        const groups = grouper.groups(null)
        for (const g of groups) expect(grouper.sampleLocation(g.id)).not.toBeNull()
        expect(grouper.stats.resolutions).toBe(before)
        reads += groups.length
      }
    })
    expect(reads).toBeGreaterThan(20 * PER_LINE)
    // One leaf (six tokens, no constant prefix): its clusters plus one `rest` group for the noise beyond them.
    expect(grouper.size).toBe(PER_LINE + 1)
    // Each resolution is a group opening or its template generalizing (at most once per token).
    expect(grouper.stats.resolutions).toBeLessThanOrEqual(grouper.size * 7)
    expect(grouper.stats.comparisons).toBeLessThanOrEqual(PER_LINE * LINES)
    const groups = grouper.groups(null)
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(LINES)
    expect(new Set(groups.map((g) => g.id)).size).toBe(groups.length)
  })

  it('merges clusters that converged on one template into one group with the first sample', () => {
    const grouper = new ErrorGrouper()
    // Two clusters (the second differs in three of five tokens) that generalize to one template.
    grouper.add(errorEvent('cache miss on shard alpha now', 1), 'a.log')
    grouper.add(errorEvent('cache fault at shard beta now', 2), 'b.log')
    grouper.add(errorEvent('cache miss on shard gamma later', 3), 'a.log')
    grouper.add(errorEvent('cache fault at shard delta later', 4), 'b.log')
    const groups = grouper.groups(null)
    for (const g of groups) expect(grouper.sampleLocation(g.id)).not.toBeNull()
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(4)
    expect(groups.map((g) => g.message).sort()).toEqual(['cache fault at shard <*> <*>', 'cache miss on shard <*> <*>'])
  })
})
