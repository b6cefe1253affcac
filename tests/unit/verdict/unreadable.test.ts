/**
 * Never a false all-clear: when a given log is mostly unread, the verdict that would have been
 * `none` is `unreadable`, and a verdict found in the readable logs keeps standing with lowered
 * confidence and the unread log named. The logs here are synthetic (written by the test), in
 * layouts no definition reads, so the test does not depend on which formats exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { AnalysisV1 } from '../../../shared/contract/analysis'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'
import { unreadReason } from '../../../shared/analysis/readable'

function capture(): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

async function analyzeJson(...files: string[]): Promise<AnalysisV1> {
  const io = capture()
  expect(await runCli(['analyze', '--format', 'json', ...files], io), io.err).toBe(0)
  return AnalysisV1.parse(JSON.parse(io.out))
}

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0)
const clf = (t: number): string => {
  const d = new Date(t)
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]
  return `${String(d.getUTCDate()).padStart(2, '0')}/${mon}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-unreadable-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('an outage in a layout nothing reads', () => {
  it('is unreadable, never none: 40% of requests answered 500 for 40 minutes', async () => {
    // `epoch-seconds;service;route;status`: no method, no request line, nothing a definition knows.
    const lines: string[] = []
    for (let i = 0; i < 2400; i++) lines.push(`${(T0 / 1000 + i).toFixed(0)};checkout;/api/orders/${i % 97};${i % 5 < 2 ? 500 : 200}`)
    await writeFile(path.join(dir, 'opaque.log'), lines.join('\n') + '\n')
    const v1 = await analyzeJson(path.join(dir, 'opaque.log'))
    expect(v1.verdict?.playbook).toBe('unreadable')
    expect(v1.verdict?.reasons[0]).toContain('2,400 of 2,400 lines of opaque.log unread')
    expect(v1.sources[0]).toMatchObject({ format: 'unknown', unparsedShare: 1 })
    expect(v1.sources[0].unreadShapes[0]).toMatchObject({ shape: '0;checkout;/api/orders/0;0', count: 200 })
  })

  it('is unreadable when access-shaped lines were read as something else with no request', async () => {
    // Syslog-wrapped lines carrying a request line and status in a proxy layout no definition reads.
    const lines: string[] = []
    for (let i = 0; i < 300; i++) {
      const t = new Date(T0 + i * 1000).toISOString()
      lines.push(`<134>1 ${t} lb-1 edgeproxy 77 - - peer=10.0.0.${i % 200} "GET /api/cart/${i} HTTP/1.1" -> ${i % 3 === 0 ? 500 : 200} in ${i % 40}ms`)
    }
    await writeFile(path.join(dir, 'edge.log'), lines.join('\n') + '\n')
    const v1 = await analyzeJson(path.join(dir, 'edge.log'))
    expect(v1.verdict?.playbook).toBe('unreadable')
    expect(v1.verdict?.reasons[0]).toMatch(/edge\.log looks like an access log .* but no request was read/)
  })
})

describe('a verdict found in readable logs beside an unread one', () => {
  it('stands, with its confidence lowered and the unread log named', async () => {
    const access: string[] = []
    for (let i = 0; i < 1800; i++) {
      const failing = i >= 1200 && i % 2 === 0
      access.push(`10.0.0.${i % 50} - - [${clf(T0 + i * 1000)}] "GET /api/reports/${i % 13}/export HTTP/1.1" ${failing ? 500 : 200} 512 "-" "curl/8.5.0"`)
    }
    await writeFile(path.join(dir, 'access.log'), access.join('\n') + '\n')
    const alone = await analyzeJson(path.join(dir, 'access.log'))
    expect(alone.verdict?.playbook).not.toBe('none')
    expect(alone.verdict?.playbook).not.toBe('unreadable')
    const opaque = Array.from({ length: 600 }, (_, i) => `${T0 / 1000 + i};worker;${i}`)
    await writeFile(path.join(dir, 'worker.log'), opaque.join('\n') + '\n')
    const both = await analyzeJson(path.join(dir, 'access.log'), path.join(dir, 'worker.log'))
    expect(both.verdict?.playbook).toBe(alone.verdict?.playbook)
    expect(both.verdict?.confidence ?? 1).toBeLessThan(alone.verdict?.confidence ?? 0)
    expect(both.verdict?.reasons.some((r) => r.includes('Confidence lowered') && r.includes('worker.log'))).toBe(true)
  })
})

describe('unreadReason', () => {
  const base = { format: 'nginx-combined', lines: 100, events: 100, unparsed: 0, requests: 100, dated: true, requestShaped: { sampled: 0, shaped: 0 } }
  it('reads a file that reads, and says why one does not', () => {
    expect(unreadReason('a.log', base)).toBeNull()
    expect(unreadReason('a.log', { ...base, lines: 0, events: 0, requests: 0 })).toBeNull()
    expect(unreadReason('a.log', { ...base, unparsed: 51, events: 49 })).toBe('51 of 100 lines of a.log unread as nginx-combined')
    expect(unreadReason('a.log', { ...base, unparsed: 50, events: 50 })).toBeNull()
    expect(unreadReason('a.log', { ...base, dated: false })).toBe('none of the 100 events of a.log has a timestamp')
    expect(unreadReason('a.log', { ...base, format: 'syslog', requests: 0, requestShaped: { sampled: 100, shaped: 60 } })).toContain('looks like an access log')
    expect(unreadReason('a.log', { ...base, format: 'syslog', requests: 0, requestShaped: { sampled: 100, shaped: 40 } })).toBeNull()
  })
})
