/**
 * Proxy error logs: nginx `error_log` and Apache httpd 2.2 / 2.4 `ErrorLog`. Each line becomes a
 * ProxyErrorEvent whose `reason` says why the proxy could not get an answer from its upstream.
 */
import type { AppEvent, Level, LogFormatId, ProxyErrorEvent, UpstreamReason } from '../../../shared/model/evidence'
import type { LineParser } from './parser'
import { appEvent, normalizeLevel, proxyErrorEvent } from './events'
import { exceptionFromLine } from './trace'
import { fractionToMillis, monthIndex, utcMillis } from './time'

/** Why nginx/Apache failed to reach the upstream; null when the message is not about an upstream. */
export function upstreamReason(message: string): UpstreamReason | null {
  if (/\(111: |Connection refused|AH01114|AH00957|failed to make connection to backend|attempt to connect to .* failed/i.test(message)) return 'refused'
  if (/\(110: |upstream timed out|timed out|timeout|AH01110/i.test(message)) return 'timeout'
  if (/upstream prematurely closed|prematurely closed|AH01102|error reading status line from remote server|empty reply/i.test(message)) return 'prematurely-closed'
  if (/no live upstreams/i.test(message)) return 'no-live-upstreams'
  if (/\(104: |reset by peer|Connection reset/i.test(message)) return 'reset'
  if (/could not be resolved|host not found|DNS lookup failure|AH00898: DNS/i.test(message)) return 'dns'
  if (/upstream|proxy|backend|remote server/i.test(message) && /fail|error|invalid|refus|closed|abort|broken/i.test(message)) return 'other'
  return null
}

const NGINX_RE = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) \[(\w+)\] \d+#\d+: (?:\*\d+ )?(.*)$/

/** Splits nginx's `…, client: x, server: y, request: "GET /p HTTP/1.1", upstream: "…", host: …` context. */
function nginxContext(text: string): { message: string; client: string | null; request: string | null; upstream: string | null } {
  const at = text.indexOf(', client: ')
  if (at < 0) return { message: text, client: null, request: null, upstream: null }
  const context = text.slice(at)
  return {
    message: text.slice(0, at),
    client: /, client: ([^,]+)/.exec(context)?.[1] ?? null,
    request: /, request: "([^"]*)"/.exec(context)?.[1] ?? null,
    upstream: /, upstream: "([^"]*)"/.exec(context)?.[1] ?? null
  }
}

function splitRequest(request: string | null): { method: string | null; path: string | null } {
  if (request === null) return { method: null, path: null }
  const parts = request.split(' ')
  if (parts.length < 2) return { method: null, path: null }
  return { method: parts[0], path: parts.length > 2 ? parts.slice(1, -1).join(' ') : parts[1] }
}

/**
 * The first PHP error in FastCGI stderr (`FastCGI sent in stderr: "PHP message: PHP Fatal error:  …" while
 * reading response header from upstream`): the app's error, which nginx only relayed.
 */
export function phpErrorInFastCgiStderr(message: string): string | null {
  if (!message.startsWith('FastCGI sent in stderr: ')) return null
  const at = message.indexOf('PHP message: PHP ')
  if (at < 0) return null
  let php = message.slice(at + 'PHP message: '.length).replace(/" while [^"]*$/, '')
  const next = php.search(/; PHP message: |\n/)
  if (next >= 0) php = php.slice(0, next)
  return php.replace(/"$/, '')
}

export class NginxErrorParser implements LineParser {
  readonly format: LogFormatId = 'nginx-error'
  readonly multiline = 'text'

  parse(line: string, lineNo: number, offset: number): ProxyErrorEvent | AppEvent | null {
    const m = NGINX_RE.exec(line)
    if (m === null) return null
    const time = utcMillis(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0, 0)
    const context = nginxContext(m[8])
    const { method, path } = splitRequest(context.request)
    const php = phpErrorInFastCgiStderr(context.message)
    if (php !== null) {
      // PHP's error, relayed: an app error of the upstream, not a failure to reach it. nginx
      // logs all stderr at [error]; PHP's own word says whether it was one (a Warning is not).
      const level = phpLevel(php) ?? nginxLevel(m[7])
      const exception = level === 'error' || level === 'fatal' ? exceptionFromLine(php) : null
      return appEvent(lineNo, offset, {
        time,
        level,
        message: php,
        errorType: exception?.type ?? null,
        errorMessage: exception?.message ?? null,
        method,
        path,
        instance: context.upstream
      })
    }
    return proxyErrorEvent(lineNo, offset, {
      time,
      level: nginxLevel(m[7]),
      message: context.message,
      reason: upstreamReason(context.message),
      upstream: context.upstream,
      method,
      path,
      client: context.client
    })
  }
}

function phpLevel(php: string): Level | null {
  const kind = /^PHP ([\w ]+?):/.exec(php)?.[1]
  if (kind === undefined) return null
  if (kind.endsWith('error')) return 'error'
  return kind === 'Warning' ? 'warn' : kind === 'Notice' || kind === 'Deprecated' ? 'info' : null
}

function nginxLevel(word: string): Level | null {
  return normalizeLevel(word)
}

// [Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] msg   (2.2)
// [Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5555] msg   (2.4)
const APACHE_RE = /^\[\w{3} (\w{3}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4})\] \[(?:[\w-]+:)?(\w+)\](?: \[pid \d+(?::tid \d+)?\])?(?: \[client ([^\]]+)\])?(?: \[remote [^\]]+\])? ?(.*)$/

export class ApacheErrorParser implements LineParser {
  readonly format: LogFormatId = 'apache-error'
  readonly multiline = 'trace'

  parse(line: string, lineNo: number, offset: number): ProxyErrorEvent | null {
    const m = APACHE_RE.exec(line)
    if (m === null) return BARE_AH_RE.test(line) ? bareStartupLine(line, lineNo, offset) : null
    const month = monthIndex(m[1])
    if (month < 0) return null
    const time = utcMillis(Number(m[7]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), fractionToMillis(m[6]), 0)
    let message = m[10]
    let client = m[9]
    // 2.4 writes `(errno)Text: ` before `[client …]` when the error has an OS cause.
    const lateClient = client === undefined ? /\[client ([^\]]+)\] /.exec(message) : null
    if (lateClient !== null) {
      client = lateClient[1]
      message = message.slice(0, lateClient.index) + message.slice(lateClient.index + lateClient[0].length)
    }
    const request = /(?:while|for) (?:processing )?request "?(\w+) (\S+)/.exec(message)
    const upstream = /(?:connect to|backend:?|remote server) \(?((?:https?|ajp|fcgi|wss?|unix):\/\/[^\s)]+|[\w.-]+:\d+)/.exec(message)
    return proxyErrorEvent(lineNo, offset, {
      time,
      level: apacheLevel(m[8]),
      message,
      reason: upstreamReason(message),
      upstream: upstream?.[1] ?? null,
      method: request?.[1] ?? null,
      path: request?.[2] ?? null,
      client: client === undefined ? null : stripPort(client)
    })
  }
}

/** httpd writes startup problems to stderr before its ErrorLog is open: `AH00558: apache2: Could not …`, no time, no level. */
const BARE_AH_RE = /^AH\d{5}: /

function bareStartupLine(line: string, lineNo: number, offset: number): ProxyErrorEvent {
  return proxyErrorEvent(lineNo, offset, { time: null, level: null, message: line, reason: upstreamReason(line), upstream: null, method: null, path: null, client: null })
}

function apacheLevel(word: string): Level | null {
  if (word.startsWith('trace')) return 'trace'
  return normalizeLevel(word)
}

/** `72.15.99.187:5555` → `72.15.99.187`; IPv6 `[::1]:5555` / bare `::1` kept. */
function stripPort(client: string): string {
  const colon = client.lastIndexOf(':')
  if (colon < 0 || client.indexOf(':') !== colon) return client
  return client.slice(0, colon)
}
