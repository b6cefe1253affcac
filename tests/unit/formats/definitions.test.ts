/**
 * One test for every format definition: its sample lines yield the events it says, every line is
 * counted once (event or unparsed), and detection picks the definition for its own samples.
 * Adding a format adds its cases here by itself.
 */
import { describe, expect, it } from 'vitest'
import type { EvidenceEvent } from '../../../shared/model/evidence'
import { detectFormat, FORMAT_DEFINITIONS } from '../../../electron/collect/formats'
import type { SampleEvent } from '../../../electron/collect/formats/definition'
import { foldWith } from './fold-file'

/** The sample's expectation in the event's own terms (ISO times → epoch ms, hasStack → stack). */
function expected(sample: SampleEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { ...sample }
  const time = sample.time
  delete out.hasStack
  if (time !== undefined) out.time = time === null ? null : Date.parse(time)
  return out
}

function stackOf(event: EvidenceEvent): string | null {
  return event.kind === 'app' ? event.stack : null
}

describe.each(FORMAT_DEFINITIONS.map((d) => [d.id, d] as const))('format %s', (_id, definition) => {
  it.each(definition.samples.map((s, i) => [i, s] as const))('sample %i yields its events, every line counted once', (_i, sample) => {
    const items = foldWith(sample.lines, definition.create())
    expect(items.reduce((n, item) => n + item.lines, 0)).toBe(sample.lines.length)
    const events = items.filter((item): item is EvidenceEvent => item.kind !== 'unparsed' && item.kind !== 'directive')
    expect(items.filter((item) => item.kind === 'unparsed').length, 'unparsed lines').toBe(sample.unparsed ?? 0)
    expect(items.filter((item) => item.kind === 'directive').length, 'directive lines').toBe(sample.directives ?? 0)
    expect(events.length, 'events').toBe(sample.events.length)
    sample.events.forEach((want, i) => {
      expect(events[i], `event ${i}`).toMatchObject(expected(want))
      if (want.hasStack !== undefined) expect(stackOf(events[i]) !== null, `event ${i} has a stack`).toBe(want.hasStack)
    })
  })

  it('is what detection picks for its samples', () => {
    for (const sample of definition.samples) expect(detectFormat(sample.lines).format, sample.source).toBe(sample.detectedAs ?? definition.id)
  })
})
