import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import { EVENT_NAMES } from '../../shared/contract'
import type { SessionService } from '../session/service'
import { dispatch } from '../session/dispatch'

/** The largest single upload browser mode takes by default (serve --max-upload-mb changes it). */
export const MAX_UPLOAD_BYTES = 1 << 30
/** What all uploads kept under the upload folder may add up to by default (serve --upload-quota-mb). */
export const UPLOAD_QUOTA_BYTES = 8 * (1 << 30)

export interface HostOptions {
  service: SessionService
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** Where dropped files are stored ($TRIAGE500_HOME/uploads). */
  uploadDir: string
  port?: number
  token?: string
  /** Largest single upload, in bytes (default MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number
  /** Total bytes all kept uploads may use (default UPLOAD_QUOTA_BYTES). */
  uploadQuotaBytes?: number
  /** Where the host says what went wrong inside it, one line each (default stderr). */
  log?: (line: string) => void
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

const ERROR_CODES: Record<number, string> = { 400: 'bad-request', 401: 'unauthorized', 404: 'not-found', 413: 'too-large', 500: 'failed', 507: 'quota' }

function refuse(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { ok: false, error: { code: ERROR_CODES[status] ?? 'forbidden', message } })
}

/** One line from any thrown value: the message, never a stack. */
export function errorLine(err: unknown): string {
  const text = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err)
  return text.split('\n')[0].slice(0, 500)
}

const MIB = 1 << 20
const mib = (bytes: number): string => `${Math.ceil(bytes / MIB)} MB`

/** An upload the host will not keep: answered with `status`, its folder deleted. */
class UploadRefused extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** Bytes of every file under `dir` (uploads are one folder deep), skipping the folders in `skip`. */
async function folderBytes(dir: string, skip: ReadonlySet<string>): Promise<number> {
  let total = 0
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const e of entries) {
    const full = path.join(dir, e.name)
    if (skip.has(full)) continue
    if (e.isDirectory()) total += await folderBytes(full, skip)
    else if (e.isFile()) total += (await stat(full).catch(() => null))?.size ?? 0
  }
  return total
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
  const log = opts.log ?? ((line: string) => void process.stderr.write(`${line}\n`))
  const maxUpload = opts.maxUploadBytes ?? MAX_UPLOAD_BYTES
  const quota = opts.uploadQuotaBytes ?? UPLOAD_QUOTA_BYTES
  /** Upload folders being written now, and the bytes each holds so far. */
  const inFlight = new Map<string, number>()
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
    let rel: string
    try {
      rel = pathname === '/' ? 'index.html' : decodeURIComponent(pathname.slice(1))
    } catch {
      return refuse(res, 400, 'malformed path (bad percent-encoding)')
    }
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

  /**
   * Streams the body to `<uploadDir>/<random>/<name>` and adds it as a source. Refused (413/507)
   * before a byte is stored when the declared size is over the limit or the quota, and cut off
   * as soon as the bytes received go over either. A refused, failed or unusable upload leaves
   * nothing on disk.
   */
  async function upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = safeUploadName(url.searchParams.get('name') ?? '')
    const declared = Number(req.headers['content-length'] ?? Number.NaN)
    const kept = await folderBytes(opts.uploadDir, new Set(inFlight.keys()))
    const used = (): number => kept + [...inFlight.values()].reduce((a, b) => a + b, 0)
    const tooMuch = (bytes: number, extra: number): UploadRefused | null => {
      if (bytes > maxUpload) return new UploadRefused(413, `${name} is larger than the ${mib(maxUpload)} upload limit (serve --max-upload-mb raises it)`)
      if (used() + extra > quota)
        return new UploadRefused(507, `${name} does not fit: uploads kept by browser mode would pass the ${mib(quota)} quota (delete old incidents, or serve --upload-quota-mb)`)
      return null
    }
    const early = Number.isFinite(declared) ? tooMuch(declared, declared) : null
    if (early) return refuseUpload(req, res, early)
    const dir = path.join(opts.uploadDir, randomBytes(6).toString('hex'))
    inFlight.set(dir, 0)
    let envelope
    try {
      await mkdir(dir, { recursive: true })
      const dest = path.join(dir, name)
      await receive(req, dest, (bytes) => {
        inFlight.set(dir, bytes)
        return tooMuch(bytes, 0)
      })
      inFlight.delete(dir)
      envelope = await dispatch(opts.service, 'addSource', { path: dest })
    } catch (err) {
      inFlight.delete(dir)
      await rm(dir, { recursive: true, force: true })
      if (err instanceof UploadRefused) return refuseUpload(req, res, err)
      return sendJson(res, 400, { ok: false, error: { code: 'bad-input', message: `upload of ${name} failed: ${errorLine(err)}` } })
    }
    // Not a usable log (binary, empty name…): the user is told why and nothing is kept.
    if (!envelope.ok) await rm(dir, { recursive: true, force: true })
    sendJson(res, 200, envelope)
  }

  /**
   * Answers at once; the rest of the body is read and thrown away, so the browser, still
   * sending, gets to read the answer instead of a reset connection.
   */
  function refuseUpload(req: IncomingMessage, res: ServerResponse, err: UploadRefused): void {
    req.resume()
    refuse(res, err.status, err.message)
  }

  /** Writes the request body to `dest`; `check` sees the running byte count and may refuse it. */
  function receive(req: IncomingMessage, dest: string, check: (bytes: number) => UploadRefused | null): Promise<void> {
    return new Promise((resolve, reject) => {
      const out = createWriteStream(dest)
      let bytes = 0
      let settled = false
      const fail = (err: unknown): void => {
        if (settled) return
        settled = true
        req.unpipe(out)
        req.resume()
        out.destroy()
        // The file is removed after its handle is closed.
        out.once('close', () => reject(err))
      }
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length
        const refused = check(bytes)
        if (refused) fail(refused)
      })
      req.on('error', fail)
      req.on('close', () => {
        if (!req.complete) fail(new Error('the upload was interrupted before its end'))
      })
      out.on('error', fail)
      out.on('finish', () => {
        if (settled) return
        settled = true
        resolve()
      })
      req.pipe(out)
    })
  }

  /** The last resort for one request: whatever went wrong is one log line and a 500, never a crash. */
  function failed(what: string, res: ServerResponse, err: unknown): void {
    log(`triage500 host: ${what} failed: ${errorLine(err)}`)
    if (!res.headersSent) refuse(res, 500, `internal error: ${errorLine(err)}`)
    else res.destroy()
  }

  function handle(req: IncomingMessage, res: ServerResponse): Promise<void> | void {
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      return refuse(res, 400, 'malformed request URL')
    }
    if (!hostOk(req)) return refuse(res, 403, 'wrong Host header: browser mode answers only 127.0.0.1 and localhost')
    if (!originOk(req, false)) return refuse(res, 403, 'cross-origin request refused')
    if (url.pathname.startsWith('/api/')) {
      const given = (req.headers['x-triage-token'] as string | undefined) ?? url.searchParams.get('token')
      if (!sameToken(given, token)) return refuse(res, 401, 'missing or wrong access token: open the URL that `triage500 serve` printed')
      if (url.pathname === '/api/upload' && req.method === 'POST') return upload(req, res, url)
      if (url.pathname === '/api/ping') return sendJson(res, 200, { ok: true, value: 'pong' })
      return refuse(res, 404, 'no such API')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed')
    return serveStatic(req, res, url.pathname)
  }

  const server = createServer((req, res) => {
    const what = `${req.method ?? '?'} ${(req.url ?? '').slice(0, 200)}`
    try {
      const done = handle(req, res)
      if (done) done.catch((err: unknown) => failed(what, res, err))
    } catch (err) {
      failed(what, res, err)
    }
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 })
  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    let url: URL
    try {
      url = new URL(req.url ?? '/', 'http://127.0.0.1')
    } catch {
      return reject(400, 'Bad Request')
    }
    if (url.pathname !== '/api/ws') return reject(404, 'Not Found')
    if (!hostOk(req) || !originOk(req, true)) return reject(403, 'Forbidden')
    if (!sameToken(url.searchParams.get('token'), token)) return reject(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => attachClient(ws))
  })

  function attachClient(ws: WebSocket): void {
    // Pushes run on the service's timers: a failure here is logged, and the timer lives on.
    const unsubscribe = opts.service.subscribe((event, payload) => {
      try {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event, payload }))
      } catch (err) {
        log(`triage500 host: pushing ${event} failed: ${errorLine(err)}`)
      }
    })
    const reply = (id: unknown, envelope: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: id ?? null, envelope }))
    }
    const onMessage = async (data: unknown): Promise<void> => {
      let msg: { id?: unknown; channel?: unknown; payload?: unknown }
      try {
        msg = JSON.parse(String(data)) as typeof msg
      } catch {
        return reply(null, { ok: false, error: { code: 'bad-request', message: 'message is not JSON' } })
      }
      if (typeof msg !== 'object' || msg === null) return reply(null, { ok: false, error: { code: 'bad-request', message: 'message is not an object' } })
      try {
        reply(msg.id, await dispatch(opts.service, msg.channel, msg.payload))
      } catch (err) {
        log(`triage500 host: WebSocket ${String(msg.channel).slice(0, 80)} failed: ${errorLine(err)}`)
        reply(msg.id, { ok: false, error: { code: 'failed', message: `internal error: ${errorLine(err)}` } })
      }
    }
    ws.on('message', (data) => {
      onMessage(data).catch((err: unknown) => log(`triage500 host: WebSocket message failed: ${errorLine(err)}`))
    })
    // A bad frame or an oversized message is the client's problem: without a listener it would end the process.
    ws.on('error', (err) => log(`triage500 host: WebSocket error: ${errorLine(err)}`))
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
