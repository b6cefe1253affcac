import { describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { runDemo } from '../../../electron/cli/commands/demo'
import { UsageError, type CliIO } from '../../../electron/cli/io'
import { activeHandles, expectNoNewHandles } from './support'

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

describe('triage500 demo', () => {
  it('runs the demo through a session and prints the analysis JSON', async () => {
    const before = activeHandles()
    const io = capture()
    expect(await runDemo(['--seconds', '8', '--format', 'json'], io)).toBe(0)
    // Server, pollers, tails and timers are all gone: the process can exit.
    await expectNoNewHandles(before, (kind, after, was) => expect(after, kind).toBeLessThanOrEqual(was))
    const doc = AnalysisV1.strict().parse(JSON.parse(io.out))
    expect(doc.requests).toBeGreaterThan(0)
    expect(doc.statusCounts['500']).toBeGreaterThan(0)
    expect(doc.sources.map((s) => [path.basename(s.path), s.format, s.unparsed])).toEqual([
      ['access.log', 'nginx-combined', 0],
      ['shop-api.log', 'json-app', 0]
    ])
    // One progress line per 5 s, and the temp folder is gone afterwards.
    expect(io.err).toMatch(/demo 5s\/8s: \d+ requests/)
    expect(existsSync(path.dirname(doc.sources[0].path))).toBe(false)
  }, 30_000)

  it('prints Markdown by default', async () => {
    const io = capture()
    expect(await runDemo(['--seconds', '5'], io)).toBe(0)
    // The Markdown incident report, as the app exports it.
    expect(io.out).toMatch(/^# /)
    for (const section of ['## Summary', '## Timeline', '## Verdict and reasons', '## Deploys', '## Sources']) expect(io.out).toContain(section)
    expect(io.out).toContain('nginx-combined')
  }, 30_000)

  it('refuses bad options as usage errors', async () => {
    await expect(runDemo(['--seconds', '2'], capture())).rejects.toThrow(UsageError)
    await expect(runDemo(['--seconds', '10', '--format', 'html'], capture())).rejects.toThrow('--format must be one of markdown, json')
    await expect(runDemo(['extra'], capture())).rejects.toThrow('unexpected argument "extra"')
  })
})
