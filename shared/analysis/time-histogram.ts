/**
 * When a group's events happened, in bounded memory: counts per time slot, the slot starting
 * at one second and doubling whenever more than MAX_SLOTS are in use. Two histograms merge by
 * coarsening to the wider slot. Enough for a sparkline, never a list of every event.
 */
export interface TimeHistogram {
  slotMs: number
  /** Slot index (time / slotMs, floored) → events in it. */
  counts: Record<string, number>
}

export const MAX_SLOTS = 2048
export const FIRST_SLOT_MS = 1000

export const emptyHistogram = (): TimeHistogram => ({ slotMs: FIRST_SLOT_MS, counts: {} })

function coarsen(h: TimeHistogram, slotMs: number): void {
  if (slotMs <= h.slotMs) return
  const factor = slotMs / h.slotMs
  const next: Record<string, number> = {}
  for (const [k, n] of Object.entries(h.counts)) {
    const slot = String(Math.floor(Number(k) / factor))
    next[slot] = (next[slot] ?? 0) + n
  }
  h.slotMs = slotMs
  h.counts = next
}

export function addTime(h: TimeHistogram, t: number, n = 1): void {
  const slot = String(Math.floor(t / h.slotMs))
  h.counts[slot] = (h.counts[slot] ?? 0) + n
  let size = Object.keys(h.counts).length
  while (size > MAX_SLOTS) {
    coarsen(h, h.slotMs * 2)
    size = Object.keys(h.counts).length
  }
}

/** `into` gains `from`'s counts (both end at the wider of the two slots). */
export function mergeHistogram(into: TimeHistogram, from: TimeHistogram): void {
  const other: TimeHistogram = { slotMs: from.slotMs, counts: { ...from.counts } }
  // Slots double from one second, so the wider is always a multiple of the narrower.
  coarsen(into, other.slotMs)
  coarsen(other, into.slotMs)
  for (const [k, n] of Object.entries(other.counts)) addTime(into, Number(k) * into.slotMs, n)
}

/** The counts in fixed buckets (`from` + i·bucketMs), e.g. the timeline's: a slot counts where it starts. */
export function bucketCounts(h: TimeHistogram, from: number, bucketMs: number, buckets: number): number[] {
  const out = new Array<number>(buckets).fill(0)
  for (const [k, n] of Object.entries(h.counts)) {
    const i = Math.floor((Number(k) * h.slotMs - from) / bucketMs)
    if (i >= 0 && i < buckets) out[i] += n
  }
  return out
}

/** Every slot's start time and count, oldest first. */
export const slots = (h: TimeHistogram): [at: number, n: number][] =>
  Object.entries(h.counts)
    .map(([k, n]): [number, number] => [Number(k) * h.slotMs, n])
    .sort((a, b) => a[0] - b[0])
