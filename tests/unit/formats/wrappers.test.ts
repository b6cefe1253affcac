import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JoinedLine, PayloadLine } from '../../../electron/collect/formats/wrappers'
import { WRAPPERS, WrappedLineJoiner, detectWrapper, wrapperById } from '../../../electron/collect/formats/wrappers'

const DIR = path.resolve(__dirname, '../../fixtures/logs/wrappers')
/** The haproxy sample dates are from June 2021; with this clock their year is 2021. */
const CTX = { now: Date.UTC(2021, 6, 1) }

interface Expect {
  wrapper: string
  records: number
  payloads: number
}

function fileLines(name: string): string[] {
  const text = readFileSync(path.join(DIR, name), 'utf8')
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function join(name: string, wrapperId: string): JoinedLine[] {
  const wrapper = wrapperById(wrapperId)
  if (wrapper === null) throw new Error(`no wrapper ${wrapperId}`)
  const joiner = new WrappedLineJoiner(wrapper, CTX)
  const out: JoinedLine[] = []
  let offset = 0
  fileLines(name).forEach((line, i) => {
    out.push(...joiner.push(line, i + 1, offset))
    offset += Buffer.byteLength(line) + 1
  })
  out.push(...joiner.flush())
  return out
}

const payloads = (items: JoinedLine[]): PayloadLine[] => items.filter((i): i is PayloadLine => i.kind === 'payload')

const fixtures = readdirSync(DIR).filter((f) => f.endsWith('.log'))

describe('wrapper definitions', () => {
  for (const wrapper of WRAPPERS) {
    it(`${wrapper.id}: every sample unwraps as it says`, () => {
      expect(wrapper.samples.length).toBeGreaterThan(1)
      for (const sample of wrapper.samples) expect(wrapper.unwrap(sample.line, CTX)).toEqual(sample.expect)
    })

    it(`${wrapper.id}: its positive samples are lines of a real fixture`, () => {
      const all = new Set(fixtures.flatMap((f) => fileLines(f)))
      const positives = wrapper.samples.filter((s) => s.expect !== null)
      expect(positives.length).toBeGreaterThan(0)
      for (const sample of positives) expect(all.has(sample.line)).toBe(true)
    })
  }

  it('ids are unique', () => {
    expect(new Set(WRAPPERS.map((w) => w.id)).size).toBe(WRAPPERS.length)
  })
})

describe('wrapper fixtures', () => {
  it('every fixture has an expect file', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10)
    for (const f of fixtures) expect(() => readFileSync(path.join(DIR, f.replace(/\.log$/, '.expect.json')))).not.toThrow()
  })

  for (const file of fixtures) {
    const expected = JSON.parse(readFileSync(path.join(DIR, file.replace(/\.log$/, '.expect.json')), 'utf8')) as Expect

    it(`${file}: detected as ${expected.wrapper}, ${expected.records} records → ${expected.payloads} payloads, every line counted once`, () => {
      const lines = fileLines(file)
      expect(lines.length).toBe(expected.records)
      expect(detectWrapper(lines, CTX)?.wrapper.id).toBe(expected.wrapper)
      const joined = join(file, expected.wrapper)
      expect(joined.filter((j) => j.kind === 'raw')).toEqual([])
      expect(payloads(joined).length).toBe(expected.payloads)
      expect(joined.reduce((n, j) => n + j.lines, 0)).toBe(lines.length)
      // In file order, each item starts where the previous one ended.
      let next = 1
      for (const j of joined) {
        expect(j.line).toBe(next)
        next += j.lines
      }
    })
  }
})

describe('joining partial records', () => {
  it('docker json-file: records without a trailing newline join up to the one that has it', () => {
    const p = payloads(join('docker-split.log', 'docker'))
    expect(p.map((x) => [x.payload, x.line, x.lines])).toEqual([
      ['2020-03-24 Single line', 1, 3],
      ['2020-03-24 Another single line', 4, 3]
    ])
    expect(p[1].offset).toBe(Buffer.byteLength('{"log":"2020-03-24 Single "}\n{"log":"li"}\n{"log":"ne\\n"}\n'))
  })

  it('docker json-file: a split redis line reads like the whole one, with the first record’s time', () => {
    const p = payloads(join('docker-redis.log', 'docker'))
    expect(p[0].payload).toBe(p[1].payload)
    expect(p[1]).toMatchObject({ line: 2, lines: 2, time: Date.UTC(2017, 10, 9, 13, 27, 36, 277) })
  })

  it('CRI: a P record joins the following F record, keeping the first time', () => {
    const p = payloads(join('cri-calico.log', 'cri'))
    expect(p[4]).toMatchObject({
      payload: '2017-10-12 13:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache error',
      line: 5,
      lines: 2,
      time: Date.UTC(2017, 9, 12, 13, 32, 21, 232)
    })
  })

  it('CRI: partial records still open at the end of the file are flushed as one payload', () => {
    const p = payloads(join('cri-kubelet.log', 'cri'))
    expect(p[2]).toMatchObject({ payload: 'cri stdout partial test logcri stdout partial test log', line: 3, lines: 2 })
  })

  it('a line the wrapper does not read closes an open partial and is passed on raw', () => {
    const joiner = new WrappedLineJoiner(WRAPPERS.find((w) => w.id === 'cri') ?? WRAPPERS[0])
    const lines = fileLines('cri-calico.log')
    expect(joiner.push(lines[4], 5, 100)).toEqual([])
    const out = joiner.push('not a cri line', 6, 200)
    expect(out).toMatchObject([
      { kind: 'payload', line: 5, lines: 1, payload: '2017-10-12 13:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache' },
      { kind: 'raw', line: 6, lines: 1, text: 'not a cri line' }
    ])
    expect(joiner.flush()).toEqual([])
  })
})

describe('header fields', () => {
  it('syslog: host is the instance, the tag the logger; haproxy payload intact', () => {
    const p = payloads(join('syslog-haproxy.log', 'syslog'))
    expect(new Set(p.map((x) => x.instance))).toEqual(new Set(['localhost', 'server1', 'node2', 'node3']))
    expect(p.every((x) => x.logger === 'haproxy' && x.time !== null)).toBe(true)
    expect(p[0].payload.startsWith('1.2.3.4:38862 [30/Jul/2018:09:03:52.726] ')).toBe(true)
  })

  it('journald: time from __REALTIME_TIMESTAMP, level from PRIORITY, instance from _HOSTNAME', () => {
    const p = payloads(join('journald-json.log', 'journald'))
    expect(p[0]).toMatchObject({ payload: 'Count: 0000000001', time: 1724080855230, level: 'info', instance: 'millennium-falcon', logger: 'TestRestartsJournalctlOnError' })
    expect(p[1]).toMatchObject({ level: 'error', logger: 'pulseaudio' })
  })

  it('kubectl --prefix: pod/container is the instance', () => {
    const p = payloads(join('kubectl-prefix.log', 'kubectl'))
    expect(new Set(p.map((x) => x.instance)).size).toBe(6)
    expect(p[3]).toMatchObject({ instance: 'test-pod-1/test-container-1', payload: 'test log content from source 1', time: null })
  })

  it('no wrapper claims a file of plain lines', () => {
    expect(detectWrapper(['2017-09-12 22:32:21.212 [INFO][88] table.go 710: Invalidating dataplane cache', 'plain text'])).toBeNull()
    expect(detectWrapper(['', ' '])).toBeNull()
  })
})

describe('folded into the existing formats', () => {
  it('json lines behind a compose prefix are found by the compose wrapper’s rule', async () => {
    const { jsonStart } = await import('../../../electron/collect/formats/json')
    const [line] = fileLines('compose.log')
    expect(jsonStart(line)).toBe(-1)
    // The compose line's prefix in front of a JSON payload (a constructed payload, not a sample).
    const prefixed = line.replace(/hello$/, '{"msg":"hello"}')
    expect(jsonStart(prefixed)).toBe(prefixed.indexOf('{'))
  })

  it('plain syslog reads the wrapper header: RFC 5424 PRI level and app name', async () => {
    const { SyslogParser } = await import('../../../electron/collect/formats/syslog')
    const [first] = fileLines('syslog5424.log')
    expect(new SyslogParser(() => CTX.now).parse(first, 1, 0)).toMatchObject({ kind: 'app', level: 'info', logger: 'mgd', message: '', time: Date.UTC(2018, 4, 14, 8, 23, 1, 520) })
  })
})
