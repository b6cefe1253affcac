/**
 * The one place numbers, rates, durations, times and sizes become text, so the same value prints
 * the same in the verdict reasons, the runbook, the report and every screen.
 */
export { count, percent, perMinute, plural } from './numbers'
export { duration } from './durations'
export { clock, clockFor, iso, isoOrNull, spansDays, type ClockOptions } from './times'
export { bytes, storeCost } from './sizes'
export { dateStyleFor, dayText, tickStep, timeTicks, zonedClock, zonedRange, type Tick, type ZonedClockOptions } from './ticks'
export { localZone, offsetName, wallTime } from './zoned'
export { readableLine, type ReadableLine } from './raw-line'
