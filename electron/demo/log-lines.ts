/**
 * How the simulated service's lines are written: nginx's `combined` format with
 * `$request_time $request_id` appended, and pino / pino-http JSON lines sharing that request id.
 */
import type { SimulatedError } from './errors'
import type { HandlerLine, PinoLevel } from './traffic'

/** One running release of the app: its process as the log shows it. */
export interface AppProcess {
  pid: number
  hostname: string
  version: string
}

/** Who sent a request: the same clients come back, each with its own user agent. */
export interface Visitor {
  ip: string
  userAgent: string
  /** Browsers send a referer; the mobile app and scripts do not. */
  browser: boolean
}

/** A request as both logs record it. */
export interface LoggedRequest {
  /** When the response finished (both logs stamp this moment). */
  time: number
  method: string
  path: string
  status: number
  bytes: number
  /** nginx's `$request_time` in ms: the app's own time plus the proxy hop. */
  durationMs: number
  requestId: string
  visitor: Visitor
  referer: string | null
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number): string => String(n).padStart(2, '0')

/** nginx `$time_local` for a server running in UTC. */
export function clfTime(ms: number): string {
  const d = new Date(ms)
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
}

/** nginx escapes `"` and `\` in logged fields as `\x22` / `\x5C`. */
const nginxField = (s: string): string => s.replace(/["\\]/g, (c) => (c === '"' ? '\\x22' : '\\x5C'))

export function accessLine(r: LoggedRequest): string {
  const requestTime = (r.durationMs / 1000).toFixed(3)
  return `${r.visitor.ip} - - [${clfTime(r.time)}] "${r.method} ${nginxField(r.path)} HTTP/1.1" ${r.status} ${r.bytes} "${nginxField(r.referer ?? '-')}" "${nginxField(r.visitor.userAgent)}" ${requestTime} ${r.requestId}`
}

function pinoLine(proc: AppProcess, level: PinoLevel, time: number, fields: Record<string, unknown>, msg: string): string {
  return JSON.stringify({ level, time, pid: proc.pid, hostname: proc.hostname, ...fields, msg })
}

/** A handler's own line through `req.log`: it carries the request id, not the request. */
export function handlerLine(proc: AppProcess, time: number, requestId: string, line: HandlerLine): string {
  return pinoLine(proc, line.level, time, { reqId: requestId, ...line.fields }, line.msg)
}

/** pino-http's line when the response finished: `request completed`, or `request errored` with the error. */
export function completionLine(proc: AppProcess, r: LoggedRequest, error: SimulatedError | null): string {
  const responseTime = Math.max(0, r.durationMs - 1)
  const req = { id: r.requestId, method: r.method, url: r.path, remoteAddress: r.visitor.ip }
  const common = { reqId: r.requestId, req, res: { statusCode: r.status } }
  if (error !== null || r.status >= 500) {
    const err = error ?? { type: 'Error', message: `failed with status code ${r.status}`, stack: `Error: failed with status code ${r.status}` }
    return pinoLine(proc, 50, r.time, { ...common, err: { type: err.type, message: err.message, stack: err.stack }, responseTime }, 'request errored')
  }
  return pinoLine(proc, r.status >= 400 ? 40 : 30, r.time, { ...common, responseTime }, 'request completed')
}

/** What a freshly started release logs before it takes traffic. */
export function startupLines(proc: AppProcess, time: number): string[] {
  return [
    pinoLine(proc, 30, time, { version: proc.version.replace(/^v/, ''), node: 'v20.11.1', env: 'production' }, 'starting shop-api'),
    pinoLine(proc, 30, time + 41, { db: 'postgres://orders-db.internal:5432/shop', poolMax: 20 }, 'connected to postgres'),
    pinoLine(proc, 30, time + 58, { redis: 'redis://cache.internal:6379/0' }, 'connected to redis'),
    pinoLine(proc, 30, time + 63, { port: 3000 }, 'Server listening at http://0.0.0.0:3000')
  ]
}

/** What the replaced release logs when Kubernetes stops it. */
export function shutdownLines(proc: AppProcess, time: number): string[] {
  return [
    pinoLine(proc, 30, time, { signal: 'SIGTERM' }, 'received SIGTERM, draining connections'),
    pinoLine(proc, 30, time + 212, {}, 'server closed')
  ]
}
