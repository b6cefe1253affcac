import { describe, expect, it } from 'vitest'
import { readableLine } from '../../../shared/format'
import { disjointSources } from '../../../shared/model/overlap'

describe('readableLine', () => {
  it('pretty-prints a pino record and shows its epoch-ms time as a date beside the number', () => {
    const line = '{"level":50,"time":1764669600123,"pid":7,"hostname":"orders-7f9c","req":{"method":"POST","url":"/api/orders"},"msg":"request errored"}'
    const r = readableLine(line)
    expect(r.json).toBe(true)
    expect(r.text.split('\n')).toContain('  "time": "1764669600123 = 2025-12-02 10:00:00 UTC +123 ms",')
    expect(r.text).toContain('    "method": "POST",')
    // A number under a key that is not a time stays a number, even in the epoch range.
    expect(r.text).toContain('"level": 50')
  })

  it('keeps a wrapper prefix on its own line and reads epoch seconds', () => {
    const r = readableLine('2025-12-02T10:00:00.5Z stdout F {"ts":1764669600,"msg":"ok","duration_ms":1764669600,"heartbeat":1764669600,"createdAt":1764669600000}')
    expect(r.text.split('\n')[0]).toBe('2025-12-02T10:00:00.5Z stdout F')
    expect(r.text).toContain('"ts": "1764669600 = 2025-12-02 10:00:00 UTC"')
    expect(r.text).toContain('"duration_ms": 1764669600')
    expect(r.text).toContain('"heartbeat": 1764669600')
    expect(r.text).toContain('"createdAt": "1764669600000 = 2025-12-02 10:00:00 UTC"')
  })

  it('returns a line that is not JSON unchanged', () => {
    for (const line of ['10.0.0.1 - - [02/Dec/2025:10:00:00 +0000] "GET / HTTP/1.1" 500 12', 'oops {not json}', '{"a":1'])
      expect(readableLine(line)).toEqual({ text: line, json: false })
  })
})

describe('disjointSources', () => {
  it('names pairs whose spans never meet, and only those', () => {
    const may2015 = { name: 'access.log', from: Date.UTC(2015, 4, 17), to: Date.UTC(2015, 4, 20) }
    const today = { name: 'app.log', from: Date.UTC(2026, 11, 2, 9), to: Date.UTC(2026, 11, 2, 10) }
    const alsoToday = { name: 'error.log', from: Date.UTC(2026, 11, 2, 9, 30), to: Date.UTC(2026, 11, 2, 11) }
    expect(disjointSources([today, may2015, alsoToday]).map(([a, b]) => `${a.name}|${b.name}`)).toEqual(['access.log|app.log', 'access.log|error.log'])
    expect(disjointSources([today, alsoToday])).toEqual([])
  })
})
