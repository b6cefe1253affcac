import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { LineSplitter, splitAll } from '../../../electron/collect/lines'
import type { LineSplitterOptions, LineStats, SplitLine } from '../../../electron/collect/lines'
import { hasSharedData, repoRoot, sharedData, sharedDataSkipReason } from '../../support/shared-data'

if (!hasSharedData) console.warn(sharedDataSkipReason)

const fixture = (name: string): Buffer => readFileSync(path.join(repoRoot, 'tests', 'fixtures', 'collect', name))

interface Split {
  lines: SplitLine[]
  stats: LineStats
  pendingAfterPush: number
  committedAfterPush: number
}

/** Pushes the pieces one by one, then ends. */
function splitPieces(pieces: Buffer[], opts?: LineSplitterOptions): Split {
  const splitter = new LineSplitter(opts)
  const lines: SplitLine[] = []
  const collect = (text: string, lineNo: number, offset: number): void => {
    lines.push({ text, lineNo, offset })
  }
  for (const piece of pieces) splitter.push(piece, collect)
  const pendingAfterPush = splitter.pendingBytes
  const committedAfterPush = splitter.committedOffset
  splitter.end(collect)
  return { lines, stats: splitter.stats, pendingAfterPush, committedAfterPush }
}

/** Cuts data at the given ascending positions. */
function cut(data: Buffer, at: number[]): Buffer[] {
  const pieces: Buffer[] = []
  let from = 0
  for (const i of at) {
    pieces.push(data.subarray(from, i))
    from = i
  }
  pieces.push(data.subarray(from))
  return pieces
}

/**
 * An independent, deliberately naive splitter (byte by byte, TextDecoder) to compare against.
 * Capping keeps the longest prefix of at most `cap` bytes that does not end inside a character.
 */
function referenceSplit(data: Buffer, cap: number): { lines: SplitLine[]; stats: LineStats } {
  const lines: SplitLine[] = []
  const stats: LineStats = { lines: 0, longLines: 0, invalidUtf8Lines: 0 }
  const lenient = new TextDecoder('utf-8')
  const strict = new TextDecoder('utf-8', { fatal: true })
  const finish = (start: number, end: number): void => {
    const bytes = data.subarray(start, end)
    let keep = bytes.length
    if (keep > cap) {
      stats.longLines++
      keep = cap
      for (let back = 1; back <= 3 && keep - back >= 0; back++) {
        const b = bytes[keep - back]
        if ((b & 0xc0) === 0x80) continue
        const need = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 1
        if (need > back) keep -= back
        break
      }
    }
    try {
      strict.decode(bytes)
    } catch {
      stats.invalidUtf8Lines++
    }
    stats.lines++
    lines.push({ text: lenient.decode(bytes.subarray(0, keep)), lineNo: lines.length + 1, offset: start })
  }
  let start = 0
  let i = 0
  while (i < data.length) {
    const b = data[i]
    if (b === 0x0a || b === 0x0d) {
      finish(start, i)
      i += b === 0x0d && data[i + 1] === 0x0a ? 2 : 1
      start = i
    } else {
      i++
    }
  }
  if (start < data.length) finish(start, data.length)
  return { lines, stats }
}

/** A small seeded PRNG, so a failing case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const MIXED_EXPECTED: SplitLine[] = [
  { text: 'GET /a 200', lineNo: 1, offset: 0 },
  { text: 'POST /b 500', lineNo: 2, offset: 11 },
  { text: '', lineNo: 3, offset: 24 },
  { text: 'progress 50%', lineNo: 4, offset: 26 },
  { text: 'progress 100%', lineNo: 5, offset: 39 },
  { text: 'café € 😀', lineNo: 6, offset: 53 },
  { text: 'bad \uFFFD byte', lineNo: 7, offset: 68 },
  { text: '', lineNo: 8, offset: 79 },
  { text: 'surrogate \uFFFD\uFFFD\uFFFD end', lineNo: 9, offset: 80 },
  { text: 'truncated \uFFFD', lineNo: 10, offset: 98 },
  { text: 'last line without terminator', lineNo: 11, offset: 111 }
]

describe('LineSplitter', () => {
  it('splits LF, CRLF and bare CR, keeps empty lines, decodes UTF-8 and counts invalid lines', () => {
    const data = fixture('mixed-terminators.log')
    const result = splitPieces([data])
    expect(result.lines).toEqual(MIXED_EXPECTED)
    expect(result.stats).toEqual({ lines: 11, longLines: 0, invalidUtf8Lines: 3 })
    expect(result.pendingAfterPush).toBe(data.length - 111)
    expect(result.committedAfterPush).toBe(111)
  })

  it('gives identical output for a split at every position, and for every pair of cuts', () => {
    const data = fixture('mixed-terminators.log')
    const whole = splitPieces([data])
    for (let i = 0; i <= data.length; i++) {
      const split = splitPieces(cut(data, [i]))
      expect(split.lines, `split at ${i}`).toEqual(whole.lines)
      expect(split.stats, `split at ${i}`).toEqual(whole.stats)
    }
    for (let i = 1; i < data.length; i++) {
      for (let j = i; j < data.length; j++) {
        const split = splitPieces(cut(data, [i, j]))
        if (JSON.stringify(split.lines) !== JSON.stringify(whole.lines)) {
          expect(split.lines, `cuts at ${i} and ${j}`).toEqual(whole.lines)
        }
        expect(split.stats, `cuts at ${i} and ${j}`).toEqual(whole.stats)
      }
    }
  })

  it('gives identical output when fed one byte at a time', () => {
    const data = fixture('mixed-terminators.log')
    const bytes = Array.from({ length: data.length - 1 }, (_, i) => i + 1)
    expect(splitPieces(cut(data, bytes))).toEqual(splitPieces([data]))
  })

  it('treats a CR ending one chunk and an LF starting the next as one terminator', () => {
    const result = splitPieces([Buffer.from('one\r'), Buffer.from('\ntwo\r'), Buffer.from('\n'), Buffer.from('\r'), Buffer.from('three')])
    expect(result.lines).toEqual([
      { text: 'one', lineNo: 1, offset: 0 },
      { text: 'two', lineNo: 2, offset: 5 },
      { text: '', lineNo: 3, offset: 10 },
      { text: 'three', lineNo: 4, offset: 11 }
    ])
  })

  it('decodes a multi-byte character split across chunks without counting it invalid', () => {
    const data = Buffer.from('α€😀\n')
    for (let i = 1; i < data.length - 1; i++) {
      const result = splitPieces(cut(data, [i]))
      expect(result.lines, `split at ${i}`).toEqual([{ text: 'α€😀', lineNo: 1, offset: 0 }])
      expect(result.stats.invalidUtf8Lines).toBe(0)
    }
  })

  it('caps long lines without cutting a character, and keeps numbering and offsets exact', () => {
    const data = Buffer.from('short\n' + 'x'.repeat(30) + '\n€€€€€\nend\n')
    for (let i = 0; i <= data.length; i++) {
      const result = splitPieces(cut(data, [i]), { maxLineBytes: 10 })
      expect(result.lines, `split at ${i}`).toEqual([
        { text: 'short', lineNo: 1, offset: 0 },
        { text: 'x'.repeat(10), lineNo: 2, offset: 6 },
        // 10 bytes would end inside the fourth € (3 bytes each): cut before it
        { text: '€€€', lineNo: 3, offset: 37 },
        { text: 'end', lineNo: 4, offset: 53 }
      ])
      expect(result.stats).toEqual({ lines: 4, longLines: 2, invalidUtf8Lines: 0 })
    }
  })

  it('counts an invalid sequence beyond the cap of a long line', () => {
    const line = Buffer.concat([Buffer.from('a'.repeat(20)), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('tail\n')])
    for (let i = 0; i <= line.length; i++) {
      const result = splitPieces(cut(line, [i]), { maxLineBytes: 8 })
      expect(result.lines, `split at ${i}`).toEqual([{ text: 'a'.repeat(8), lineNo: 1, offset: 0 }])
      expect(result.stats, `split at ${i}`).toEqual({ lines: 1, longLines: 1, invalidUtf8Lines: 1 })
    }
  })

  it('matches a naive byte-by-byte splitter on random inputs cut at random places', () => {
    const pieces: number[][] = [
      [0x61],
      [0x62, 0x63],
      [0x20],
      [0xc3, 0xa9],
      [0xe2, 0x82, 0xac],
      [0xf0, 0x9f, 0x98, 0x80],
      [0x0a],
      [0x0d],
      [0x0d, 0x0a],
      [0xff],
      [0xc3],
      [0xe2, 0x82],
      [0xed, 0xa0, 0x80],
      [0x80]
    ]
    const random = prng(20240501)
    for (let round = 0; round < 400; round++) {
      const bytes: number[] = []
      const parts = 1 + Math.floor(random() * 60)
      for (let p = 0; p < parts; p++) bytes.push(...pieces[Math.floor(random() * pieces.length)])
      const data = Buffer.from(bytes)
      const cap = [1, 2, 3, 4, 5, 7, 16, 64 * 1024][Math.floor(random() * 8)]
      const cuts = Array.from({ length: Math.floor(random() * 6) }, () => Math.floor(random() * (data.length + 1))).sort((a, b) => a - b)
      const got = splitPieces(cut(data, cuts), { maxLineBytes: cap })
      const want = referenceSplit(data, cap)
      const label = `round ${round}: ${data.toString('hex')} cap ${cap} cuts ${cuts.join(',')}`
      expect(got.lines, label).toEqual(want.lines)
      expect(got.stats, label).toEqual(want.stats)
    }
  })

  it('emits nothing for empty input, and a final unterminated line only at end()', () => {
    expect(splitPieces([]).lines).toEqual([])
    expect(splitPieces([Buffer.alloc(0)]).lines).toEqual([])
    const splitter = new LineSplitter()
    const seen: string[] = []
    splitter.push(Buffer.from('a\nb'), (text) => seen.push(text))
    expect(seen).toEqual(['a'])
    expect(splitter.pendingBytes).toBe(1)
    expect(splitter.committedOffset).toBe(2)
    splitter.end((text) => seen.push(text))
    expect(seen).toEqual(['a', 'b'])
    expect(splitter.pendingBytes).toBe(0)
  })

  it('continues numbering from startLine and startOffset', () => {
    const result = splitPieces([Buffer.from('x\ny\n')], { startLine: 41, startOffset: 1000 })
    expect(result.lines).toEqual([
      { text: 'x', lineNo: 41, offset: 1000 },
      { text: 'y', lineNo: 42, offset: 1002 }
    ])
  })

  it('skip() numbers lines without emitting them and keeps an unfinished line for push()', () => {
    const splitter = new LineSplitter()
    splitter.skip(Buffer.from('one\r\ntwo\rthree\npar'))
    expect(splitter.nextLine).toBe(4)
    expect(splitter.stats.lines).toBe(0)
    const seen: SplitLine[] = []
    splitter.push(Buffer.from('tial\nnew\n'), (text, lineNo, offset) => seen.push({ text, lineNo, offset }))
    expect(seen).toEqual([
      { text: 'partial', lineNo: 4, offset: 15 },
      { text: 'new', lineNo: 5, offset: 23 }
    ])
  })

  it('rejects nonsensical options with a clear message', () => {
    expect(() => new LineSplitter({ maxLineBytes: 0 })).toThrow(/maxLineBytes must be a positive integer/)
    expect(() => new LineSplitter({ startLine: 0 })).toThrow(/startLine/)
    expect(() => new LineSplitter({ startOffset: -1 })).toThrow(/startOffset/)
  })

  it('holds a bounded amount of memory for a 256 MB line', () => {
    const chunk = Buffer.alloc(1 << 20, 'x')
    const splitter = new LineSplitter({ maxLineBytes: 64 * 1024 })
    const seen: SplitLine[] = []
    const collect = (text: string, lineNo: number, offset: number): void => {
      seen.push({ text, lineNo, offset })
    }
    const before = process.memoryUsage().arrayBuffers
    let peak = before
    for (let i = 0; i < 256; i++) {
      splitter.push(chunk, collect)
      peak = Math.max(peak, process.memoryUsage().arrayBuffers)
    }
    expect(splitter.pendingBytes).toBe(256 << 20)
    splitter.push(Buffer.from('\nnext\n'), collect)
    expect(peak - before).toBeLessThan(8 << 20)
    expect(seen.map((l) => [l.text.length, l.lineNo, l.offset])).toEqual([
      [64 * 1024, 1, 0],
      [4, 2, (256 << 20) + 1]
    ])
    expect(splitter.stats.longLines).toBe(1)
  })

  describe.skipIf(!hasSharedData)('on real logs', () => {
    it('reads the CRLF loghub Apache sample into its 2,000 lines whatever the chunk size', () => {
      const data = readFileSync(sharedData('loghub', 'Apache', 'Apache_2k.log'))
      const whole = splitAll(data)
      expect(whole.lines).toHaveLength(2000)
      expect(whole.lines.every((l) => !l.text.includes('\r') && !l.text.includes('\n'))).toBe(true)
      expect(whole.lines[1].text.startsWith('[Sun Dec 04 04:47:44 2005] [error]')).toBe(true)
      for (const size of [1, 7, 4096]) {
        const pieces: Buffer[] = []
        for (let i = 0; i < data.length; i += size) pieces.push(data.subarray(i, i + size))
        expect(splitPieces(pieces).lines, `chunks of ${size}`).toEqual(whole.lines)
      }
      // every offset points at its line's first byte
      for (const line of whole.lines) {
        expect(data.toString('utf8', line.offset, line.offset + Buffer.byteLength(line.text))).toBe(line.text)
      }
    })

    it('counts the invalid UTF-8 line of the lnav sample and keeps the others', () => {
      const data = readFileSync(sharedData('lnav', 'logfile_invalid_utf8.0'))
      const { lines, stats } = splitAll(data)
      expect(lines.map((l) => l.text.includes('\uFFFD'))).toEqual([false, false, false, true, false, false])
      expect(stats).toEqual({ lines: 6, longLines: 0, invalidUtf8Lines: 1 })
    })
  })
})
