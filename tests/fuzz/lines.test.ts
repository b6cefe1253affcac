import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { isUtf8 } from 'node:buffer'
import { LineSplitter, splitAll } from '../../electron/collect/lines'
import type { LineStats, SplitLine } from '../../electron/collect/lines'
import { fuzzParams } from './fuzz'

const LF = 0x0a
const CR = 0x0d

/** Bytes rich in terminators, multi-byte UTF-8 pieces and invalid bytes. */
const logBytes = fc
  .array(
    fc.oneof(
      { arbitrary: fc.constantFrom([LF], [CR], [CR, LF], [0x61], [0x20]), weight: 4 },
      { arbitrary: fc.constantFrom([0xc3, 0xa9], [0xe2, 0x82, 0xac], [0xf0, 0x9f, 0x98, 0x80], [0xc3], [0xe2, 0x82], [0xf0, 0x9f], [0x80], [0xff], [0xed, 0xa0, 0x80]), weight: 2 },
      { arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => [b]), weight: 2 },
      { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => [...Buffer.from(s)]), weight: 1 }
    ),
    { maxLength: 120 }
  )
  .map((pieces) => Buffer.from(pieces.flat()))

/** Cut points splitting `data` into chunks as reads would deliver them. */
const chunked = logBytes.chain((data) =>
  fc.uniqueArray(fc.integer({ min: 0, max: data.length }), { maxLength: 8 }).map((cuts) => {
    const at = [...cuts].sort((a, b) => a - b)
    const pieces: Buffer[] = []
    let from = 0
    for (const i of at) {
      pieces.push(data.subarray(from, i))
      from = i
    }
    pieces.push(data.subarray(from))
    return { data, pieces }
  })
)

const cap = fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constant(64 * 1024))

function splitPieces(pieces: Buffer[], maxLineBytes: number): { lines: SplitLine[]; stats: LineStats } {
  const splitter = new LineSplitter({ maxLineBytes })
  const lines: SplitLine[] = []
  const collect = (text: string, lineNo: number, offset: number): void => {
    lines.push({ text, lineNo, offset })
  }
  for (const piece of pieces) splitter.push(piece, collect)
  splitter.end(collect)
  return { lines, stats: splitter.stats }
}

/** The longest prefix of at most `cap` bytes that does not stop inside a character's sequence. */
function capBytes(bytes: Buffer, cap: number): Buffer {
  if (bytes.length <= cap) return bytes
  let keep = cap
  for (let back = 1; back <= 3 && keep - back >= 0; back++) {
    const lead = bytes[keep - back]
    if ((lead & 0xc0) === 0x80) continue
    const need = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xc2 && lead <= 0xdf ? 2 : 1
    if (need > back) keep -= back
    break
  }
  return bytes.subarray(0, keep)
}

describe('LineSplitter on any bytes in any chunking', () => {
  it('loses nothing: each line and its terminator re-join to the input; text, numbers, offsets and stats agree', () => {
    fc.assert(
      fc.property(chunked, cap, ({ data, pieces }, maxLineBytes) => {
        const { lines, stats } = splitPieces(pieces, maxLineBytes)
        const rejoined: Buffer[] = []
        let longLines = 0
        let invalid = 0
        lines.forEach((line, i) => {
          expect(line.lineNo).toBe(i + 1)
          const end = i + 1 < lines.length ? lines[i + 1].offset : data.length
          const span = data.subarray(line.offset, end)
          // The line's bytes hold no terminator; what follows them is exactly one (or nothing at the end).
          let body = span.length
          while (body > 0 && (span[body - 1] === LF || span[body - 1] === CR)) body--
          const terminator = span.subarray(body).toString('latin1')
          expect(['\n', '\r\n', '\r', ...(i === lines.length - 1 ? [''] : [])]).toContain(terminator)
          const bytes = span.subarray(0, body)
          if (bytes.length > maxLineBytes) longLines++
          if (!isUtf8(bytes)) invalid++
          expect(line.text).toBe(capBytes(bytes, maxLineBytes).toString('utf8'))
          rejoined.push(span)
        })
        expect(Buffer.concat(rejoined).equals(data)).toBe(true)
        if (lines.length > 0) expect(lines[0].offset).toBe(0)
        expect(stats).toEqual({ lines: lines.length, longLines, invalidUtf8Lines: invalid })
      }),
      fuzzParams(1500)
    )
  })

  it('gives the same lines whatever the chunking, and skip() numbers lines as push() does', () => {
    fc.assert(
      fc.property(chunked, cap, fc.nat(), ({ data, pieces }, maxLineBytes, skipCount) => {
        const whole = splitAll(data, { maxLineBytes })
        expect(splitPieces(pieces, maxLineBytes)).toEqual(whole)
        // Skip the first pieces (numbering only), push the rest: the rest is numbered and placed
        // as a whole push numbers and places it, so a follower starting at the end is exact.
        const k = skipCount % (pieces.length + 1)
        const splitter = new LineSplitter({ maxLineBytes })
        for (const piece of pieces.slice(0, k)) splitter.skip(piece)
        const rest: SplitLine[] = []
        const collect = (text: string, lineNo: number, offset: number): void => {
          rest.push({ text, lineNo, offset })
        }
        for (const piece of pieces.slice(k)) splitter.push(piece, collect)
        splitter.end(collect)
        const skipped = pieces.slice(0, k).reduce((n, p) => n + p.length, 0)
        // Lines whose terminator starts inside the skipped bytes were complete there: numbered, not emitted.
        const bodyEnd = (l: SplitLine, i: number): number => {
          let end = i + 1 < whole.lines.length ? whole.lines[i + 1].offset : data.length
          while (end > l.offset && (data[end - 1] === LF || data[end - 1] === CR)) end--
          return end
        }
        const hasTerminator = (l: SplitLine, i: number): boolean => bodyEnd(l, i) < (i + 1 < whole.lines.length ? whole.lines[i + 1].offset : data.length)
        expect(rest).toEqual(whole.lines.filter((l, i) => !hasTerminator(l, i) || bodyEnd(l, i) >= skipped))
      }),
      fuzzParams(1000)
    )
  })
})
