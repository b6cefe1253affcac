import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'
import { repoRoot } from '../../support/shared-data'

const run = promisify(execFile)
const cli = path.join(repoRoot, 'out', 'main', 'cli.js')
const built = existsSync(cli)
if (!built) console.log('[cli.test] out/main/cli.js missing: the built-CLI cases are skipped (npm test builds first)')

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-cli-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('triage500 CLI', () => {
  it('prints help with every command of the contract', async () => {
    const io = capture()
    expect(await runCli(['--help'], io)).toBe(0)
    for (const c of ['analyze', 'templates', 'probe', 'demo', 'serve']) expect(io.out).toContain(`  ${c}`)
  })

  it('refuses unknown commands and options in one line with exit 2', async () => {
    let io = capture()
    expect(await runCli(['frobnicate'], io)).toBe(2)
    expect(io.err.trim().split('\n')).toHaveLength(1)
    io = capture()
    expect(await runCli(['analyze', '--colour', 'x.log'], io)).toBe(2)
    expect(io.err).toBe('triage500 analyze: unknown option --colour\n')
  })

  it('analyze names the unreadable file in one line, exit 2, no stack trace', async () => {
    const io = capture()
    expect(await runCli(['analyze', path.join(dir, 'nope.log')], io)).toBe(2)
    expect(io.err).toBe(`triage500 analyze: ${path.join(dir, 'nope.log')}: no such file\n`)
    const io2 = capture()
    expect(await runCli(['analyze', '--format', 'yaml', 'x.log'], io2)).toBe(2)
    expect(io2.err).toContain('--format must be one of table, markdown, json, html')
  })

  it('analyze --format json follows the v1 schema with every field present', async () => {
    const log = path.join(dir, 'a.log')
    await writeFile(log, '127.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /x HTTP/1.1" 500 12 "-" "curl"\nnot a log line\n')
    const io = capture()
    expect(await runCli(['analyze', '--format', 'json', log], io)).toBe(0)
    const doc = AnalysisV1.strict().parse(JSON.parse(io.out))
    expect(doc.sources).toEqual([{ path: log, format: 'nginx-combined', lines: 2, events: 1, eventLines: 1, directiveLines: 0, unparsed: 1, unparsedShare: 0.5, fieldMap: null, unread: null, unreadShapes: [{ shape: 'not a log line', count: 1 }] }])
    expect(doc.statusCounts['500']).toBe(1)
    expect(doc.window).toEqual({ from: '2026-10-10T13:55:36.000Z', to: '2026-10-10T13:55:36.000Z' })
  })

  it.skipIf(!built)('the built CLI reads a large file on worker threads and agrees with one thread', async () => {
    const log = path.join(dir, 'big.log')
    const lines: string[] = []
    for (let i = 0; i < 400_000; i++)
      lines.push(`10.1.${i % 200}.${i % 250} - - [10/Oct/2026:13:${String(Math.floor(i / 12000) % 60).padStart(2, '0')}:00 +0000] "GET /api/items/${i} HTTP/1.1" ${i % 997 === 0 ? 503 : 200} 512 "-" "k6/0.4"`)
    await writeFile(log, lines.join('\n') + '\n')
    const multi = JSON.parse((await run(process.execPath, [cli, 'analyze', '--format', 'json', log], { maxBuffer: 1 << 26 })).stdout)
    const single = JSON.parse((await run(process.execPath, [cli, 'analyze', '--workers', '1', '--format', 'json', log], { maxBuffer: 1 << 26 })).stdout)
    expect(multi.requests).toBe(400_000)
    expect(multi.statusCounts['503']).toBe(Math.floor(399_999 / 997) + 1)
    expect(multi).toEqual(single)
  })

  it.skipIf(!built)('the built CLI exits 2 with one line for a directory', async () => {
    const err = await run(process.execPath, [cli, 'analyze', dir]).catch((e: { code: number; stderr: string }) => e)
    expect(err).toMatchObject({ code: 2, stderr: `triage500 analyze: ${dir}: is a directory, not a file\n` })
  })
})

describe('analyze --log-format', () => {
  it('reads every LOG as the given format instead of detecting it', async () => {
    const log = path.join(dir, 'forced.log')
    await writeFile(log, '127.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /x HTTP/1.1" 500 12 "-" "curl"\n')
    const io = capture()
    expect(await runCli(['analyze', '--format', 'json', '--log-format', 'json-app', log], io)).toBe(0)
    expect(JSON.parse(io.out).sources[0]).toMatchObject({ format: 'json-app', unparsed: 1, events: 0 })
    const bad = capture()
    expect(await runCli(['analyze', '--log-format', 'yaml', log], bad)).toBe(2)
    expect(bad.err).toContain('--log-format must be one of')
  })
})
