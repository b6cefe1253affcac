import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { appendFile, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'
import { epochToMillis, parseClfTime, parseIsoTime, parseTimeValue, SANE_TIME_YEARS } from '../../../electron/collect/formats/time'
import { parseTimeValue as parsePollTime } from '../../../electron/collect/poll/times'
import { inspectSourceFile, resolveAppPath } from '../../../electron/collect/source-file'
import { SessionService } from '../../../electron/session/service'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-robust-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: dir }
  const code = await runCli(args, io)
  return { code, stdout, stderr }
}

const HOSTILE_TIMES = [1e300, -1e300, Number.MAX_VALUE, 8.64e15 + 1, '+275760-09-13T00:00:00Z', '9999-12-31T23:59:59Z', '2201-01-01T00:00:00Z', 'NaN', 'Infinity', '1e300', 'Sat, 01 Jan 50000 00:00:00 GMT']

describe('times outside the sane range', () => {
  it('are null from every parser, at both ends of SANE_TIME_YEARS', () => {
    expect(SANE_TIME_YEARS).toEqual({ first: 1970, last: 2200 })
    for (const t of HOSTILE_TIMES) {
      expect(parseTimeValue(t), String(t)).toBeNull()
      expect(parsePollTime(t), String(t)).toBeNull()
    }
    expect(epochToMillis(Number.POSITIVE_INFINITY)).toBeNull()
    expect(parseIsoTime('2200-12-31T23:59:59Z')).toBe(Date.UTC(2200, 11, 31, 23, 59, 59))
    expect(parseIsoTime('1969-12-31T23:59:59Z')).toBeNull()
    expect(parseClfTime('01/Jan/2201:00:00:00 +0000')).toBeNull()
    expect(parseClfTime('01/Jan/2026:00:00:00 +0000')).toBe(Date.UTC(2026, 0, 1))
  })

  it('leave the line read (without a time) and `analyze` exiting 0', async () => {
    const file = path.join(dir, 'time.log')
    await writeFile(file, HOSTILE_TIMES.map((t) => JSON.stringify({ level: 50, time: t, msg: 'x' })).join('\n') + '\n')
    const r = await cli(['analyze', '--format', 'json', file])
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).sources[0]).toMatchObject({ lines: HOSTILE_TIMES.length })
    const md = await cli(['analyze', file])
    expect(md.code).toBe(0)
  })

  it('appended to a followed log, do not stop the session', async () => {
    const file = path.join(dir, 'followed.log')
    await writeFile(file, `${JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1), msg: 'start' })}\n`)
    const service = new SessionService()
    try {
      const { id } = await service.addSource({ path: file })
      await service.idle()
      await expect.poll(async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)?.state).toBe('tailing')
      await appendFile(file, '{"level":50,"time":1e300,"msg":"x"}\n{"level":50,"time":-1e300,"msg":"y"}\n{"level":50,"time":"+275760-09-13T00:00:00Z","msg":"z"}\n')
      await expect.poll(async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)?.lines).toBe(4)
      const s = (await service.getSnapshot({})).sources.find((x) => x.id === id)
      expect(s).toMatchObject({ error: null, lastEventAt: '2026-01-01T00:00:00.000Z' })
      expect(await service.getAnalysis({})).not.toBeNull()
      expect((await service.exportReport({ format: 'markdown', redact: true })).content.length).toBeGreaterThan(0)
    } finally {
      await service.close()
    }
  })
})

describe('files that are not regular files, or not whole', () => {
  it.skipIf(process.platform === 'win32')('refuses a FIFO in one line, in `analyze` (exit 2) and in the app', async () => {
    const fifo = path.join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    await expect(inspectSourceFile(fifo)).rejects.toThrow(`${fifo}: is a FIFO, not a regular file`)
    const r = await cli(['analyze', fifo])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`triage500 analyze: ${fifo}: is a FIFO, not a regular file\n`)
    const service = new SessionService({ follow: false })
    await expect(service.addSource({ path: fifo })).rejects.toThrow(/is a FIFO, not a regular file/)
    await service.close()
  })

  it.skipIf(process.platform === 'win32')('refuses a character device', async () => {
    await expect(inspectSourceFile('/dev/null')).rejects.toThrow('/dev/null: is a character device, not a regular file')
  })

  it('answers a truncated .gz with exit 2 and one line, and with a source error in the app', async () => {
    const gz = gzipSync(Buffer.from('127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 500 1 "-" "x"\n'.repeat(5000)))
    const file = path.join(dir, 'cut.log.gz')
    await writeFile(file, gz.subarray(0, gz.length >> 1))
    const r = await cli(['analyze', '--format', 'json', file])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`triage500 analyze: ${file}: the gzip data ends early (the file is truncated)\n`)
    const service = new SessionService({ follow: false })
    const { id } = await service.addSource({ path: file })
    await service.idle()
    const s = (await service.getSnapshot({})).sources.find((x) => x.id === id)
    expect(s?.state).toBe('error')
    expect(s?.error).toMatch(/cut\.log\.gz: .*the gzip data ends early \(the file is truncated\)$/)
    await service.close()
  })
})

describe('paths given to the app', () => {
  it('refuses relative paths and expands a leading ~', async () => {
    expect(resolveAppPath('~/logs/a.log', '/home/eng')).toBe(path.resolve('/home/eng/logs/a.log'))
    expect(resolveAppPath('  ~ ', '/home/eng')).toBe(path.resolve('/home/eng'))
    expect(() => resolveAppPath('logs/a.log')).toThrow('logs/a.log: use an absolute path (~ is allowed)')
    expect(() => resolveAppPath('~bob/a.log')).toThrow('use an absolute path (~ is allowed)')
    const service = new SessionService({ follow: false })
    await expect(service.addSource({ path: 'a.log' })).rejects.toThrow('a.log: use an absolute path (~ is allowed)')
    await service.close()
  })
})

describe('a followed file that goes away', () => {
  it('says it is gone, and stops saying so once it is back', async () => {
    const file = path.join(dir, 'comes-back.log')
    await writeFile(file, 'one\n')
    const service = new SessionService()
    try {
      const { id } = await service.addSource({ path: file })
      const source = async () => (await service.getSnapshot({})).sources.find((s) => s.id === id)
      await expect.poll(async () => (await source())?.state).toBe('tailing')
      await unlink(file)
      await expect.poll(async () => (await source())?.note ?? '', { timeout: 5000 }).toMatch(/deleted|gone/)
      await writeFile(file, 'two\n')
      await expect.poll(async () => (await source())?.note, { timeout: 5000 }).toBeNull()
      await expect.poll(async () => (await source())?.lines, { timeout: 5000 }).toBe(2)
    } finally {
      await service.close()
    }
  })
})
