import { describe, expect, it } from 'vitest'
import { tickStep, timeTicks, zonedClock, zonedRange } from '../../../shared/format'

const H = 3_600_000

describe('timeTicks', () => {
  it('a 3.5-day log reads as days, in order, never a bare clock that looks backwards', () => {
    const from = Date.UTC(2026, 11, 2, 10, 0) // Wed 2 Dec 2026
    const to = from + 3.5 * 24 * H
    const ticks = timeTicks(from, to, 6, 'UTC')
    expect(ticks.map((t) => t.label)).toEqual(['Thu 3 Dec', 'Fri 4 Dec', 'Sat 5 Dec'])
    const finer = timeTicks(from, to, 12, 'UTC')
    expect(finer[0]).toEqual({ t: Date.UTC(2026, 11, 2, 12), label: '12:00', date: 'Wed 2 Dec' })
    // Every tick where the day changes says which day; the others only the clock.
    expect(finer.filter((t) => t.date !== null).map((t) => t.date)).toEqual(['Wed 2 Dec', 'Thu 3 Dec', 'Fri 4 Dec', 'Sat 5 Dec', 'Sun 6 Dec'].slice(0, finer.filter((t) => t.date).length))
    for (let i = 1; i < finer.length; i++) expect(finer[i].t).toBeGreaterThan(finer[i - 1].t)
  })

  it('logs from different years carry the year', () => {
    const from = Date.UTC(2015, 4, 17, 10, 5)
    const to = Date.UTC(2026, 11, 2, 9, 0)
    const ticks = timeTicks(from, to, 6, 'UTC')
    expect(ticks.length).toBeGreaterThan(2)
    expect(ticks.length).toBeLessThanOrEqual(7)
    for (const t of ticks) expect(t.label).toMatch(/^Jan 20\d\d$/)
    expect(zonedRange(from, to, 'UTC', { seconds: false })).toBe('Sun 17 May 2015 10:05 – Wed 2 Dec 2026 09:00 UTC')
    // Across New Year by a few hours, the dates still name their years.
    const ny = timeTicks(Date.UTC(2025, 11, 31, 22), Date.UTC(2026, 0, 1, 2), 4, 'UTC')
    expect(ny.filter((t) => t.date).map((t) => t.date)).toEqual(['Wed 31 Dec 2025', 'Thu 1 Jan 2026'])
  })

  it('ticks fall on round local times in the zone, and the zone is named by its offset', () => {
    const from = Date.UTC(2026, 11, 2, 9, 7) // 10:07 in Berlin (UTC+1), 14:37 in Kolkata (UTC+5:30)
    const to = from + 2 * H
    expect(timeTicks(from, to, 4, 'Europe/Berlin').map((t) => t.label)).toEqual(['10:30', '11:00', '11:30', '12:00'])
    expect(timeTicks(from, to, 4, 'Asia/Kolkata').map((t) => t.label)).toEqual(['15:00', '15:30', '16:00', '16:30'])
    expect(zonedClock(from, 'Europe/Berlin', { date: true, zone: true })).toBe('Wed 2 Dec 10:07:00 UTC+1')
    expect(zonedClock(from, 'Asia/Kolkata', { zone: true, seconds: false })).toBe('14:37 UTC+5:30')
    expect(zonedClock(from, 'America/New_York', { zone: true, seconds: false })).toBe('04:07 UTC−5')
  })

  it('keeps hourly ticks on the hour across a DST change', () => {
    // Europe/Berlin leaves summer time at 03:00 local on 25 Oct 2026 (01:00 UTC).
    const ticks = timeTicks(Date.UTC(2026, 9, 24, 22, 30), Date.UTC(2026, 9, 25, 4, 30), 8, 'Europe/Berlin')
    for (const t of ticks) expect(t.label).toMatch(/^\d\d:00$/)
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].t).toBeGreaterThan(ticks[i - 1].t)
    expect(ticks[0].date).toBe('Sun 25 Oct')
  })

  it('chooses seconds for short windows and months for long ones', () => {
    expect(tickStep(60_000, 6)).toEqual({ unit: 'ms', ms: 10_000 })
    expect(timeTicks(Date.UTC(2026, 0, 1, 0, 0, 3), Date.UTC(2026, 0, 1, 0, 1, 3), 6, 'UTC')[0].label).toBe('00:00:10')
    expect(tickStep(400 * 24 * H, 6)).toEqual({ unit: 'month', months: 3 })
    expect(timeTicks(1, 0, 5, 'UTC')).toEqual([])
  })

  it('an unknown zone falls back to UTC instead of throwing', () => {
    expect(zonedClock(Date.UTC(2026, 0, 1, 12), 'Mars/Olympus_Mons', { zone: true })).toBe('12:00:00 UTC')
  })
})
