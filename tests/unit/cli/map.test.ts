/**
 * `analyze --map ROLE=FIELD`: the engineer corrects one inferred field and the counts follow.
 * Records are synthetic (written here): a proxy's JSON lines carrying both the status it answered
 * (`status`) and the status its upstream gave (`upstream_status`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

let dir: string
let log: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-map-'))
  log = path.join(dir, 'proxy.jsonl')
  const T0 = Date.UTC(2026, 2, 1, 12)
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({ ts: new Date(T0 + i * 1000).toISOString(), verb: 'GET', uri: `/api/items/${i}`, status: 200, upstream_status: i % 3 === 0 ? 503 : 200, took_ms: 12 }))
  await writeFile(log, lines.join('\n') + '\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function analyze(...extra: string[]): Promise<AnalysisV1> {
  const io = capture()
  expect(await runCli(['analyze', '--format', 'json', ...extra, log], io), io.err).toBe(0)
  return AnalysisV1.parse(JSON.parse(io.out))
}

describe('analyze --map', () => {
  it('shows the inferred field map, and a corrected field changes the counts', async () => {
    const inferred = await analyze()
    expect(inferred.sources[0].fieldMap).toMatchObject({ status: 'status', method: 'verb', path: 'uri' })
    expect(inferred.requests).toBe(60)
    expect(inferred.statusCounts['503']).toBe(0)
    const corrected = await analyze('--map', 'status=upstream_status')
    expect(corrected.sources[0].fieldMap).toMatchObject({ status: 'upstream_status', method: 'verb' })
    expect(corrected.statusCounts['503']).toBe(20)
  })

  it('refuses a role it does not know, in one line naming the option', async () => {
    const io = capture()
    expect(await runCli(['analyze', '--map', 'colour=red', log], io)).toBe(2)
    expect(io.err.trim().split('\n')).toHaveLength(1)
    expect(io.err).toContain('--map takes ROLE=FIELD')
  })
})
