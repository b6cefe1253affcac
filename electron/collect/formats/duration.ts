/** Units a duration field may be written in; a leaf module, so parsers and definitions share it without a cycle. */
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
