import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { startHost, type HostOptions, type RunningHost } from '../../../electron/host/server'
import { SessionService } from '../../../electron/session/service'
import { IncidentStore } from '../../../electron/session/store'

let dir: string
let uploads: string
let host: RunningHost
let service: SessionService
let logged: string[]

async function start(extra: Partial<HostOptions> = {}, sessionUploads = true): Promise<void> {
  service = new SessionService({ storage: new IncidentStore(path.join(dir, 'home')), ...(sessionUploads ? { uploadDir: uploads } : {}) })
  host = await startHost({ service, rendererDir: path.join(dir, 'renderer'), uploadDir: uploads, log: (l) => logged.push(l), ...extra })
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-host-robust-'))
  uploads = path.join(dir, 'uploads')
  logged = []
  await mkdir(path.join(dir, 'renderer'))
  await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
})
afterEach(async () => {
  await host.close()
  await service.close()
  await rm(dir, { recursive: true, force: true })
})

interface Answer {
  status: number
  body: string
}

/** A raw request: the path is sent byte for byte, as curl would. */
function send(method: string, pathname: string, opts: { headers?: Record<string, string>; body?: Buffer | string; chunked?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, method, path: pathname, headers: { 'x-triage-token': host.token, ...opts.headers } }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    if (opts.chunked) req.setHeader('Transfer-Encoding', 'chunked')
    req.end(opts.body)
  })
}

const upload = (name: string, body: Buffer | string, chunked = false): Promise<Answer> =>
  send('POST', `/api/upload?name=${encodeURIComponent(name)}`, { body, chunked })

/** What is left under the upload folder: `<folder>/<file>` paths. */
async function stored(): Promise<string[]> {
  const folders = await readdir(uploads).catch(() => [])
  const files: string[] = []
  for (const f of folders) for (const name of await readdir(path.join(uploads, f))) files.push(`${f}/${name}`)
  return files
}

describe('browser-mode host under hostile input', () => {
  it('answers a malformed URL path with 400 and keeps serving', async () => {
    await start()
    expect((await send('GET', '/%E0%A4%A')).status).toBe(400)
    expect((await send('GET', '/%')).status).toBe(400)
    const after = await send('GET', '/')
    expect(after.status).toBe(200)
    expect(after.body).toContain('<title>t</title>')
  })

  it('survives a WebSocket message over the size limit and keeps answering', async () => {
    await start()
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)))
    ws.on('error', () => undefined)
    ws.send('x'.repeat((1 << 20) + 10))
    expect(await closed).toBe(1009)
    expect((await send('GET', '/api/ping')).status).toBe(200)
    expect(logged.join('\n')).toMatch(/WebSocket error: .*payload/i)
  })

  it('refuses an upload whose declared size is over the limit, keeping nothing', async () => {
    await start({ maxUploadBytes: 1000 })
    const res = await upload('big.log', 'x\n'.repeat(1000))
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body).error.message).toMatch(/big\.log is larger than the 1 MB upload limit/)
    expect(await stored()).toEqual([])
    // The connection and the server carry on.
    expect((await upload('small.log', 'a\nb\n')).status).toBe(200)
    expect(await stored()).toHaveLength(1)
  })

  it('cuts off a chunked upload once it passes the limit and deletes what was written', async () => {
    await start({ maxUploadBytes: 64 << 10 })
    const res = await upload('stream.log', Buffer.alloc(256 << 10, 'y\n'), true)
    expect(res.status).toBe(413)
    expect(await stored()).toEqual([])
  })

  it('deletes an upload the client abandons half way', async () => {
    await start()
    const req = request({
      host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/upload?name=cut.log',
      headers: { 'x-triage-token': host.token, 'content-length': String(1 << 20) }
    })
    const ended = new Promise<void>((resolve) => req.on('error', () => resolve()))
    req.write('a\n'.repeat(1000))
    // The host has started storing it…
    await expect.poll(async () => (await stored()).length).toBe(1)
    // …when the client goes away.
    req.destroy()
    await ended
    await expect.poll(async () => (await readdir(uploads).catch(() => [])).length).toBe(0)
    expect((await send('GET', '/')).status).toBe(200)
  })

  it('counts kept uploads against the quota', async () => {
    await start({ uploadQuotaBytes: 3000 })
    expect((await upload('one.log', 'a\n'.repeat(1000))).status).toBe(200)
    const refused = await upload('two.log', 'b\n'.repeat(1000))
    expect(refused.status).toBe(507)
    expect(JSON.parse(refused.body).error.message).toMatch(/two\.log does not fit: .*quota/)
    const chunked = await upload('three.log', 'c\n'.repeat(1000), true)
    expect(chunked.status).toBe(507)
    expect((await stored()).map((f) => path.basename(f))).toEqual(['one.log'])
  })

  it('deletes an upload that is not a usable log', async () => {
    await start()
    const res = await upload('blob.bin', Buffer.from([0, 1, 2, 0, 0, 0, 3, 4]))
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'bad-input', message: expect.stringContaining('binary') } })
    expect(await stored()).toEqual([])
  })

  it('answers a failure inside the host with one logged line and an error, and keeps serving', async () => {
    // The upload folder cannot be made: a file stands where it should be.
    await writeFile(uploads, 'not a folder')
    await start()
    const res = await upload('x.log', 'a\n')
    expect(res.status).toBe(500)
    expect(JSON.parse(res.body).error.message).toMatch(/^internal error: .*ENOTDIR/)
    expect(logged).toHaveLength(1)
    expect(logged[0]).toMatch(/^triage500 host: POST \/api\/upload\?name=x\.log failed: .*ENOTDIR[^\n]*$/)
    expect((await send('GET', '/')).status).toBe(200)
  })

  it('deletes the upload folders of an incident when the incident is deleted', async () => {
    await start()
    const first = JSON.parse((await upload('first.log', 'a\nb\n')).body)
    expect(first.ok).toBe(true)
    const old = (await service.getIncident({})).id
    await service.idle()
    await service.newIncident({})
    const second = JSON.parse((await upload('second.log', 'c\n')).body)
    expect(second.ok).toBe(true)
    expect(await stored()).toHaveLength(2)
    await service.deleteIncident({ id: old })
    expect((await stored()).map((f) => path.basename(f))).toEqual(['second.log'])
  })

  it.skipIf(process.platform === 'win32')('refuses FIFOs without a writer, and four of them do not wedge the server', async () => {
    await start()
    const fifos = [1, 2, 3, 4].map((i) => path.join(dir, `pipe${i}`))
    for (const f of fifos) execFileSync('mkfifo', [f])
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const replies: { id: number; envelope: { ok: boolean; error?: { message: string } } }[] = []
    ws.on('message', (d) => {
      const m = JSON.parse(String(d))
      if (typeof m.id === 'number') replies.push(m)
    })
    fifos.forEach((f, i) => ws.send(JSON.stringify({ id: i, channel: 'addSource', payload: { path: f } })))
    await expect.poll(() => replies.length).toBe(4)
    for (const r of replies) expect(r.envelope.error?.message).toMatch(/pipe\d: is a FIFO, not a regular file$/)
    // Static files need the file-system threads a blocked open would hold.
    expect((await send('GET', '/')).status).toBe(200)
    ws.close()
  })
})
