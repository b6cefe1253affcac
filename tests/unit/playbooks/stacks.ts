/**
 * Test-only line writers in the shapes real stacks write (ingress-nginx upstreaminfo, nginx
 * combined and error log, Spring Boot behind `kubectl logs --prefix`, php-fpm, gunicorn, Go
 * logfmt), for the new playbooks' incidents. Traffic comes from ../verdict/scenario.
 */
import type { Req } from '../verdict/scenario'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => String(n).padStart(2, '0')
const p3 = (n: number): string => String(n).padStart(3, '0')

export const clf = (t: number): string => {
  const d = new Date(t)
  return `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}
/** The same time written in a zone `offsetMin` east of UTC: `14/Mar/2026:14:45:01 +0100`. */
export const clfIn = (t: number, offsetMin: number): string => {
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  return `${clf(t + offsetMin * 60_000).slice(0, -5)}${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`
}
/** `2026-03-14 13:45:01.123` (Spring Boot, UTC). */
export const springTime = (t: number): string => new Date(t).toISOString().replace('T', ' ').slice(0, 23)
/** `2026/03/14 13:45:01` (nginx error log). */
export const nginxTime = (t: number): string => {
  const d = new Date(t)
  return `${d.getUTCFullYear()}/${p2(d.getUTCMonth() + 1)}/${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}
/** `14-Mar-2026 13:45:01` (php-fpm). */
export const fpmTime = (t: number): string => {
  const d = new Date(t)
  return `${p2(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

export interface UpstreamReq extends Req {
  upstream: string
}

/** ingress-nginx's default upstreaminfo line: the upstream address names the pod that answered. */
export const ingressNginx = (reqs: UpstreamReq[]): string =>
  reqs
    .map((r) => {
      const secs = (r.durationMs / 1000).toFixed(3)
      return `${r.client} - - [${clf(r.time)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.status >= 500 ? 150 : 1834} "-" "Mozilla/5.0 (X11; Linux x86_64)" 412 ${secs} [shop-orders-8080] [] ${r.upstream} ${r.status >= 500 ? 150 : 1834} ${secs} ${r.status} ${r.requestId}`
    })
    .join('\n') + '\n'

/** nginx combined with `$request_time` (no request id), its times in a zone `offsetMin` east of UTC. */
export const nginxCombined = (reqs: Req[], agent = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', offsetMin = 0): string =>
  reqs.map((r) => `${r.client} - - [${clfIn(r.time, offsetMin)}] "${r.method} ${r.path} HTTP/1.1" ${r.status} ${r.status >= 500 ? 157 : 5120} "-" "${agent}" ${(r.durationMs / 1000).toFixed(3)}`).join('\n') + '\n'

export interface SpringLine {
  time: number
  pod: string
  level: 'INFO' | 'WARN' | 'ERROR'
  thread: string
  logger: string
  message: string
  /** Stack trace lines after the message (tab-indented frames, `Caused by:`). */
  trace?: string[]
}

/** Spring Boot's default console layout, as `kubectl logs --prefix` prints it for several pods. */
export const springViaKubectl = (lines: SpringLine[]): string =>
  [...lines]
    .sort((a, b) => a.time - b.time)
    .flatMap((l) => {
      const prefix = `[pod/${l.pod}/orders] `
      const head = `${prefix}${springTime(l.time)} ${l.level.padStart(5)} 1 --- [${l.thread.padStart(15).slice(-15)}] ${l.logger.padEnd(40).slice(0, 40)} : ${l.message}`
      return [head, ...(l.trace ?? []).map((t) => `${prefix}${t}`)]
    })
    .join('\n') + '\n'

/** Spring Boot's default console layout without a wrapper (one instance). */
export const springPlain = (lines: SpringLine[]): string =>
  [...lines]
    .sort((a, b) => a.time - b.time)
    .flatMap((l) => [`${springTime(l.time)} ${l.level.padStart(5)} 1 --- [${l.thread.padStart(15).slice(-15)}] ${l.logger.padEnd(40).slice(0, 40)} : ${l.message}`, ...(l.trace ?? [])])
    .join('\n') + '\n'

export const ms = (n: number): string => p3(n)
