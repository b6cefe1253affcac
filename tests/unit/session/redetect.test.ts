/**
 * A followed file that starts empty (a freshly rotated access log) or unreadable is detected again
 * once readable lines arrive, instead of staying `unknown` with every appended line unparsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-redetect-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const line = (i: number, status = 200): string =>
  `10.0.0.${i % 9} - - [10/Oct/2026:13:56:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i} HTTP/1.1" ${status} 10 "-" "k6"`

describe('a followed file detected again', () => {
  it('starts empty, then reads appended access lines as requests', async () => {
    const file = path.join(dir, 'rotated.log')
    await writeFile(file, '')
    const service = new SessionService()
    try {
      const id = (await service.addSource({ path: file })).id
      await service.idle()
      const info = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
      expect((await info())?.format).toBe('unknown')
      await appendFile(file, `${Array.from({ length: 5 }, (_, i) => line(i, i === 4 ? 500 : 200)).join('\n')}\n`)
      await expect.poll(async () => (await info())?.format, { timeout: 5000 }).toBe('nginx-combined')
      await expect.poll(async () => (await info())?.events, { timeout: 5000 }).toBe(5)
      expect((await info())?.unparsed).toBe(0)
      const analysis = await service.getAnalysis({})
      expect(analysis?.v1.requests).toBe(5)
      expect(analysis?.v1.statusCounts['500']).toBe(1)
    } finally {
      await service.close()
    }
  })

  it('starts with lines no format reads: those stay unparsed (counted), and later readable lines are read', async () => {
    const file = path.join(dir, 'noise-first.log')
    await writeFile(file, 'starting…\n~~~ banner ~~~\n')
    const service = new SessionService()
    try {
      const id = (await service.addSource({ path: file })).id
      await service.idle()
      const info = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
      expect(await info()).toMatchObject({ format: 'unknown', lines: 2, unparsed: 2 })
      await appendFile(file, `${Array.from({ length: 3 }, (_, i) => line(i)).join('\n')}\n`)
      await expect.poll(async () => (await info())?.format, { timeout: 5000 }).toBe('nginx-combined')
      await expect.poll(async () => (await info())?.lines, { timeout: 5000 }).toBe(5)
      expect(await info()).toMatchObject({ events: 3, unparsed: 2 })
    } finally {
      await service.close()
    }
  })
})
