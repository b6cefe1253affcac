/** Sources whose times never meet: their events cannot be compared on one timeline. */

export interface TimedSource {
  name: string
  from: number
  to: number
}

/**
 * Pairs of sources whose time spans do not overlap, each pair once, earliest first. A log of May
 * 2015 beside one of today's is most often the wrong file, or a clock or zone read wrong.
 */
export function disjointSources(sources: readonly TimedSource[]): [TimedSource, TimedSource][] {
  const sorted = [...sources].filter((s) => Number.isFinite(s.from) && Number.isFinite(s.to)).sort((a, b) => a.from - b.from)
  const out: [TimedSource, TimedSource][] = []
  for (let i = 0; i < sorted.length; i++)
    for (let j = i + 1; j < sorted.length; j++) if (sorted[j].from > sorted[i].to) out.push([sorted[i], sorted[j]])
  return out
}
