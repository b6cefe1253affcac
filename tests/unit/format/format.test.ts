import { describe, expect, it } from 'vitest'
import { bytes, storeCost, clock, clockFor, count, duration, iso, isoOrNull, percent, perMinute, plural, spansDays } from '../../../shared/format'

describe('shared/format: counts', () => {
  it.each([
    [0, '0'],
    [7, '7'],
    [1500, '1,500'],
    [1_234_567, '1,234,567'],
    [2.4, '2'],
    [2.5, '3'],
    [-1200, '-1,200'],
    [Number.NaN, '—'],
    [Number.POSITIVE_INFINITY, '—']
  ])('count(%s) → %s', (n, text) => expect(count(n)).toBe(text))

  it('plural agrees with the printed count', () => {
    expect(plural(1, 'request')).toBe('1 request')
    expect(plural(0, 'request')).toBe('0 requests')
    expect(plural(1500, 'entry', 'entries')).toBe('1,500 entries')
    expect(plural(1.2, 'request')).toBe('1 request')
  })
})

describe('shared/format: percentages', () => {
  it.each([
    [0, '0%'],
    [0.0023, '0.23%'],
    [0.00004, '0.004%'],
    [0.0000001, '0.00001%'],
    [0.0011, '0.11%'],
    [0.001, '0.1%'],
    [0.025, '2.5%'],
    [0.02, '2%'],
    [0.0996, '10%'],
    [0.0994, '9.9%'],
    [0.00996, '1%'],
    [0.196, '20%'],
    [0.31, '31%'],
    [1, '100%'],
    [-0.0023, '-0.23%'],
    [Number.NaN, '—']
  ])('percent(%s) → %s', (rate, text) => expect(percent(rate)).toBe(text))

  it('never prints a small non-zero rate as 0% or in exponent notation', () => {
    for (let e = -12; e <= 0; e++) {
      const text = percent(10 ** e)
      expect(text).not.toBe('0%')
      expect(text).not.toMatch(/e/i)
    }
  })

  it.each([
    [0, '0/min'],
    [0.35, '0.35/min'],
    [4.2, '4.2/min'],
    [9.96, '10/min'],
    [12.4, '12/min'],
    [1500, '1,500/min']
  ])('perMinute(%s) → %s', (n, text) => expect(perMinute(n)).toBe(text))
})

describe('shared/format: durations', () => {
  it.each([
    [0, '0 ms'],
    [850, '850 ms'],
    [999.6, '1 s'],
    [1500, '1.5 s'],
    [2000, '2 s'],
    [9960, '10 s'],
    [45_000, '45 s'],
    [59_600, '1 min'],
    [60_000, '1 min'],
    [75_000, '1 min 15 s'],
    [130_000, '2 min 10 s'],
    [3_599_000, '59 min 59 s'],
    [3_600_000, '1 h'],
    [5_400_000, '1 h 30 min'],
    [86_399_000, '1 d'],
    [200 * 3_600_000, '8 d 8 h'],
    [8 * 86_400_000, '8 d'],
    [-1, '—'],
    [Number.NaN, '—']
  ])('duration(%s) → %s', (ms, text) => expect(duration(ms)).toBe(text))
})

describe('shared/format: times', () => {
  const t = Date.parse('2026-05-01T12:03:04.500Z')

  it('prints UTC, with the date and seconds as asked', () => {
    expect(clock(t)).toBe('12:03:04 UTC')
    expect(clock(t, { date: true })).toBe('2026-05-01 12:03:04 UTC')
    expect(clock(t, { seconds: false })).toBe('12:03 UTC')
    expect(clock(t, { date: true, seconds: false, zone: false })).toBe('2026-05-01 12:03')
    expect(clock('2026-05-01T14:03:04+02:00')).toBe('12:03:04 UTC')
  })

  it('says when a time is missing and shows text that is not a time as it is', () => {
    expect(clock(null)).toBe('—')
    expect(clock('yesterday-ish')).toBe('yesterday-ish')
  })

  it('adds the date when the window spans days', () => {
    expect(spansDays(Date.parse('2026-05-01T00:00:00Z'), Date.parse('2026-05-01T23:59:59Z'))).toBe(false)
    expect(spansDays(Date.parse('2026-05-01T23:50:00Z'), Date.parse('2026-05-02T00:10:00Z'))).toBe(true)
    expect(spansDays(null, t)).toBe(true)
    const sameDay = clockFor(t, t + 3_600_000)
    const twoDays = clockFor(t, t + 86_400_000)
    expect(sameDay(t)).toBe('12:03:04 UTC')
    expect(twoDays(t)).toBe('2026-05-01 12:03:04 UTC')
  })

  it('keeps the machine form for JSON', () => {
    expect(iso(t)).toBe('2026-05-01T12:03:04.500Z')
    expect(isoOrNull(null)).toBeNull()
  })
})

describe('shared/format: sizes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1 KB'],
    [1536, '1.5 KB'],
    [5018, '4.9 KB'],
    [1024 * 1024 - 1, '1 MB'],
    [1024 * 1024, '1 MB'],
    [12 * 1024 * 1024, '12 MB'],
    [84.4 * 1024 * 1024, '84 MB'],
    [3 * 1024 ** 4, '3 TB'],
    [5000 * 1024 ** 4, '5000 TB'],
    [-1, '—']
  ])('bytes(%s) → %s', (n, text) => expect(bytes(n)).toBe(text))
})

describe('shared/format: store cost', () => {
  it.each([
    [512 * 1024, 1.7 * 1024 ** 3, '512 KB moved of 1.7 GB scanned by the engine (0.029%)'],
    [2048, 0, '2 KB moved of 0 B scanned by the engine'],
    [2048, null, '2 KB moved; the engine did not say what it scanned']
  ])('storeCost(%s, %s) → %s', (moved, scanned, text) => expect(storeCost(moved, scanned)).toBe(text))
})
