import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  ClfTimeCache, epochToMillis, fractionToMillis, parseClfTime, parseIsoTime, parseOffsetMinutes, parseSyslogTime, parseTimeValue, utcMillis
} from '../../electron/collect/formats/time'
import { badEpoch, fuzzParams, mutated } from './fuzz'

const checkEpoch = (t: unknown, input: unknown): void => {
  expect(badEpoch(t), `for ${JSON.stringify(input)}`).toBeNull()
}

/** Timestamps as logs write them, before mutation. */
const timeText = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.date({ noInvalidDate: true }).map((d) => d.toUTCString()),
  fc.constantFrom(
    '2024-03-01T12:00:00.123+02:00', '2024-03-01 12:00:00,123', '2024-03-01', '17/May/2015:10:05:03 +0000', '01/Mar/2024:12:00:00 +0100',
    '1709294400', '1709294400000', '1709294400.123456', '1712790000100000000', 'Fri, 01 Mar 2024 12:00:00 GMT', '+275760-09-13T00:00:00Z'
  )
)
const timeLike = fc.oneof(timeText, mutated(timeText), fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[0-9:./ +TZ-]{0,40}$/))
const anyNumber = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(1e300, -1e300, 8.64e15, 8.64e18, 8.64e21, Number.MAX_VALUE, Number.MIN_VALUE, -0))

describe('time parsing never throws and returns null or a whole epoch in the Date range', () => {
  it('parseIsoTime, parseClfTime and parseTimeValue on time-like and arbitrary text', () => {
    fc.assert(
      fc.property(timeLike, (text) => {
        checkEpoch(parseIsoTime(text), text)
        checkEpoch(parseClfTime(text), text)
        checkEpoch(parseTimeValue(text), text)
      }),
      // A long digit run is an epoch number too: the same known 1e300 defect.
      { ...fuzzParams(2000), examples: [['1' + '0'.repeat(300)]] }
    )
  })

  it('epochToMillis and parseTimeValue on any number, and on any JSON value', () => {
    // 1e300 is the known defect being fixed in time.ts: this fails until that fix is in.
    fc.assert(
      fc.property(fc.oneof(anyNumber, fc.jsonValue({ maxDepth: 2 })), (value) => {
        if (typeof value === 'number') checkEpoch(epochToMillis(value), value)
        checkEpoch(parseTimeValue(value), value)
        // JSON text, not String(): `{"toString": ""}` is a JSON value String() cannot convert.
        const text = typeof value === 'string' ? value : JSON.stringify(value)
        checkEpoch(parseTimeValue(text), text)
      }),
      { ...fuzzParams(2000), examples: [[1e300], [{ toString: '' }]] }
    )
  })

  it('ClfTimeCache.parseAt on bracketed CLF times, reusing one cache as a file does', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(timeText, mutated(timeText)), { maxLength: 10 }), (texts) => {
        const cache = new ClfTimeCache()
        for (const text of texts) {
          const line = `1.2.3.4 - - [${text}] "GET / HTTP/1.1" 200 1`
          const start = line.indexOf('[') + 1
          const end = line.indexOf(']', start)
          if (end === -1) continue
          const got = cache.parseAt(line, start, end)
          checkEpoch(got, text)
          // The cache answers what parsing the text alone answers.
          expect(got, text).toBe(parseClfTime(line.slice(start, end)))
        }
      }),
      // Found by this property: a fresh cache takes a time without a zone as a day it has seen
      // (its empty keys match), so the first such line lands on 1970-01-01.
      { ...fuzzParams(1000), examples: [[['17/May/2015:10:05:03']]] }
    )
  })

  it('the field helpers: offsets, fractions, UTC fields and syslog times', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 8 }),
        fc.stringMatching(/^[0-9]{0,12}$/),
        fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 8, maxLength: 8 }),
        // The shape syslog.ts's pattern guarantees (digits() reads past a shorter text as NaN).
        fc.stringMatching(/^\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/),
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(Date.UTC(9999, 0, 1)) }),
        (offset, fraction, fields, hms, now) => {
          const minutes = parseOffsetMinutes(offset)
          if (minutes !== null) expect(Math.abs(minutes), offset).toBeLessThanOrEqual(14 * 60 + 59)
          const millis = fractionToMillis(fraction)
          expect(millis >= 0 && millis <= 999 && Number.isInteger(millis), fraction).toBe(true)
          const [year, month, day, hour, minute, second, ms, off] = fields
          checkEpoch(utcMillis(year, month, day, hour, minute, second, Math.abs(ms) % 1000, Math.max(-900, Math.min(900, off))), fields)
          checkEpoch(parseSyslogTime(Math.abs(month) % 12, Math.abs(day) % 32, hms, now.getTime()), [hms, now])
        }
      ),
      fuzzParams(2000)
    )
  })
})
