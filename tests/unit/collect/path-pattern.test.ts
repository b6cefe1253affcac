import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expandPathPattern } from '../../../electron/collect/path-pattern'
import { SessionService } from '../../../electron/session/service'

let dir: string
const access = (i: number) => `10.0.0.9 - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i} HTTP/1.1" 200 99 "-" "curl/8.5.0"`
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-glob-'))
  await mkdir(path.join(dir, 'nginx'))
  await mkdir(path.join(dir, 'nginx', 'old.log')) // a folder named like a log: never a source
  for (const name of ['access.log', 'error.log', 'access.log.1.gz.txt', 'notes.md']) await writeFile(path.join(dir, 'nginx', name), `${access(1)}\n${access(2)}\n`)
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a path with ~ or wildcards', () => {
  it('expands ~ and wildcards in the file name to the regular files that match, sorted', async () => {
    expect(await expandPathPattern(`${dir}/nginx/*.log`)).toEqual([path.join(dir, 'nginx', 'access.log'), path.join(dir, 'nginx', 'error.log')])
    expect(await expandPathPattern(`${dir}/nginx/[ae]*.lo?`)).toEqual([path.join(dir, 'nginx', 'access.log'), path.join(dir, 'nginx', 'error.log')])
    expect(await expandPathPattern('~/nginx/access.log', dir)).toEqual([path.join(dir, 'nginx', 'access.log')])
    expect(await expandPathPattern('~/nginx/acc*', dir)).toEqual([path.join(dir, 'nginx', 'access.log'), path.join(dir, 'nginx', 'access.log.1.gz.txt')])
  })

  it('says in one line when nothing matches, or the wildcard is in a folder name', async () => {
    await expect(expandPathPattern(`${dir}/nginx/*.json`)).rejects.toThrow(`${dir}/nginx/*.json: no file matches *.json in ${path.join(dir, 'nginx')}`)
    await expect(expandPathPattern(`${dir}/*/access.log`)).rejects.toThrow('wildcards work in the file name only')
  })

  it('adds every matching log to the session, skipping those already added', async () => {
    const service = new SessionService({ follow: false })
    await service.addSource({ path: path.join(dir, 'nginx', 'access.log') })
    const first = await service.addSource({ path: `${dir}/nginx/*.log` })
    expect(first.path).toBe(path.join(dir, 'nginx', 'error.log'))
    expect((await service.getSnapshot({})).sources.map((s) => s.name).sort()).toEqual(['access.log', 'error.log'])
    await expect(service.addSource({ path: `${dir}/nginx/*.log` })).rejects.toThrow('every matching file is already added (2)')
    await expect(service.addSource({ path: `${dir}/nginx/*.csv` })).rejects.toThrow('no file matches *.csv')
    await service.close()
  })
})
