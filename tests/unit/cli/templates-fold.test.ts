import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runCli } from '../../../electron/cli/main'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-tpl-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('templates command', () => {
  it('gives every line of a folded stack trace its event’s template, one assignment per line', async () => {
    const lines: string[] = []
    for (let i = 0; i < 30; i++) lines.push(`2026-10-10 13:55:${String(i).padStart(2, '0')}.001 INFO [main] com.shop.Api - served order ${1000 + i} in ${i + 3} ms`)
    lines.push('2026-10-10 13:56:00.002 ERROR [http-1] com.shop.Checkout - payment failed for order 77')
    lines.push('java.lang.IllegalStateException: card declined')
    lines.push('\tat com.shop.Checkout.pay(Checkout.java:42)')
    lines.push('\tat com.shop.Api.handle(Api.java:7)')
    lines.push('2026-10-10 13:56:01.002 ERROR [http-2] com.shop.Checkout - payment failed for order 78')
    const file = path.join(dir, 'app.log')
    await writeFile(file, lines.join('\r\n') + '\r\n')
    let out = ''
    const code = await runCli(['templates', '--format', 'json', file], { cwd: dir, stdout: (t) => void (out += t), stderr: () => undefined })
    expect(code).toBe(0)
    const doc = JSON.parse(out) as { templates: { id: string; template: string; count: number }[]; assignments: string[] }
    expect(doc.assignments).toHaveLength(35)
    const trace = doc.assignments.slice(30, 34)
    expect(new Set(trace).size).toBe(1)
    expect(doc.assignments[34]).toBe(doc.assignments[30])
    expect(new Set(doc.assignments.slice(0, 30)).size).toBe(1)
    expect(doc.templates.reduce((n, t) => n + t.count, 0)).toBe(35)
  })
})
