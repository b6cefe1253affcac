import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { FORMAT_DEFINITIONS } from '../../electron/collect/formats'
const LOG_FORMATS = ['unknown', ...FORMAT_DEFINITIONS.map((d) => d.id), 'cri+nginx-combined', 'docker+json-app', 'syslog+haproxy-http']
import type { FoldedItem } from '../../shared/model/evidence'
import { foldLines } from '../unit/formats/fold-file'
import { fuzzParams } from './fuzz'
import { blankLine, frameLine, junkLine, realLine } from './corpus'

/** A file's worth of lines: real-looking lines, stack frames, blanks and junk, mixed at random. */
const fileLines = fc.array(
  fc.oneof({ arbitrary: realLine, weight: 4 }, { arbitrary: frameLine, weight: 3 }, { arbitrary: blankLine, weight: 1 }, { arbitrary: junkLine, weight: 1 }),
  { maxLength: 40 }
)

/** Line ranges of the items, for a readable failure. */
const ranges = (items: FoldedItem[]): string[] => items.map((item) => `${item.kind}@${item.line}+${item.lines}`)

describe.each(LOG_FORMATS)('EventFolder (%s)', (format) => {
  it('counts every line exactly once, in file order', () => {
    fc.assert(
      fc.property(fileLines, (lines) => {
        const items = foldLines(lines, format)
        expect(items.reduce((n, item) => n + item.lines, 0), `items ${ranges(items).join(' ')}`).toBe(lines.length)
        // Items tile the file: each starts where the one before ended, so no line is counted twice.
        let next = 1
        for (const item of items) {
          expect(item.line, `items ${ranges(items).join(' ')}`).toBe(next)
          expect(item.lines).toBeGreaterThanOrEqual(1)
          next += item.lines
        }
      }),
      fuzzParams(300)
    )
  })
})
