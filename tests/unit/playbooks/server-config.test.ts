/**
 * `server-config`: the web server's own error log says it is misconfigured for the requests
 * that got 5xx. A PHP site behind nginx whose php-fpm socket became unusable (nginx writes
 * `[crit] connect() to unix:… failed (13: Permission denied)`), an nginx rewrite cycle on one
 * path, Apache's AH00124 redirect limit; and the everyday scanner noise ("Primary script
 * unknown" answered 404) that must not be taken for it.
 */
import { describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { buildRunbook } from '../../../shared/runbook'
import { access, min, prng, runScenario, traffic, type Req, type RouteSpec } from '../verdict/scenario'
import { fpmTime, nginxCombined, nginxTime } from './stacks'

const BLOG: RouteSpec[] = [
  { method: 'GET', path: () => '/', weight: 30 },
  { method: 'GET', path: (r) => `/index.php?p=${1 + Math.floor(r() * 400)}`, weight: 25 },
  { method: 'POST', path: () => '/wp-admin/admin-ajax.php', weight: 12 },
  { method: 'GET', path: () => '/wp-content/themes/twentytwentyfour/style.css', weight: 20 },
  { method: 'GET', path: (r) => `/wp-content/uploads/2026/03/photo-${Math.floor(r() * 90)}.jpg`, weight: 13 }
]
const SCANNED = ['/phpmyadmin/index.php', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/xmlrpc2.php', '/admin/config.php']

const isPhp = (r: Req): boolean => !r.path.startsWith('/wp-content/')
const ctxOf = (r: Req, host = 'blog.example.com'): string => `client: ${r.client}, server: ${host}, request: "${r.method} ${r.path} HTTP/1.1"`

/** Scanners probing for PHP files that are not there: php-fpm answers 404 "File not found." and nginx logs "Primary script unknown". */
function scannersIn(reqs: Req[], seed: number, until = Infinity): { scans: Req[]; errors: string[] } {
  const rnd = prng(seed)
  const scans: Req[] = []
  const errors: string[] = []
  for (const r of reqs) {
    if (r.time >= until || rnd() > 0.03) continue
    const s: Req = { ...r, path: SCANNED[Math.floor(rnd() * SCANNED.length)], status: 404, client: '45.148.10.81', requestId: `${r.requestId}s` }
    scans.push(s)
    errors.push(`${nginxTime(s.time)} [error] 2104#2104: *${s.requestId.replace(/\D/g, '').slice(-6)} FastCGI sent in stderr: "Primary script unknown" while reading response header from upstream, ${ctxOf(s)}, upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "blog.example.com"`)
  }
  return { scans, errors }
}

const merge = (...logs: Req[][]): Req[] => logs.flat().sort((a, b) => a.time - b.time)

describe('server-config: the web server says it is misconfigured', () => {
  it('a php-fpm socket nginx may not use: server-config/socket, with the 502s as the secondary upstream', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 4, routes: BLOG, seed: 61 })
    const { scans, errors } = scannersIn(reqs, 62, min(20))
    // At 13:50 a php8.2-fpm upgrade recreated the socket owned by root:root, mode 0660: every PHP request gets 502.
    for (const r of reqs)
      if (isPhp(r) && r.time >= min(20)) {
        r.status = 502
        errors.push(`${nginxTime(r.time)} [crit] 2104#2104: *${r.requestId.replace(/\D/g, '').slice(-6)} connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied) while connecting to upstream, ${ctxOf(r)}, upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "blog.example.com"`)
      }
    errors.sort()
    const fpm = [
      `[${fpmTime(min(19) + 58_000)}] NOTICE: Terminating ...`,
      `[${fpmTime(min(19) + 58_000)}] NOTICE: exiting, bye-bye!`,
      `[${fpmTime(min(19) + 59_000)}] NOTICE: fpm is running, pid 812`,
      `[${fpmTime(min(19) + 59_000)}] NOTICE: ready to handle connections`,
      `[${fpmTime(min(19) + 59_000)}] NOTICE: systemd monitor interval set to 10000ms`
    ].join('\n') + '\n'
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': nginxCombined(merge(reqs, scans)), 'error.log': errors.join('\n') + '\n', 'php8.2-fpm.log': fpm } })
    expect(v1.sources.map((s) => s.format)).toEqual(['nginx-combined', 'nginx-error', 'php-fpm'])
    expect(v1.verdict?.playbook).toBe('server-config')
    expect(v1.serverConfig).toMatchObject({ kind: 'socket', path: null, target: 'unix:/run/php/php8.2-fpm.sock', message: 'connect() to unix:/run/php/php8.2-fpm.sock failed (13: Permission denied)' })
    expect(v1.verdict?.reasons[0]).toMatch(/^The web server's error log says it is misconfigured: [\d,]+ lines like "connect\(\) to unix:\/run\/php\/php8\.2-fpm\.sock failed \(13: Permission denied\)", on requests that got 5xx$/)
    expect(snapshot.findings[0].playbook).toBe('server-config')
    expect(snapshot.findings.map((f) => f.playbook)).toContain('upstream')
    const rb = buildRunbook(snapshot, emptyIncident('inc-1', 'Blog', '2026-03-14T14:10:00Z'))
    expect(rb.steps.map((s) => s.id)).toEqual(['server-config-fix', 'server-config-change', 'deploy-correlation', 'monitor'])
    expect(rb.steps[0].action).toContain('ls -l /run/php/php8.2-fpm.sock')
    expect(rb.steps[0].action).toContain('listen.owner')
    expect(rb.steps[1].action).toMatch(/nginx -t/)
  })

  it('a rewrite cycle on one path names that path', async () => {
    const routes: RouteSpec[] = [...BLOG, { method: 'GET', path: () => '/blog/', weight: 15 }]
    const reqs = traffic({ minutes: 40, perSecond: 4, routes, seed: 63 })
    const { scans, errors } = scannersIn(reqs, 64)
    for (const r of reqs)
      if (r.path === '/blog/' && r.time >= min(15)) {
        r.status = 500
        errors.push(`${nginxTime(r.time)} [error] 2104#2104: *${r.requestId.replace(/\D/g, '').slice(-6)} rewrite or internal redirection cycle while internally redirecting to "/blog/index.html", ${ctxOf(r)}, host: "blog.example.com"`)
      }
    errors.sort()
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': nginxCombined(merge(reqs, scans)), 'error.log': errors.join('\n') + '\n' } })
    expect(v1.verdict?.playbook).toBe('server-config')
    expect(v1.serverConfig).toMatchObject({ kind: 'rewrite-cycle', path: '/blog/', target: '/blog/index.html' })
    expect(buildRunbook(snapshot, emptyIncident('inc-2', 'Blog', '2026-03-14T14:10:00Z')).steps[0].title).toBe('Fix the server configuration for /blog/')
    // One route fails alone, too: the endpoint stays a secondary finding.
    expect(snapshot.findings.map((f) => f.playbook)).toContain('endpoint')
  })

  it('an error log in the host\'s local time (no zone) beside an access log in +01:00: the paths that got 5xx still judge', async () => {
    const routes: RouteSpec[] = [...BLOG, { method: 'GET', path: () => '/shop/', weight: 15 }]
    const reqs = traffic({ minutes: 40, perSecond: 4, routes, seed: 70 })
    const { scans, errors } = scannersIn(reqs, 71)
    for (const r of reqs)
      if (r.path === '/shop/' && r.time >= min(15)) {
        r.status = 500
        errors.push(`${nginxTime(r.time)} [error] 2104#2104: *${r.requestId.replace(/\D/g, '').slice(-6)} rewrite or internal redirection cycle while internally redirecting to "/shop/index.php", ${ctxOf(r)}, host: "blog.example.com"`)
      }
    // The host runs on Europe/Paris (CET, +01:00): nginx writes the error log in local time with no zone.
    const local = errors.sort().map((line) => line.replace(/^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})/, (_, y: string, mo: string, d: string, h: string, mi: string, se: string) => nginxTime(Date.UTC(+y, +mo - 1, +d, +h, +mi, +se) + 3_600_000)))
    const { v1 } = await runScenario({ logs: { 'access.log': nginxCombined(merge(reqs, scans), undefined, 60), 'error.log': local.join('\n') + '\n' } })
    expect(v1.verdict?.playbook).toBe('server-config')
    expect(v1.serverConfig).toMatchObject({ kind: 'rewrite-cycle', path: '/shop/' })
  })

  it("Apache's AH00124 redirect limit, which names no path, still counts: Apache answers 500 whenever it writes it", async () => {
    const reqs = traffic({ minutes: 40, perSecond: 4, seed: 65 })
    const errors: string[] = []
    const rnd = prng(66)
    for (const r of reqs)
      if (r.path.startsWith('/api/cart') && r.time >= min(18)) {
        r.status = 500
        const d = new Date(r.time)
        const stamp = `${d.toUTCString().slice(0, 3)} ${d.toUTCString().slice(8, 11)} ${d.toUTCString().slice(5, 7)} ${d.toISOString().slice(11, 19)}.${String(Math.floor(rnd() * 1e6)).padStart(6, '0')} ${d.getUTCFullYear()}`
        errors.push(`[${stamp}] [core:error] [pid 2231:tid 140245911] [client ${r.client}:51344] AH00124: Request exceeded the limit of 10 internal redirects due to probable configuration error. Use 'LimitInternalRecursion' to increase the limit if necessary. Use 'LogLevel debug' to get a backtrace., referer: https://shop.example.com/`)
      }
    const { v1 } = await runScenario({ logs: { 'access_log': access.apache(reqs), 'error_log': errors.join('\n') + '\n' } })
    expect(v1.sources[1].format).toBe('apache-error')
    expect(v1.verdict?.playbook).toBe('server-config')
    expect(v1.serverConfig).toMatchObject({ kind: 'rewrite-cycle', path: null, message: 'AH00124: Request exceeded the limit of 10 internal redirects' })
  })

  it('scanners answered 404 with "Primary script unknown" during an incident of another kind are noise: no server-config finding', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 4, routes: BLOG, seed: 67 })
    const { scans, errors } = scannersIn(reqs, 68)
    // A handful of 500s in the background; from 13:50 a plugin's AJAX handler dies with a PHP fatal error.
    const rnd = prng(69)
    for (const r of reqs) {
      if (r.path === '/wp-admin/admin-ajax.php' && r.time >= min(20) && rnd() < 0.6) {
        r.status = 500
        errors.push(`${nginxTime(r.time)} [error] 2104#2104: *${r.requestId.replace(/\D/g, '').slice(-6)} FastCGI sent in stderr: "PHP message: PHP Fatal error:  Uncaught Error: Call to undefined function wc_get_order() in /var/www/html/wp-content/plugins/shop-ajax/ajax.php:41" while reading response header from upstream, ${ctxOf(r)}, upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "blog.example.com"`)
      } else if (isPhp(r) && rnd() < 0.002) r.status = 500
    }
    errors.sort()
    const { v1, snapshot } = await runScenario({ logs: { 'access.log': nginxCombined(merge(reqs, scans)), 'error.log': errors.join('\n') + '\n' } })
    expect(scans.filter((s) => s.time >= min(20)).length).toBeGreaterThan(50)
    expect(v1.verdict?.playbook).toBe('endpoint')
    expect(v1.serverConfig).toBeNull()
    expect(snapshot.findings.map((f) => f.playbook)).not.toContain('server-config')
  })
})
