/**
 * Per stack: startup banners and version fields, in the line shapes each stack writes, read
 * through the real line pipeline (format detection, parsing, folding), then turned into deploys
 * and restarts.
 */
import { describe, expect, it } from 'vitest'
import { LinePipeline } from '../../../electron/collect/ingest'
import { deploysFromLog, withLogDeploys } from '../../../shared/analysis/deploys/derive'
import { mergeLifecycles } from '../../../shared/analysis/deploys/lifecycle'

const T = Date.parse('2024-03-12T08:00:00Z')
const at = (m: number, s = 0): number => T + m * 60_000 + s * 1000
const iso = (t: number): string => new Date(t).toISOString()
const spring = (t: number): string => iso(t).replace('T', ' ').slice(0, 23)
const gunicornTime = (t: number): string => `${iso(t).replace('T', ' ').slice(0, 19)} +0000`

function read(name: string, lines: string[]) {
  const p = new LinePipeline({ sourceKey: name })
  p.push(Buffer.from(lines.join('\n') + '\n'))
  return p.end()
}

/** Filler an app writes while it serves (so detection has something to read). */
const springServing = (from: number, minutes: number): string[] =>
  Array.from({ length: minutes * 2 }, (_, i) => `${spring(from + i * 30_000)}  INFO 1 --- [nio-8080-exec-${1 + (i % 9)}] c.e.orders.OrderController             : GET /api/orders/${20_000 + i} 200 in ${12 + (i % 7)}ms`)

const springBoot = (t: number, version: string | null): string[] => [
  `${spring(t)}  INFO 1 --- [           main] c.e.orders.OrdersApplication             : Starting OrdersApplication${version ? ` v${version}` : ''} using Java 17.0.9 with PID 1 (/app/orders.jar started by spring in /app)`,
  `${spring(t + 120)}  INFO 1 --- [           main] c.e.orders.OrdersApplication             : The following 1 profile is active: "prod"`,
  `${spring(t + 2900)}  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) with context path ''`,
  `${spring(t + 3100)}  INFO 1 --- [           main] c.e.orders.OrdersApplication             : Started OrdersApplication in 4.217 seconds (process running for 4.902)`
]

describe('Spring Boot', () => {
  it('a boot with a new version is a deploy at its Starting line; its Started line is the same boot', () => {
    const r = read('orders.log', [...springBoot(at(0), '3.8.0'), ...springServing(at(1), 30), ...springBoot(at(62), '3.8.1'), ...springServing(at(63), 10)])
    expect(r.format).toBe('spring-boot')
    expect(r.lifecycle.starts.map((s) => [s.at, s.version])).toEqual([[at(0), '3.8.0'], [at(62), '3.8.1']])
    const { deploys, restarts } = deploysFromLog(r.lifecycle)
    expect(deploys).toEqual([{ version: '3.8.1', at: at(62), commit: null, source: 'app log', origin: 'log', previousVersion: '3.8.0' }])
    // The first boot the log shows is a start, not a deploy: nothing says what ran before it.
    expect(restarts).toEqual([{ instance: 'orders.log', at: at(0), version: '3.8.0' }])
  })

  it('restarts of the same version are restarts (a crash loop), never deploys', () => {
    const r = read('orders.log', [...springBoot(at(0), '3.8.1'), ...springServing(at(1), 20), ...springBoot(at(21), '3.8.1'), ...springBoot(at(22), '3.8.1'), ...springBoot(at(23, 30), '3.8.1'), ...springServing(at(25), 5)])
    const { deploys, restarts } = deploysFromLog(r.lifecycle)
    expect(deploys).toEqual([])
    expect(restarts.map((x) => x.at)).toEqual([at(0), at(21), at(22), at(23, 30)])
    expect(restarts.every((x) => x.version === '3.8.1' && x.instance === 'orders.log')).toBe(true)
  })

  it('a jar without a version in its manifest: starts with no version, so no deploy can be told', () => {
    const r = read('orders.log', [...springBoot(at(0), null), ...springServing(at(1), 20), ...springBoot(at(30), null), ...springServing(at(31), 5)])
    expect(deploysFromLog(r.lifecycle)).toEqual({ deploys: [], restarts: [{ instance: 'orders.log', at: at(0), version: null }, { instance: 'orders.log', at: at(30), version: null }] })
  })
})

describe('gunicorn / Django', () => {
  it("gunicorn's version is gunicorn's: a gunicorn upgrade is no app version, two boots are two restarts", () => {
    const serving = (from: number): string[] => Array.from({ length: 30 }, (_, i) => `[${gunicornTime(from + i * 20_000)}] [${7 + (i % 3)}] [INFO] GET /api/orders/${i} 200`)
    const boot = (t: number, v: string): string[] => [`[${gunicornTime(t)}] [1] [INFO] Starting gunicorn ${v}`, `[${gunicornTime(t)}] [1] [INFO] Listening at: http://0.0.0.0:8000 (1)`, `[${gunicornTime(t)}] [1] [INFO] Using worker: sync`, `[${gunicornTime(t + 1000)}] [7] [INFO] Booting worker with pid: 7`]
    const r = read('web.log', [...boot(at(0), '21.2.0'), ...serving(at(1)), ...boot(at(20), '22.0.0'), ...serving(at(21))])
    expect(r.lifecycle.starts.map((s) => [s.server, s.version])).toEqual([['21.2.0', null], ['22.0.0', null]])
    const { deploys, restarts } = deploysFromLog(r.lifecycle)
    expect(deploys).toEqual([])
    expect(restarts.map((x) => x.at)).toEqual([at(0), at(20)])
  })

  it('reads the migrations manage.py migrate printed before gunicorn started', () => {
    const r = read('release.log', [
      `[${gunicornTime(at(0))}] [1] [INFO] Running release phase`,
      'Operations to perform:',
      '  Apply all migrations: admin, auth, contenttypes, orders, sessions',
      'Running migrations:',
      '  Applying orders.0042_order_discount... OK',
      '  Applying orders.0043_backfill_discount... OK',
      `[${gunicornTime(at(1))}] [1] [INFO] Starting gunicorn 21.2.0`,
      ...Array.from({ length: 20 }, (_, i) => `[${gunicornTime(at(2) + i * 1000)}] [7] [INFO] GET /api/orders/${i} 200`)
    ])
    expect(r.lifecycle.migrations.map((m) => [m.tool, m.kind, m.id, m.at])).toEqual([
      ['Django', 'applied', 'orders.0042_order_discount', at(0)],
      ['Django', 'applied', 'orders.0043_backfill_discount', at(0)]
    ])
  })
})

describe('structured logs: version fields per instance', () => {
  it('ECS lines with service.version and host.name: the first pod logging 2.15.0 is the deploy, the rest of the rollout is the same deploy', () => {
    const line = (t: number, host: string, version: string, msg = 'order placed'): string =>
      JSON.stringify({ '@timestamp': iso(t), 'log.level': 'info', message: msg, 'service.name': 'orders', 'service.version': version, 'host.name': host, 'ecs.version': '1.6.0' })
    const lines: string[] = []
    for (let s = 0; s < 40 * 60; s += 20) {
      const t = at(0) + s * 1000
      // orders-a rolls at 20:00, orders-b at 22:00; until then both log 2.14.3.
      lines.push(line(t, 'orders-a', t >= at(20) ? '2.15.0' : '2.14.3'))
      lines.push(line(t + 7000, 'orders-b', t >= at(22) ? '2.15.0' : '2.14.3'))
    }
    const r = read('orders.jsonl', lines)
    const { deploys, restarts } = deploysFromLog(r.lifecycle)
    expect(deploys).toEqual([{ version: '2.15.0', at: at(20), commit: null, source: 'app log', origin: 'log', previousVersion: '2.14.3' }])
    expect(restarts).toEqual([])
  })

  it('an image tag names the version; a pod of the old version still answering mid-rollout is no rollback', () => {
    const line = (t: number, pod: string, image: string): string => JSON.stringify({ ts: t / 1000, level: 'info', msg: 'handled', pod, image })
    const lines: string[] = []
    for (let s = 0; s < 30 * 60; s += 30) {
      const t = at(0) + s * 1000
      lines.push(line(t, 'orders-6f7c9-abcde', 'registry.example.com/shop/orders:2.14.3'))
      if (t >= at(10)) lines.push(line(t + 1000, 'orders-7d9f8-xyz12', 'registry.example.com/shop/orders:2.15.0'))
    }
    const { deploys } = deploysFromLog(read('orders.jsonl', lines).lifecycle)
    expect(deploys.map((d) => [d.version, d.at])).toEqual([['2.15.0', at(10, 1)]])
  })

  it('pino: {"msg":"starting","version"} on each boot; a new version is a deploy', () => {
    const boot = (t: number, v: string): string => JSON.stringify({ level: 30, time: t, pid: 1, hostname: 'api-7d9f', msg: 'starting', version: v })
    const serving = (from: number): string[] => Array.from({ length: 20 }, (_, i) => JSON.stringify({ level: 30, time: from + i * 30_000, pid: 1, hostname: 'api-7d9f', msg: 'cart updated', cartId: i }))
    const { deploys, restarts } = deploysFromLog(read('api.log', [boot(at(0), '4.1.0'), ...serving(at(1)), boot(at(15), '4.2.0'), ...serving(at(16))]).lifecycle)
    expect(deploys.map((d) => [d.version, d.at, d.previousVersion])).toEqual([['4.2.0', at(15), '4.1.0']])
    expect(restarts.map((x) => x.at)).toEqual([at(0)])
  })

  it('Go slog (logfmt): msg="starting server" version=… on each boot', () => {
    const boot = (t: number, v: string): string => `time=${iso(t)} level=INFO msg="starting server" version=${v} addr=:8080`
    const serving = (from: number): string[] => Array.from({ length: 20 }, (_, i) => `time=${iso(from + i * 30_000)} level=INFO msg="request" method=GET path=/api/items/${i} status=200 duration=3ms`)
    const { deploys } = deploysFromLog(read('api.log', [boot(at(0), '1.4.1'), ...serving(at(1)), boot(at(12), '1.4.2'), ...serving(at(13))]).lifecycle)
    expect(deploys.map((d) => [d.version, d.at, d.previousVersion])).toEqual([['1.4.2', at(12), '1.4.1']])
  })

  it('ASP.NET Core JSON console: "Now listening on" and "Application started" are one boot', () => {
    const rec = (t: number, category: string, message: string, level = 'Information'): string => JSON.stringify({ Timestamp: iso(t), EventId: 14, LogLevel: level, Category: category, Message: message })
    const boot = (t: number): string[] => [rec(t, 'Microsoft.Hosting.Lifetime', 'Now listening on: http://[::]:8080'), rec(t + 200, 'Microsoft.Hosting.Lifetime', 'Application started. Press Ctrl+C to shut down.'), rec(t + 210, 'Microsoft.Hosting.Lifetime', 'Hosting environment: Production')]
    const serving = (from: number): string[] => Array.from({ length: 10 }, (_, i) => rec(from + i * 30_000, 'Orders.Api.OrdersController', `Order ${i} placed`))
    const r = read('orders.json', [...boot(at(0)), ...serving(at(1)), ...boot(at(30)), ...serving(at(31))])
    expect(deploysFromLog(r.lifecycle).restarts.map((x) => x.at)).toEqual([at(0), at(30)])
  })

  it('Heroku: the platform release line is a deploy by itself', () => {
    const router = (t: number, i: number): string => `${iso(t).replace('Z', '000+00:00')} heroku[router]: at=info method=GET path="/orders/${i}" host=shop.herokuapp.com request_id=8601b555-6a35-4b9b-b1a5-${String(100000000000 + i)} fwd="203.0.113.${i % 250}" dyno=web.1 connect=0ms service=${20 + (i % 9)}ms status=200 bytes=1548 protocol=https`
    const lines = [...Array.from({ length: 30 }, (_, i) => router(at(0) + i * 20_000, i)), `${iso(at(11)).replace('Z', '000+00:00')} app[api]: Release v145 created by user deploy@example.com`, ...Array.from({ length: 30 }, (_, i) => router(at(12) + i * 20_000, i))]
    const { deploys } = deploysFromLog(read('heroku.log', lines).lifecycle)
    expect(deploys.map((d) => [d.version, d.at])).toEqual([['v145', at(11)]])
  })
})

describe('merging sources and the known deploys', () => {
  it('two pods in two files: the new pod starting with a version the fleet did not run is the deploy', () => {
    const a = read('orders-a.log', [...springBoot(at(0), '3.8.0'), ...springServing(at(1), 40)])
    const b = read('orders-b.log', [...springBoot(at(25), '3.8.1'), ...springServing(at(26), 15)])
    const { deploys, restarts } = deploysFromLog(mergeLifecycles([a.lifecycle, b.lifecycle]))
    expect(deploys.map((d) => [d.version, d.at, d.previousVersion])).toEqual([['3.8.1', at(25), '3.8.0']])
    expect(restarts.map((x) => x.instance)).toEqual(['orders-a.log'])
  })

  it('a polled deploy and the banner of the same version within minutes are one deploy (the polled one)', () => {
    const polled = { version: 'v3.8.1', at: at(64), commit: 'abc1234', source: 'orders-version', origin: 'endpoint' as const }
    const log = { version: '3.8.1', at: at(62), commit: null, source: 'app log', origin: 'log' as const, previousVersion: '3.8.0' }
    expect(withLogDeploys([polled], [log])).toEqual([polled])
    // An unrelated version, or the same one hours later, stays.
    const later = { ...log, at: at(62 + 120) }
    expect(withLogDeploys([polled], [later]).map((d) => d.origin)).toEqual(['endpoint', 'log'])
    expect(withLogDeploys([], [log])).toEqual([log])
  })
})

describe('a version field that is no release', () => {
  it('an API version logged per request (v1 and v2 taking turns) makes no deploys', () => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ time: iso(at(0) + i * 15_000), level: 'info', msg: 'handled', host: 'api-1', version: i % 3 === 0 ? 'v2' : 'v1', route: i % 3 === 0 ? '/api/v2/orders' : '/api/v1/orders' }))
    expect(deploysFromLog(read('api.jsonl', lines).lifecycle).deploys).toEqual([])
  })
})
