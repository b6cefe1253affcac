/**
 * Real application and server-error logs (tests/fixtures/logs/<format>/, sources in
 * tests/fixtures/SOURCES.md) read end to end through readLogFile: detection, parsing, folding and
 * counting. Each `*.expect.json` was counted by hand or by a script independent of our parsers:
 * - events: events read (folded lines belong to their event);
 * - errors: events of level error or fatal (not errorEventsSeen, which also counts a WARN with a trace);
 * - traces: events carrying a folded stack trace;
 * - requests / statusCounts: requests counted, where the log records them (null otherwise).
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { FoldedItem } from '../../../shared/model/evidence'
import { readLogFile } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'

interface Expectation {
  format: string
  events: number
  errors: number
  traces: number
  requests: number | null
  statusCounts: Record<string, number> | null
}

const ROOT = path.resolve(__dirname, '../../fixtures/logs')

const cases = readdirSync(ROOT, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => readdirSync(path.join(ROOT, d.name))
    .filter((f) => f.endsWith('.expect.json'))
    .map((f) => {
      const expectation = JSON.parse(readFileSync(path.join(ROOT, d.name, f), 'utf8')) as Expectation
      return [`${d.name}/${f.replace('.expect.json', '.log')}`, expectation] as const
    }))

async function read(file: string): Promise<{ format: string; events: number; errors: number; traces: number; unparsed: number; requests: number; statusCounts: Record<string, number> }> {
  const items: FoldedItem[] = []
  const r = await readLogFile(await inspectSourceFile(path.join(ROOT, file)), { onItem: (item) => items.push(item), workers: 0 })
  const statusCounts: Record<string, number> = {}
  for (const [status, n] of Object.entries(r.requests.statusCounts)) if (n > 0) statusCounts[status] = n
  return {
    format: r.format,
    events: r.events,
    errors: items.filter((i) => (i.kind === 'app' || i.kind === 'proxy-error') && (i.level === 'error' || i.level === 'fatal')).length,
    traces: items.filter((i) => i.kind === 'app' && i.stack !== null).length,
    unparsed: r.unparsed,
    requests: r.requests.requests,
    statusCounts
  }
}

describe('real application and server-error logs', () => {
  it('has fixtures to read', () => {
    expect(cases.length).toBeGreaterThanOrEqual(11)
  })

  it.each(cases)('%s: format, events, errors, traces and requests as counted by hand', async (file, want) => {
    const got = await read(file)
    expect({ format: got.format, events: got.events, errors: got.errors, traces: got.traces, unparsed: got.unparsed })
      .toEqual({ format: want.format, events: want.events, errors: want.errors, traces: want.traces, unparsed: 0 })
    if (want.requests !== null) expect(got.requests, 'requests').toBe(want.requests)
    if (want.statusCounts !== null) expect(got.statusCounts, 'statusCounts').toEqual(want.statusCounts)
  })
})
