/**
 * The built-in demo incident: a simulated shop API on 127.0.0.1 that writes an nginx access
 * log and a pino app log as traffic flows, answers Actuator health and Dockerflow version
 * endpoints, and after a while deploys a release that breaks one route. Plain Node: the
 * desktop app runs it in the main process, the CLI in its own.
 */
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { actuatorHealthDocument, versionDocument, type Release } from './endpoints'
import { accessLine, completionLine, handlerLine, shutdownLines, startupLines, type AppProcess, type LoggedRequest, type Visitor } from './log-lines'
import { SeededRandom } from './random'
import { BROKEN_ROUTE, ROUTES, routeFor, type Instance, type RouteSpec } from './traffic'

export interface DemoOptions {
  /** Same seed, same sequence of requests (their times follow the clock). Default 500. */
  seed?: number
  /** From start to the new release going live on `/__version__`. Default 20 000. */
  deployAfterMs?: number
  /** Mean request rate (Poisson arrivals). Default 30. */
  requestsPerSec?: number
  /** Where the demo's temp folder is created (default the OS temp folder); only that folder is removed. */
  dir?: string
  /**
   * From the version flip to the new release taking traffic (readiness passed, the load
   * balancer shifting over). Default 2 500 ms.
   */
  trafficShiftAfterMs?: number
  /** Traffic already in the logs when the demo starts: the service was running before you looked. Default 10 000. */
  historyMs?: number
}

export interface DemoInfo {
  dir: string
  accessLog: string
  appLog: string
  healthUrl: string
  versionUrl: string
  port: number
  deployAfterMs: number
  /** `GET /api/orders/:id/receipt`: the route the new release breaks. */
  brokenRoute: string
  newVersion: string
  oldVersion: string
}

export interface DemoStats {
  /** Requests written to the access log so far. */
  requests: number
  serverErrors: number
  liveVersion: string
  deployed: boolean
  /** Why the logs stopped growing, when a write failed (disk full, folder removed…). */
  writeError: string | null
}

const TICK_MS = 100
/** How long the load balancer takes to move all traffic to the new release. */
const SHIFT_RAMP_MS = 1000
/** The old release is stopped this long after it stopped taking traffic. */
const DRAIN_MS = 500
const OLD_VERSION = 'v2.13.2'
const NEW_VERSION = 'v2.14.0'
const POD_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

const USER_AGENTS: { agent: string; browser: boolean }[] = [
  { agent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36', browser: true },
  { agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15', browser: true },
  { agent: 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', browser: true },
  { agent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Mobile/15E148 Safari/604.1', browser: true },
  { agent: 'ShopApp/5.2.1 (iPhone14,2; iOS 17.3.1) Alamofire/5.8.1', browser: false },
  { agent: 'ShopApp/5.2.0 (Android 14; Pixel 7) okhttp/4.12.0', browser: false }
]
const REFERER_PAGES = ['/', '/products', '/cart', '/checkout', '/account/orders']

function checkedNumber(value: number | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!Number.isFinite(value) || value < min || value > max) throw new RangeError(`demo option ${name} must be a number from ${min} to ${max}, got ${value}`)
  return value
}

function podName(rng: SeededRandom): string {
  const chars = (n: number): string => Array.from({ length: n }, () => rng.pick([...POD_ALPHABET])).join('')
  return `shop-api-${chars(9)}-${chars(5)}`
}

function makeVisitors(rng: SeededRandom, count: number): Visitor[] {
  const nets = ['203.0.113', '198.51.100', '192.0.2']
  return Array.from({ length: count }, () => {
    const ua = rng.pick(USER_AGENTS)
    return { ip: `${rng.pick(nets)}.${rng.int(2, 254)}`, userAgent: ua.agent, browser: ua.browser }
  })
}

/** Lines of one moment, kept together so both logs stay in time order. */
interface Entry {
  time: number
  access: string[]
  app: string[]
}

export class DemoService {
  private readonly seed: number
  private readonly deployAfterMs: number
  private readonly meanGapMs: number
  private readonly parentDir: string
  private readonly shiftAfterMs: number
  private readonly historyMs: number
  /** Drives the generated traffic; real requests draw from their own stream so they do not shift it. */
  private readonly rng: SeededRandom
  private readonly liveRng: SeededRandom
  private readonly visitors: Visitor[]
  private readonly oldRelease: Release
  private readonly newRelease: Release
  private readonly oldProcess: AppProcess
  private readonly newProcess: AppProcess

  private startedAt = 0
  private nextArrival = 0
  private newReleaseStarted = false
  private oldReleaseStopped = false
  private generating = false
  private timer: NodeJS.Timeout | null = null
  private server: Server | null = null
  private accessFile: FileHandle | null = null
  private appFile: FileHandle | null = null
  private writes: Promise<void> = Promise.resolve()
  private writeError: string | null = null
  private requests = 0
  private serverErrors = 0
  private folder: string | null = null
  private starting: Promise<DemoInfo> | null = null
  private stopping: Promise<void> | null = null

  constructor(opts: DemoOptions = {}) {
    this.seed = Math.trunc(checkedNumber(opts.seed, 500, 'seed', 0, 2 ** 32 - 1))
    this.deployAfterMs = Math.round(checkedNumber(opts.deployAfterMs, 20_000, 'deployAfterMs', 0, 24 * 3600_000))
    this.meanGapMs = 1000 / checkedNumber(opts.requestsPerSec, 30, 'requestsPerSec', 0.1, 2000)
    this.shiftAfterMs = checkedNumber(opts.trafficShiftAfterMs, 2500, 'trafficShiftAfterMs', 0, 3600_000)
    this.historyMs = checkedNumber(opts.historyMs, 10_000, 'historyMs', 0, 600_000)
    this.parentDir = opts.dir ?? os.tmpdir()
    this.rng = new SeededRandom(this.seed)
    this.liveRng = new SeededRandom(this.seed ^ 0x9e3779b9)
    const rng = this.rng
    const buildNo = rng.int(3000, 5000)
    this.oldRelease = { version: OLD_VERSION, commit: rng.hex(40), build: `https://ci.example-shop.dev/shop-api/builds/${buildNo}` }
    this.newRelease = { version: NEW_VERSION, commit: rng.hex(40), build: `https://ci.example-shop.dev/shop-api/builds/${buildNo + rng.int(20, 60)}` }
    this.oldProcess = { pid: rng.int(17, 40), hostname: podName(rng), version: OLD_VERSION }
    this.newProcess = { pid: rng.int(17, 40), hostname: podName(rng), version: NEW_VERSION }
    this.visitors = makeVisitors(rng, 60)
  }

  /** Starts the server and the traffic; resolves once the logs hold the history. Calling it again returns the same start. */
  start(): Promise<DemoInfo> {
    if (this.stopping) return Promise.reject(new Error('the demo has been stopped; create a new DemoService'))
    this.starting ??= this.startOnce()
    return this.starting
  }

  private async startOnce(): Promise<DemoInfo> {
    try {
      const dir = await mkdtemp(path.join(this.parentDir, 'triage500-demo-'))
      this.folder = dir
      const accessLog = path.join(dir, 'access.log')
      const appLog = path.join(dir, 'shop-api.log')
      this.accessFile = await open(accessLog, 'a')
      this.appFile = await open(appLog, 'a')
      const port = await this.listen()
      this.startedAt = Date.now()
      this.nextArrival = this.startedAt - this.historyMs
      this.generating = true
      this.tick()
      await this.writes
      this.timer = setInterval(() => this.tick(), TICK_MS)
      const base = `http://127.0.0.1:${port}`
      return {
        dir,
        accessLog,
        appLog,
        healthUrl: `${base}/actuator/health`,
        versionUrl: `${base}/__version__`,
        port,
        deployAfterMs: this.deployAfterMs,
        brokenRoute: `${BROKEN_ROUTE.method} ${BROKEN_ROUTE.route}`,
        newVersion: NEW_VERSION,
        oldVersion: OLD_VERSION
      }
    } catch (err) {
      await this.release()
      throw err
    }
  }

  private listen(): Promise<number> {
    const server = createServer((req, res) => this.answer(req, res))
    this.server = server
    return new Promise<number>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject)
        resolve((server.address() as AddressInfo).port)
      })
    })
  }

  /** Stops generating traffic and waits until what was generated is on disk; the server keeps answering. */
  async stopTraffic(): Promise<void> {
    this.haltTraffic()
    await this.writes
  }

  /** Stops timers and the server and removes the demo's folder. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.starting) await this.starting.catch(() => undefined)
      await this.release()
    })()
    return this.stopping
  }

  stats(): DemoStats {
    const now = Date.now()
    return {
      requests: this.requests,
      serverErrors: this.serverErrors,
      liveVersion: this.releaseAt(now).version,
      deployed: this.startedAt > 0 && now >= this.deployAt,
      writeError: this.writeError
    }
  }

  private async release(): Promise<void> {
    this.haltTraffic()
    const server = this.server
    this.server = null
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeAllConnections()
      await closed
    }
    await this.writes
    const files = [this.accessFile, this.appFile]
    this.accessFile = null
    this.appFile = null
    await Promise.all(files.map((f) => f?.close().catch(() => undefined)))
    if (this.folder) await rm(this.folder, { recursive: true, force: true })
    this.folder = null
  }

  private haltTraffic(): void {
    this.generating = false
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  private get deployAt(): number {
    return this.startedAt + this.deployAfterMs
  }

  private releaseAt(t: number): Release {
    return this.startedAt > 0 && t >= this.deployAt ? this.newRelease : this.oldRelease
  }

  /** Share of the app traffic the new release answers at time t. */
  private newShare(t: number): number {
    const shiftStart = this.deployAt + this.shiftAfterMs
    if (t < shiftStart) return 0
    return Math.min(1, (t - shiftStart) / SHIFT_RAMP_MS)
  }

  private tick(): void {
    if (!this.generating) return
    const now = Date.now()
    const entries: Entry[] = []
    if (!this.newReleaseStarted && now >= this.deployAt) {
      this.newReleaseStarted = true
      entries.push({ time: this.deployAt, access: [], app: startupLines(this.newProcess, this.deployAt) })
    }
    const oldStopsAt = this.deployAt + this.shiftAfterMs + SHIFT_RAMP_MS + DRAIN_MS
    if (!this.oldReleaseStopped && now >= oldStopsAt) {
      this.oldReleaseStopped = true
      entries.push({ time: oldStopsAt, access: [], app: shutdownLines(this.oldProcess, oldStopsAt) })
    }
    while (this.nextArrival <= now) {
      const time = Math.round(this.nextArrival)
      entries.push(this.generatedRequest(time))
      this.nextArrival += this.rng.exponential(this.meanGapMs)
    }
    entries.sort((a, b) => a.time - b.time)
    this.append(
      entries.flatMap((e) => e.access),
      entries.flatMap((e) => e.app)
    )
  }

  private generatedRequest(time: number): Entry {
    const rng = this.rng
    const route = rng.weighted(ROUTES)
    const visitor = rng.pick(this.visitors)
    const referer = visitor.browser ? `https://shop.example.com${rng.pick(REFERER_PAGES)}` : null
    return this.serve(rng, route, route.samplePath(rng), time, visitor, referer, rng.hex(32)).entry
  }

  /** One request through the model: which release answers, how, and the lines both logs get. */
  private serve(
    rng: SeededRandom,
    route: RouteSpec,
    requestPath: string,
    time: number,
    visitor: Visitor,
    referer: string | null,
    requestId: string
  ): { entry: Entry; status: number; bytes: number } {
    const instance: Instance | null = route.servedBy === 'nginx' ? null : rng.next() < this.newShare(time) ? 'new' : 'old'
    const answer = route.answer(rng, instance ?? 'old', requestPath)
    const appMs = answer.medianMs === 0 ? 0 : rng.latency(answer.medianMs)
    const logged: LoggedRequest = {
      time,
      method: route.method,
      path: requestPath,
      status: answer.status,
      bytes: answer.bytes,
      durationMs: instance === null ? appMs : appMs + 1,
      requestId,
      visitor,
      referer
    }
    this.requests++
    if (answer.status >= 500) this.serverErrors++
    const app: string[] = []
    if (instance !== null) {
      const proc = instance === 'new' ? this.newProcess : this.oldProcess
      const handlerAt = time - Math.round(appMs / 2)
      for (const line of answer.handlerLines) app.push(handlerLine(proc, handlerAt, requestId, line))
      app.push(completionLine(proc, logged, answer.error))
    }
    return { entry: { time, access: [accessLine(logged)], app }, status: answer.status, bytes: answer.bytes }
  }

  private append(access: string[], app: string[]): void {
    const accessFile = this.accessFile
    const appFile = this.appFile
    if (!accessFile || !appFile || (access.length === 0 && app.length === 0)) return
    const accessText = access.length > 0 ? `${access.join('\n')}\n` : ''
    const appText = app.length > 0 ? `${app.join('\n')}\n` : ''
    this.writes = this.writes.then(async () => {
      if (this.writeError !== null) return
      try {
        if (accessText) await accessFile.write(accessText)
        if (appText) await appFile.write(appText)
      } catch (err) {
        this.writeError = `cannot write the demo logs: ${(err as NodeJS.ErrnoException).code ?? String(err)}`
        this.haltTraffic()
      }
    })
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    // Bodies (POST /api/cart/items…) are not read: the model decides the answer.
    req.resume()
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const now = Date.now()
    const readOnly = method === 'GET' || method === 'HEAD'
    if (readOnly && url.pathname === '/actuator/health') {
      const rng = this.liveRng
      const doc = actuatorHealthDocument({ db: rng.latency(3), redis: rng.latency(1), payments: rng.latency(45) })
      return this.json(res, method, 200, doc, 'application/vnd.spring-boot.actuator.v3+json')
    }
    if (readOnly && url.pathname === '/__version__') return this.json(res, method, 200, versionDocument(this.releaseAt(now)))
    if (readOnly && url.pathname === '/__lbheartbeat__') return this.json(res, method, 200, {})

    // Everything else is a request to the shop itself: answered by the model and logged like generated traffic.
    const header = req.headers['x-request-id']
    const requestId = typeof header === 'string' && /^[\w-]{8,64}$/.test(header) ? header : this.liveRng.hex(32)
    const userAgent = req.headers['user-agent'] ?? '-'
    const visitor: Visitor = { ip: req.socket.remoteAddress ?? '127.0.0.1', userAgent, browser: false }
    const referer = typeof req.headers.referer === 'string' ? req.headers.referer : null
    const requestPath = `${url.pathname}${url.search}`
    const route = routeFor(method, url.pathname) ?? notFoundRoute(method, url.pathname)
    const served = this.serve(this.liveRng, route, requestPath, now, visitor, referer, requestId)
    this.append(served.entry.access, served.entry.app)
    res.setHeader('x-request-id', requestId)
    const body = served.status === 204 || served.status === 304 ? null : served.status >= 500 ? { error: 'Internal Server Error', requestId } : { status: served.status, requestId }
    this.json(res, method, served.status, body)
  }

  private json(res: ServerResponse, method: string, status: number, doc: unknown, contentType = 'application/json'): void {
    res.statusCode = status
    res.setHeader('cache-control', 'no-store')
    if (doc === null) {
      res.end()
      return
    }
    const body = JSON.stringify(doc)
    res.setHeader('content-type', `${contentType}; charset=utf-8`)
    res.setHeader('content-length', Buffer.byteLength(body))
    res.end(method === 'HEAD' ? undefined : body)
  }
}

/** A path the shop does not have: its 404 comes from the app's fallback handler. */
function notFoundRoute(method: string, requestPath: string): RouteSpec {
  return {
    method,
    route: requestPath,
    weight: 0,
    servedBy: 'app',
    match: /$^/,
    samplePath: () => requestPath,
    answer: () => ({ status: 404, bytes: 9, medianMs: 1, handlerLines: [{ level: 30, msg: 'no route matched', fields: { path: requestPath } }], error: null })
  }
}
