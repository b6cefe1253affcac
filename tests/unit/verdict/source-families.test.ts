/**
 * The verdict judges a source by its format's family, not by a list of format ids: a log read by a
 * format added later (here Spring Boot) is the app's log like any other. Synthetic lines in
 * real layouts: an nginx access log whose 502s pile up while the app's Spring Boot log is silent.
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

const T0 = Date.UTC(2026, 2, 1, 12, 0, 0)
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const clf = (t: number): string => {
  const d = new Date(t)
  return `${String(d.getUTCDate()).padStart(2, '0')}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${d.toISOString().slice(11, 19)} +0000`
}

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-families-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('source families in the verdict', () => {
  it('counts a Spring Boot log as the app log when the proxy answers 502', async () => {
    const access: string[] = []
    for (let i = 0; i < 1800; i++) {
      const down = i >= 1200 && i % 2 === 0
      access.push(`10.0.0.${i % 50} - - [${clf(T0 + i * 1000)}] "GET /api/orders/${i % 13} HTTP/1.1" ${down ? 502 : 200} 512 "-" "curl/8.5.0"`)
    }
    const app: string[] = []
    for (let i = 0; i < 1800; i += 30) {
      const at = new Date(T0 + i * 1000).toISOString().replace('T', ' ').slice(0, 23)
      app.push(`${at}  INFO 1543 --- [nio-8080-exec-${1 + (i % 9)}] com.example.shop.OrderController        : served order ${i % 13}`)
    }
    await writeFile(path.join(dir, 'access.log'), `${access.join('\n')}\n`)
    await writeFile(path.join(dir, 'app.log'), `${app.join('\n')}\n`)
    const io = capture()
    expect(await runCli(['analyze', '--format', 'json', path.join(dir, 'access.log'), path.join(dir, 'app.log')], io), io.err).toBe(0)
    const v1 = AnalysisV1.parse(JSON.parse(io.out))
    expect(v1.sources.map((s) => s.format)).toEqual(['nginx-combined', 'spring-boot'])
    expect(v1.verdict?.playbook).toBe('upstream')
    expect(v1.verdict?.reasons.join('\n')).toContain('The app logged no errors')
    expect(v1.verdict?.reasons.join('\n')).not.toContain('No application log is among the sources')
  })
})
