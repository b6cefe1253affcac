import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { DEMO_DEPLOY_TARGET, startDemoInSession } from '../../../electron/demo'
import { parseLog, waitFor } from './support'

let parent: string
beforeAll(async () => {
  parent = await mkdtemp(path.join(os.tmpdir(), 'triage500-demo-session-'))
})
afterAll(async () => {
  await rm(parent, { recursive: true, force: true })
})

describe('startDemoInSession', () => {
  it('hands the demo to the session as files to tail and endpoints to poll', async () => {
    const session = new SessionService()
    const { demo, info } = await startDemoInSession(session, { deployAfterMs: 1500, trafficShiftAfterMs: 1500, historyMs: 3000, dir: parent })
    try {
      const tailing = await waitFor('both sources read, detected and tailing', async () => {
        const { sources } = await session.getSnapshot({})
        return sources.length === 2 && sources.every((s) => s.state === 'tailing') ? sources : null
      })
      expect(Object.fromEntries(tailing.map((s) => [s.path, s.format]))).toEqual({ [info.accessLog]: 'nginx-combined', [info.appLog]: 'json-app' })
      const linesAtFirst = tailing.reduce((n, s) => n + s.lines, 0)
      await waitFor('the tail to pick up new lines', async () => {
        const { sources } = await session.getSnapshot({})
        return sources.reduce((n, s) => n + s.lines, 0) > linesAtFirst + 50 && sources.every((s) => s.unparsed === 0)
      })

      const deploy = await waitFor('the deploy poller to see the new release', () => session.targets.deploys.find((d) => d.version === info.newVersion))
      expect(session.targets.deploys).toHaveLength(1)
      expect(deploy).toMatchObject({ source: DEMO_DEPLOY_TARGET, version: 'v2.14.0' })
      expect(deploy.commit).toMatch(/^[0-9a-f]{40}$/)

      const health = await waitFor('health samples', () => (session.targets.healthSamples.length > 0 ? session.targets.healthSamples : null))
      expect(health.every((h) => h.ok)).toBe(true)
      expect(health[0].components.map((c) => c.name)).toEqual(expect.arrayContaining(['db', 'redis', 'payments-api']))

      // The deploy is on record before the first failure it causes: the evidence reads in order.
      const firstTypeError = await waitFor('the first TypeError', async () => (await parseLog(info.appLog)).appEvents.find((e) => e.errorType === 'TypeError'))
      expect(deploy.at).toBeLessThan(firstTypeError.time ?? 0)

      const { targets } = await session.getSnapshot({})
      expect(targets.map((t) => [t.kind, t.url])).toEqual([
        ['health', info.healthUrl],
        ['deploy', info.versionUrl]
      ])
    } finally {
      await session.close()
      await demo.stop()
    }
    expect(existsSync(info.dir)).toBe(false)
  })

  it('stops the demo when the session refuses it', async () => {
    const session = new SessionService()
    await session.addTarget({ kind: 'deploy', name: DEMO_DEPLOY_TARGET, url: 'http://127.0.0.1:9/__version__', intervalMs: 60_000 })
    try {
      await expect(startDemoInSession(session, { dir: parent, historyMs: 500 })).rejects.toThrow('exists already')
    } finally {
      await session.close()
    }
    expect((await readdir(parent)).filter((n) => n.startsWith('triage500-demo-'))).toEqual([])
  })
})
