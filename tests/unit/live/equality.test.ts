/**
 * The live path (a whole-file read, then a tail continuing its aggregate in place) analyses to
 * exactly what a one-shot read of the same final files gives: same verdict, counts and groups.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { analyzeOnce } from '../../../electron/session/one-shot'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-live-eq-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number): string => String(n).padStart(2, '0')
const clf = (ms: number): string => {
  const d = new Date(ms)
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}
const stamp = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
const START = Date.UTC(2026, 9, 10, 13, 0, 0)

/** nginx lines, one per 2 s; from `failFrom` on, every 4th request to /api/checkout is a 500. */
function accessLines(from: number, to: number, failFrom: number): string {
  const out: string[] = []
  for (let i = from; i < to; i++) {
    const t = START + i * 2000
    const checkout = i % 3 === 0
    const status = checkout && i >= failFrom && i % 4 === 0 ? 500 : 200
    out.push(`10.0.${i % 7}.${i % 50} - - [${clf(t)}] "${checkout ? 'POST /api/checkout' : `GET /api/items/${i % 40}`} HTTP/1.1" ${status} ${status === 500 ? 157 : 1200} "-" "Mozilla/5.0 (X11; Linux x86_64)"`)
  }
  return out.join('\n') + '\n'
}

/** Spring Boot lines: an INFO a minute, and a stack trace for every failing checkout. */
function appLines(from: number, to: number, failFrom: number): string {
  let out = ''
  for (let i = from; i < to; i++) {
    const t = START + i * 2000
    if (i % 30 === 0) out += `${stamp(t)}  INFO 2114 --- [nio-8080-exec-1] c.e.shop.CheckoutController              : checkout queue depth ${i % 9}\n`
    if (i % 3 === 0 && i >= failFrom && i % 4 === 0)
      out +=
        `${stamp(t + 5)} ERROR 2114 --- [nio-8080-exec-2] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception\n` +
        'java.lang.NullPointerException: Cannot invoke "com.example.shop.Cart.total()" because "cart" is null\n' +
        '\tat com.example.shop.CheckoutService.charge(CheckoutService.java:42) ~[classes/:na]\n'
  }
  return out
}

describe('live analysis equals a one-shot read of the same lines', () => {
  it('after a read and three appended batches: same verdict, counts, timeline and groups', async () => {
    const access = path.join(dir, 'access.log')
    const app = path.join(dir, 'app.log')
    const FAIL_FROM = 1500
    await writeFile(access, accessLines(0, 1200, FAIL_FROM))
    await writeFile(app, appLines(0, 1200, FAIL_FROM))
    const live = new SessionService({ clock: 'evidence' })
    try {
      await live.addSource({ path: access })
      await live.addSource({ path: app })
      await live.idle()
      const batches: [number, number][] = [
        [1200, 1400],
        [1400, 1700],
        [1700, 1900]
      ]
      for (const [a, b] of batches) {
        await appendFile(access, accessLines(a, b, FAIL_FROM))
        await appendFile(app, appLines(a, b, FAIL_FROM))
        await expect.poll(async () => (await live.getSnapshot({})).sources.find((s) => s.path === access)?.lines, { timeout: 10_000 }).toBe(b)
      }
      const appLineCount = appLines(0, 1900, FAIL_FROM).split('\n').length - 1
      await expect.poll(async () => (await live.getSnapshot({})).sources.find((s) => s.path === app)?.lines, { timeout: 10_000 }).toBe(appLineCount)
      // The last stack trace is closed by the quiet flush: wait until every error event is in.
      const once = await analyzeOnce({ paths: [access, app], format: null, fieldMap: null, deploys: [], health: [] })
      await expect.poll(async () => (await live.getAnalysis({}))?.v1.errorGroups.reduce((n, g) => n + g.count, 0), { timeout: 10_000 }).toBe(once.snapshot.v1.errorGroups.reduce((n, g) => n + g.count, 0))
      const got = await live.getAnalysis({})
      expect(once.snapshot.v1.verdict).not.toBeNull()
      expect(once.snapshot.v1.verdict?.playbook).not.toBe('none')
      expect(once.snapshot.v1.errorGroups.length).toBeGreaterThan(0)
      expect(got?.v1.verdict).toEqual(once.snapshot.v1.verdict)
      expect(got?.v1.requests).toBe(once.snapshot.v1.requests)
      expect(got?.v1.statusCounts).toEqual(once.snapshot.v1.statusCounts)
      expect(got?.v1.errorGroups).toEqual(once.snapshot.v1.errorGroups)
      expect(got?.v1.endpoint).toEqual(once.snapshot.v1.endpoint)
      expect(got?.timeline).toEqual(once.snapshot.timeline)
      expect(got?.v1).toEqual(once.snapshot.v1)
    } finally {
      await live.close()
    }
  })
})
