/**
 * Small facts about reading formats that several modules share, kept out of definition.ts and
 * detect.ts so that the parsers they build can use them without an import cycle.
 */

/** Detection and inference read this many first lines: their cost is bounded by it, never by the file. */
export const DETECT_SAMPLE_LINES = 200

export type DurationUnit = 's' | 'ms' | 'us' | 'ns'

const DURATION_UNITS: readonly DurationUnit[] = ['s', 'ms', 'us', 'ns']

/**
 * A field map's `duration` may name its unit after a colon (`Duration:ns`, `latency:ms`), so an
 * inferred or user-given map carries the unit with the key; without one, the format's own rule applies.
 */
export function durationField(spec: string): { path: string; unit: DurationUnit | null } {
  const colon = spec.lastIndexOf(':')
  const unit = colon > 0 ? DURATION_UNITS.find((u) => u === spec.slice(colon + 1)) : undefined
  return unit === undefined ? { path: spec, unit: null } : { path: spec.slice(0, colon), unit }
}
