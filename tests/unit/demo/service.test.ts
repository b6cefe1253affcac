import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { DemoService, type DemoInfo } from '../../../electron/demo'
import { pollDeployOnce, pollHealthOnce } from '../../../electron/collect/poll'
import { activeHandles, expectNoNewHandles, parseLog, waitFor } from './support'

const TYPE_ERROR = "Cannot read properties of undefined (reading 'total')"

let parent: string
beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'triage500-demo-test-'))
})
afterAll(async () => {
  await rm(parent, { recursive: true, force: true })
})

describe('DemoService: a simulated service with a bad deploy', () => {
  let demo: DemoService
  let info: DemoInfo
  let deployedAt = 0

  beforeAll(async () => {
    demo = new DemoService({ seed: 7, deployAfterMs: 1500, trafficShiftAfterMs: 300, requestsPerSec: 60, historyMs: 3000, dir: parent })
    info = await demo.start()
  })
  afterAll(async () => {
    await demo.stop()
  })

  it('creates its logs in a fresh folder and serves on loopback', async () => {
    expect(path.dirname(info.dir)).toBe(parent)
    expect(await readdir(info.dir)).toEqual(expect.arrayContaining(['access.log', 'shop-api.log']))
    expect(info.healthUrl).toBe(`http://127.0.0.1:${info.port}/actuator/health`)
    expect(info.versionUrl).toBe(`http://127.0.0.1:${info.port}/__version__`)
    expect(info).toMatchObject({ brokenRoute: 'GET /api/orders/:id/receipt', oldVersion: 'v2.13.2', newVersion: 'v2.14.0', deployAfterMs: 1500 })
    // The history is on disk when start() resolves: ~3 s at 60/s.
    expect((await parseLog(info.accessLog)).requests.length).toBeGreaterThan(100)
  })

  it('answers Dockerflow /__version__ with the old release before the deploy', async () => {
    const observed = await pollDeployOnce({ name: 'shop-api', url: info.versionUrl })
    expect(observed).toMatchObject({ shape: 'dockerflow', version: 'v2.13.2' })
    expect(observed.commit).toMatch(/^[0-9a-f]{40}$/)
    const doc = (await (await fetch(info.versionUrl)).json()) as Record<string, unknown>
    expect(Object.keys(doc).sort()).toEqual(['build', 'commit', 'source', 'version'])
  })

  it('answers Actuator health with its dependencies as components', async () => {
    const sample = await pollHealthOnce({ name: 'shop-api', url: info.healthUrl })
    expect(sample.ok).toBe(true)
    expect(sample.status).toBe(200)
    expect(sample.components.map((c) => c.name)).toEqual(expect.arrayContaining(['db', 'redis', 'payments-api']))
    expect(sample.components.every((c) => c.ok && c.status === 'UP')).toBe(true)
  })

  it('grows both logs as traffic flows', async () => {
    const before = [(await stat(info.accessLog)).size, (await stat(info.appLog)).size]
    await waitFor('both logs to grow', async () => (await stat(info.accessLog)).size > before[0] && (await stat(info.appLog)).size > before[1])
  })

  it('flips /__version__ to the new release at the deploy', async () => {
    const observed = await waitFor('the new version', async () => {
      const o = await pollDeployOnce({ name: 'shop-api', url: info.versionUrl })
      return o.version === 'v2.14.0' ? o : null
    })
    deployedAt = observed.observedAt
    expect(demo.stats()).toMatchObject({ deployed: true, liveVersion: 'v2.14.0' })
  })

  it('a real request to the broken route fails after the deploy, and is logged with its request id', async () => {
    await waitFor('the new release to take traffic', () => Date.now() > deployedAt + 1500)
    const url = `http://127.0.0.1:${info.port}/api/orders/51234/receipt`
    const failed = await waitFor('a 500 from the broken route', async () => {
      const res = await fetch(url, { headers: { 'x-request-id': `replay-${Date.now()}` } })
      await res.arrayBuffer()
      return res.status === 500 ? res : null
    })
    const id = failed.headers.get('x-request-id') ?? ''
    await waitFor('the replayed request in both logs', async () => (await readFile(info.accessLog, 'utf8')).includes(id) && (await readFile(info.appLog, 'utf8')).includes(id))
    const ok = await fetch(`http://127.0.0.1:${info.port}/api/products/1234`)
    expect(ok.status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${info.port}/no/such/page`)).status).toBe(404)
  })

  describe('the logs it wrote, read by the real parsers', () => {
    let access: Awaited<ReturnType<typeof parseLog>>
    let app: Awaited<ReturnType<typeof parseLog>>
    let deployAt = 0

    beforeAll(async () => {
      await waitFor('the new release to fail receipts for a while', () => demo.stats().serverErrors >= 20, 20_000)
      await demo.stopTraffic()
      access = await parseLog(info.accessLog)
      app = await parseLog(info.appLog)
      const startup = app.appEvents.find((e) => e.message === 'starting shop-api')
      if (!startup?.time) throw new Error('the new release logged no startup line')
      deployAt = startup.time
    })

    it('are detected as nginx combined and pino JSON, with nothing unparsed', () => {
      expect(access.format).toBe('nginx-combined')
      expect(app.format).toBe('json-app')
      expect(access.unparsed).toBe(0)
      expect(app.unparsed).toBe(0)
    })

    it('carry real wall-clock times and durations', () => {
      const times = access.requests.map((r) => r.time ?? 0)
      expect(Math.min(...times)).toBeGreaterThan(Date.now() - 60_000)
      expect(Math.max(...times)).toBeLessThanOrEqual(Date.now())
      expect(access.requests.every((r) => r.durationMs !== null && r.requestId !== null)).toBe(true)
    })

    it('share request ids between the access log and the app log', () => {
      const accessIds = new Set(access.requests.map((r) => r.requestId))
      const appIds = new Set<string | null>([...app.requests, ...app.appEvents].map((e) => e.requestId).filter((id) => id !== null))
      expect(appIds.size).toBeGreaterThan(100)
      for (const id of appIds) expect(accessIds.has(id)).toBe(true)
      // Every API call reached the app; nginx answers static files and scanners alone.
      const apiIds = access.requests.filter((r) => r.path.startsWith('/api/')).map((r) => r.requestId)
      for (const id of apiIds) expect(appIds.has(id)).toBe(true)
      expect(access.requests.some((r) => r.path.startsWith('/static/') && !appIds.has(r.requestId))).toBe(true)
    })

    it('mix routes, methods and statuses like a real shop', () => {
      const statuses = new Set(access.requests.map((r) => r.status))
      for (const s of [200, 201, 204, 304, 404]) expect(statuses.has(s)).toBe(true)
      expect(new Set(access.requests.map((r) => r.method))).toEqual(new Set(['GET', 'POST', 'DELETE']))
      expect(new Set(access.requests.map((r) => r.route)).size).toBeGreaterThan(8)
    })

    it('break only the receipt route after the deploy, with the new TypeError', () => {
      const receipts = access.requests.filter((r) => r.route === '/api/orders/:id/receipt')
      const before = receipts.filter((r) => (r.time ?? 0) < deployAt)
      const settled = receipts.filter((r) => (r.time ?? 0) > deployAt + 300 + 1000)
      expect(before.length).toBeGreaterThan(10)
      expect(before.every((r) => r.status === 200)).toBe(true)
      expect(settled.length).toBeGreaterThan(10)
      expect(settled.filter((r) => r.status === 500).length / settled.length).toBeGreaterThan(0.6)
      const otherAfter = access.requests.filter((r) => r.route !== '/api/orders/:id/receipt' && r.route !== '/api/orders' && (r.time ?? 0) > deployAt)
      expect(otherAfter.length).toBeGreaterThan(50)
      expect(otherAfter.some((r) => r.status >= 500)).toBe(false)

      const typeErrors = app.appEvents.filter((e) => e.errorType === 'TypeError')
      expect(typeErrors.length).toBeGreaterThan(10)
      for (const e of typeErrors) {
        expect(e).toMatchObject({ level: 'error', errorMessage: TYPE_ERROR, method: 'GET', status: 500 })
        expect(e.time ?? 0).toBeGreaterThan(deployAt)
      }
      expect(typeErrors[0].stack).toContain('at formatTotals (/srv/app/src/receipts/render.js:42:17)')
      expect(typeErrors[0].stack).toContain('/srv/app/node_modules/express/lib/router/layer.js:95:5')
      expect(typeErrors[0].stack?.split('\n')).toHaveLength(11)
    })
  })

  it('stop() removes its folder, closes the server, and may be called again', async () => {
    await demo.stop()
    expect(existsSync(info.dir)).toBe(false)
    await expect(fetch(info.healthUrl)).rejects.toThrow()
    await demo.stop()
    await expect(demo.start()).rejects.toThrow('stopped')
  })
})

describe('DemoService lifecycle', () => {
  it('leaves no timers, sockets or file handles behind', async () => {
    const before = activeHandles()
    const demo = new DemoService({ dir: parent, historyMs: 500 })
    const info = await demo.start()
    await (await fetch(info.healthUrl)).arrayBuffer()
    expect(activeHandles().TCPServerWrap ?? 0).toBeGreaterThan(before.TCPServerWrap ?? 0)
    await demo.stop()
    await expectNoNewHandles(before, (kind, after, was) => expect(after, kind).toBeLessThanOrEqual(was))
  })

  it('stop() during start() waits for it and still cleans up', async () => {
    const demo = new DemoService({ dir: parent, historyMs: 500 })
    const starting = demo.start()
    await demo.stop()
    const info = await starting
    expect(existsSync(info.dir)).toBe(false)
  })

  it('is deterministic given a seed: the same requests in the same order', async () => {
    const lines = async (seed: number): Promise<string[]> => {
      const demo = new DemoService({ seed, dir: parent, historyMs: 4000, deployAfterMs: 60_000 })
      const info = await demo.start()
      await demo.stopTraffic()
      const text = await readFile(info.accessLog, 'utf8')
      await demo.stop()
      // Times follow the clock; everything else follows the seed.
      return text.split('\n').slice(0, 80).map((l) => l.replace(/\[[^\]]+\]/, '[]'))
    }
    const [a, b, c] = [await lines(42), await lines(42), await lines(43)]
    expect(a).toHaveLength(80)
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
  })

  it('refuses nonsense options with a message naming the option', () => {
    expect(() => new DemoService({ requestsPerSec: 0 })).toThrow('requestsPerSec')
    expect(() => new DemoService({ deployAfterMs: -1 })).toThrow('deployAfterMs')
  })
})
