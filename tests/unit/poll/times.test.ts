import { describe, expect, it } from 'vitest'
import { parseIsoTime, parseTimeValue } from '../../../electron/collect/poll'

describe('parseIsoTime', () => {
  it('reads offsets, fractions and UTC for times without an offset', () => {
    expect(parseIsoTime('2024-05-01T12:00:00Z')).toBe(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01T14:00:00+02:00')).toBe(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01T06:30:00-0530')).toBe(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01T12:00:00.123456789Z')).toBe(Date.UTC(2024, 4, 1, 12, 0, 0, 123))
    expect(parseIsoTime('2024-05-01 12:00')).toBe(Date.UTC(2024, 4, 1, 12))
    expect(parseIsoTime('2024-05-01')).toBe(Date.UTC(2024, 4, 1))
  })

  it('refuses what is not an ISO-8601 time or names no real day', () => {
    for (const text of ['yesterday', '05/01/2024', '2024-13-01', '2024-02-30', '2023-02-29T00:00:00Z', '2024-05-01T25:00Z', '1714564800'])
      expect(parseIsoTime(text), text).toBeNull()
    expect(parseIsoTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29))
  })
})

describe('parseTimeValue', () => {
  it('reads epoch milliseconds, epoch seconds and ISO text', () => {
    expect(parseTimeValue(1714564800000)).toBe(1714564800000)
    expect(parseTimeValue(1714564800)).toBe(1714564800000)
    expect(parseTimeValue('2024-05-01T12:00:00Z')).toBe(1714564800000)
    expect(parseTimeValue(true)).toBeNull()
    expect(parseTimeValue(-5)).toBeNull()
  })
})
