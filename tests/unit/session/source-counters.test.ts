/**
 * A followed file's card moves with the file (size, lines, cut lines), and reopening its
 * incident says "grew by …" only for what was written after the session last saw the file, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { SourceInfo } from '../../../shared/contract'
import { bytes } from '../../../shared/format'
import { SessionService } from '../../../electron/session/service'
import { IncidentStore } from '../../../electron/session/store'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-counters-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const accessLine = (i: number, status: number): string =>
  `10.0.3.${(i % 4) + 11} - - [02/Dec/2026:10:${String(20 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /api/cart/${i} HTTP/1.1" ${status} 412 "-" "Mozilla/5.0 (X11; Linux x86_64)"\n`
const lines = (from: number, to: number, status = 200): string => Array.from({ length: to - from }, (_, k) => accessLine(from + k, status)).join('')

async function card(service: SessionService): Promise<SourceInfo> {
  const [info] = (await service.getSnapshot({})).sources
  return info
}

const grewBy = (service: SessionService): string[] => service.problems.filter((p) => p.includes('grew by'))

describe('a followed source card and reopening its incident', () => {
  it('updates size and line counts while followed, and says "grew by" only for unseen growth, once', async () => {
    const home = path.join(dir, 'home')
    const log = path.join(dir, 'access.log')
    await writeFile(log, lines(0, 40))

    const first = new SessionService({ storage: new IncidentStore(home) })
    await first.addSource({ path: log })
    await first.idle()
    await expect.poll(async () => (await card(first)).state, { timeout: 10_000 }).toBe('tailing')
    expect(await card(first)).toMatchObject({ lines: 40, sizeBytes: (await stat(log)).size })

    // Appends while followed: the card follows each, size and lines, and names a line cut at the cap.
    await appendFile(log, lines(40, 55, 500))
    await expect.poll(async () => (await card(first)).lines, { timeout: 10_000 }).toBe(55)
    expect((await card(first)).sizeBytes).toBe((await stat(log)).size)
    await appendFile(log, `10.0.3.11 - - [02/Dec/2026:10:21:00 +0000] "GET /search?q=${'x'.repeat(200_000)} HTTP/1.1" 414 0 "-" "curl/8.5.0"\n${lines(61, 70)}`)
    await expect.poll(async () => (await card(first)).lines, { timeout: 10_000 }).toBe(65)
    const grown = await card(first)
    expect(grown.sizeBytes).toBe((await stat(log)).size)
    expect(grown.longLines).toBe(1)
    await first.close()

    // Everything written was seen while open: nothing grew since.
    const second = new SessionService({ storage: new IncidentStore(home) })
    await second.idle()
    expect(grewBy(second)).toEqual([])
    await expect.poll(async () => (await card(second)).lines, { timeout: 10_000 }).toBe(65)
    await second.close()

    // Written while no session followed it: said once, with the bytes written.
    const before = (await stat(log)).size
    await appendFile(log, lines(70, 73, 500))
    const after = (await stat(log)).size
    const third = new SessionService({ storage: new IncidentStore(home) })
    await third.idle()
    expect(grewBy(third)).toEqual([`${log}: grew by ${bytes(after - before)} since last opened (${bytes(before)} → ${bytes(after)})`])
    await third.close()

    const fourth = new SessionService({ storage: new IncidentStore(home) })
    await fourth.idle()
    expect(grewBy(fourth)).toEqual([])
    await fourth.close()
  }, 60_000)

  it('remembers what was seen when switching to another incident, not only on close', async () => {
    const home = path.join(dir, 'home-switch')
    const log = path.join(dir, 'switch.log')
    await writeFile(log, lines(0, 10))
    const service = new SessionService({ storage: new IncidentStore(home) })
    const firstId = (await service.getIncident({})).id
    await service.addSource({ path: log })
    await service.idle()
    await expect.poll(async () => (await card(service)).state, { timeout: 10_000 }).toBe('tailing')
    await appendFile(log, lines(10, 20, 500))
    await expect.poll(async () => (await card(service)).lines, { timeout: 10_000 }).toBe(20)
    await service.newIncident({})
    await service.openIncident({ id: firstId })
    expect(grewBy(service)).toEqual([])
    await service.close()
  }, 60_000)
})
