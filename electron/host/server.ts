import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_NAMES } from '../../shared/contract'
import type { SessionService } from '../session/service'
import { dispatch } from '../session/dispatch'

export interface HostOptions {
  service: SessionService
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** Where dropped files are stored ($TRIAGE500_HOME/uploads). */
  uploadDir: string
  port?: number
  token?: string
}

export interface RunningHost {
  url: string
  port: number
  token: string
  server: Server
  close(): Promise<void>
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json'
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

const securityHeaders = (port: number): Record<string, string> => ({
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'"
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin'
})

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}

function refuse(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { ok: false, error: { code: status === 401 ? 'unauthorized' : 'forbidden', message } })
}

/** File names from the browser are untrusted: keep a safe base name only. */
export function safeUploadName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? ''
  const cleaned = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '')
  return cleaned.slice(0, 120) || 'dropped.log'
}

/**
 * Browser mode: the same session service behind a loopback HTTP + WebSocket server. The static
 * shell (HTML/JS/CSS, no evidence) loads without the token; every API request and the
 * WebSocket need it, and cross-origin or foreign-Host requests are refused.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url')
  let port = 0
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = (): Set<string> => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])

  const hostOk = (req: IncomingMessage): boolean => allowedHosts().has(req.headers.host ?? '')
  // Browsers send Origin on cross-origin requests and on every WebSocket; same-origin GETs may omit it.
  const originOk = (req: IncomingMessage, required: boolean): boolean => {
    const origin = req.headers.origin
    if (origin === undefined) return !required
    return allowedOrigins().has(origin)
  }

  async function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1))
    const file = path.resolve(opts.rendererDir, rel)
    if (!file.startsWith(path.resolve(opts.rendererDir) + path.sep)) return refuse(res, 403, 'path outside the app')
    try {
      const st = await stat(file)
      if (!st.isFile()) throw new Error('not a file')
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' })
      res.end('not found')
      return
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      ...securityHeaders(port)
    })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).pipe(res)
  }

  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = safeUploadName(url.searchParams.get('name') ?? '')
    const dir = path.join(opts.uploadDir, randomBytes(6).toString('hex'))
    await mkdir(dir, { recursive: true })
    const dest = path.join(dir, name)
    try {
      await pipeline(req, createWriteStream(dest))
    } catch (err) {
      return sendJson(res, 400, { ok: false, error: { code: 'bad-input', message: `upload of ${name} failed: ${String(err)}` } })
    }
    sendJson(res, 200, await dispatch(opts.service, 'addSource', { path: dest }))
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!hostOk(req)) return refuse(res, 403, 'wrong Host header: browser mode answers only 127.0.0.1 and localhost')
    if (!originOk(req, false)) return refuse(res, 403, 'cross-origin request refused')
    if (url.pathname.startsWith('/api/')) {
      const given = (req.headers['x-triage-token'] as string | undefined) ?? url.searchParams.get('token')
      if (!sameToken(given, token)) return refuse(res, 401, 'missing or wrong access token: open the URL that `triage500 serve` printed')
      if (url.pathname === '/api/upload' && req.method === 'POST') return void upload(req, res, url).catch((err) => refuse(res, 500, String(err)))
      if (url.pathname === '/api/ping') return sendJson(res, 200, { ok: true, value: 'pong' })
      return refuse(res, 404, 'no such API')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    void serveStatic(req, res, url.pathname)
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 })
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (url.pathname !== '/api/ws') return reject(404, 'Not Found')
    if (!hostOk(req) || !originOk(req, true)) return reject(403, 'Forbidden')
    if (!sameToken(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws))
  })

  function attachClient(ws: WebSocket): void {
    const unsubscribe = opts.service.subscribe((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }))
    })
    ws.on('message', (data) => {
      let msg: { id?: unknown; channel?: unknown; payload?: unknown }
      try {
        msg = JSON.parse(String(data)) as typeof msg
      } catch {
        return ws.send(JSON.stringify({ id: null, envelope: { ok: false, error: { code: 'bad-request', message: 'message is not JSON' } } }))
      }
      void dispatch(opts.service, msg.channel, msg.payload).then((envelope) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id ?? null, envelope }))
      })
    })
    ws.on('close', unsubscribe)
    ws.send(JSON.stringify({ hello: { events: EVENT_NAMES } }))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
  const url = `http://127.0.0.1:${port}/#token=${token}`
  return {
    url,
    port,
    token,
    server,
    close: async () => {
      for (const c of wss.clients) c.terminate()
      wss.close()
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Keep-alive sockets of an open page would hold close() forever.
      server.closeAllConnections()
      await closed
    }
  }
}

/** The built renderer beside the running bundle (out/main/*.js → out/renderer). */
export function findRendererDir(fromDir: string): string | null {
  for (const candidate of [path.join(fromDir, '..', 'renderer'), path.join(fromDir, '..', '..', 'renderer'), path.join(fromDir, '..', '..', 'out', 'renderer')])
    if (existsSync(path.join(candidate, 'index.html'))) return candidate
  return null
}
