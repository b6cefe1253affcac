/**
 * The live worker's protocol, over a real MessageChannel (the worker's own transport) in this
 * thread: calls, mirrored source cards, change notifications, user errors and the analysis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { MessageChannel } from 'node:worker_threads'
import { RemoteSourceHost, serveSourceHost } from '../../../electron/session/source-host'
import { UserError } from '../../../electron/session/errors'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-source-host-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const line = (i: number, status = 200): string =>
  `10.0.0.${i % 9} - - [10/Oct/2026:13:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i % 12} HTTP/1.1" ${status} 612 "-" "Mozilla/5.0 (X11; Linux x86_64)"`

describe('the source host across a message port', () => {
  it('adds, follows and analyses a file, mirroring its card and saying when it changed', async () => {
    const file = path.join(dir, 'access.log')
    await writeFile(file, Array.from({ length: 300 }, (_, i) => line(i)).join('\n') + '\n')
    const { port1, port2 } = new MessageChannel()
    serveSourceHost(port1, true, 0)
    let changes = 0
    const host = new RemoteSourceHost(port2, { changed: () => changes++, progress: () => undefined })
    try {
      const { info } = await host.add({ path: file })
      expect(host.has(info.id)).toBe(true)
      await host.idle()
      expect(host.infos()[0]).toMatchObject({ id: info.id, lines: 300, format: 'nginx-combined' })
      const seenBefore = changes
      await appendFile(file, Array.from({ length: 40 }, (_, i) => line(300 + i, i % 2 === 0 ? 503 : 200)).join('\n') + '\n')
      await expect.poll(() => host.infos()[0]?.lines, { timeout: 10_000 }).toBe(340)
      expect(changes).toBeGreaterThan(seenBefore)
      const analysis = await host.analyze([], [], undefined)
      expect(analysis?.v1.requests).toBe(340)
      expect(analysis?.v1.statusCounts['503']).toBe(20)
      const page = await host.readLines(info.id, 2, 1)
      expect(page.lines[0]).toContain('/api/items/1 ')
      await expect(host.pause('no-such-id', true)).rejects.toBeInstanceOf(UserError)
      await expect(host.add({ path: path.join(dir, 'missing.log') })).rejects.toBeInstanceOf(UserError)
    } finally {
      await host.close()
    }
    // Closed: later calls fail at once instead of waiting for an answer that cannot come.
    await expect(host.idle()).rejects.toThrow(/closed/)
  })

  it('answers an analysis with no evidence as null', async () => {
    const { port1, port2 } = new MessageChannel()
    serveSourceHost(port1, true, 0)
    const host = new RemoteSourceHost(port2, { changed: () => undefined, progress: () => undefined })
    try {
      expect(await host.analyze([], [], undefined)).toBeNull()
    } finally {
      await host.close()
    }
  })
})
