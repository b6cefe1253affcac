import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import WebSocket from 'ws'
import { startHost, safeUploadName, type RunningHost } from '../../../electron/host/server'
import { SessionService } from '../../../electron/session/service'

let dir: string
let host: RunningHost
let service: SessionService

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-host-'))
  await mkdir(path.join(dir, 'renderer'))
  await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
  await writeFile(path.join(dir, 'secret.txt'), 'outside')
  service = new SessionService()
  host = await startHost({ service, rendererDir: path.join(dir, 'renderer'), uploadDir: path.join(dir, 'uploads') })
})
afterAll(async () => {
  await host.close()
  await rm(dir, { recursive: true, force: true })
})

function get(pathname: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: pathname, headers }, (res) => {
      let body = ''
      res.on('data', (d) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }))
    })
    req.on('error', reject)
    req.end()
  })
}

function connect(): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/ws?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })
}

describe('browser-mode host', () => {
  it('listens on loopback and prints a URL carrying the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`)
    expect(host.token.length).toBeGreaterThanOrEqual(32)
    const addr = host.server.address()
    expect(typeof addr === 'object' && addr?.address).toBe('127.0.0.1')
  })

  it('serves the app shell with a CSP, but nothing outside the renderer folder', async () => {
    const res = await get('/')
    expect(res.status).toBe(200)
    expect(String(res.headers['content-security-policy'])).toContain("default-src 'self'")
    expect((await get('/..%2fsecret.txt')).status).toBe(403)
  })

  it('refuses API calls without the token, with a foreign Host, or cross-origin', async () => {
    expect((await get('/api/ping')).status).toBe(401)
    expect((await get('/api/ping', { 'x-triage-token': host.token })).status).toBe(200)
    expect((await get('/api/ping', { 'x-triage-token': host.token, host: 'evil.example' })).status).toBe(403)
    expect((await get('/api/ping', { 'x-triage-token': host.token, origin: 'http://evil.example' })).status).toBe(403)
  })

  it('answers invoke messages over the WebSocket and pushes events', async () => {
    const ws = await connect()
    const messages: { id?: number; envelope?: { ok: boolean; value?: { state?: string }; error?: { message: string } }; event?: string }[] = []
    ws.on('message', (d) => messages.push(JSON.parse(String(d))))
    const file = path.join(dir, 'ws.log')
    await writeFile(file, 'a\nb\n')
    ws.send(JSON.stringify({ id: 1, channel: 'addSource', payload: { path: file } }))
    ws.send(JSON.stringify({ id: 2, channel: 'addSource', payload: { path: 5 } }))
    await expect.poll(() => messages.filter((m) => m.event === 'session.changed').length).toBeGreaterThanOrEqual(1)
    await expect.poll(() => messages.filter((m) => m.id !== undefined).length).toBe(2)
    expect(messages.find((m) => m.id === 1)?.envelope?.ok).toBe(true)
    expect(messages.find((m) => m.id === 2)?.envelope?.error?.message).toContain('path')
    ws.close()
  })

  it('stores an uploaded file under the upload folder with a safe name and adds it', async () => {
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, method: 'POST', path: '/api/upload?name=' + encodeURIComponent('../../etc/passwd'), headers: { 'x-triage-token': host.token } },
        (r) => {
          let body = ''
          r.on('data', (d) => (body += d))
          r.on('end', () => resolve({ status: r.statusCode ?? 0, body }))
        }
      )
      req.on('error', reject)
      req.end('x\ny\nz\n')
    })
    expect(res.status).toBe(200)
    const env = JSON.parse(res.body)
    expect(env.ok).toBe(true)
    expect(env.value.path.startsWith(path.join(dir, 'uploads'))).toBe(true)
    expect(env.value.name).toBe('passwd')
    expect(safeUploadName('a b/c:d.log')).toBe('c_d.log')
  })
})
