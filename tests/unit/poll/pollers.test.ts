import { afterEach, describe, expect, it } from 'vitest'
import {
  DeployPoller,
  HealthPoller,
  PollLoop,
  backoffCapMs,
  nextDelayMs,
  type DeployChange,
  type DeployObservation,
  type HealthPollerState
} from '../../../electron/collect/poll'
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'
import { closedPort, json, startServer, waitFor, type TestServer } from './servers'

const servers: TestServer[] = []
const stoppers: { stop(): void }[] = []
const serve = async (...args: Parameters<typeof startServer>): Promise<TestServer> => {
  const server = await startServer(...args)
  servers.push(server)
  return server
}
afterEach(async () => {
  stoppers.splice(0).forEach((p) => p.stop())
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
const noJitter = (): number => 0.5

describe('nextDelayMs', () => {
  it('keeps the interval after one failure, then doubles up to 4× (at most 5 minutes)', () => {
    expect([0, 1, 2, 3, 4, 9].map((f) => nextDelayMs(15_000, f, noJitter))).toEqual([15_000, 15_000, 30_000, 60_000, 60_000, 60_000])
    expect(nextDelayMs(120_000, 9, noJitter)).toBe(300_000)
    expect(backoffCapMs(600_000)).toBe(600_000)
  })

  it('jitters by ±10%', () => {
    expect(nextDelayMs(10_000, 0, () => 0)).toBe(9_000)
    expect(nextDelayMs(10_000, 0, () => 0.999999)).toBe(11_000)
    const delays = Array.from({ length: 200 }, () => nextDelayMs(10_000, 0))
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(9_000)
    expect(Math.max(...delays)).toBeLessThanOrEqual(11_000)
    expect(new Set(delays).size).toBeGreaterThan(10)
  })
})

describe('PollLoop', () => {
  it('counts a poll that throws as a failure, hands the error over and keeps polling', async () => {
    const errors: unknown[] = []
    let calls = 0
    const loop = new PollLoop({
      intervalMs: 5,
      random: noJitter,
      poll: async () => {
        calls++
        throw new Error(`bug ${calls}`)
      },
      onError: (err) => errors.push(err)
    })
    stoppers.push(loop)
    loop.start()
    await waitFor(() => calls >= 3, 'three polls')
    loop.stop()
    expect(loop.consecutiveFailures).toBeGreaterThanOrEqual(2)
    expect((errors[0] as Error).message).toBe('bug 1')
  })
})

describe('DeployPoller', () => {
  it('reports the first version as first seen and a change as exactly one deploy event', async () => {
    const script: (string | number)[] = ['1.0', '1.0', 500, '2.0']
    const server = await serve((req, res) => {
      const step = script[Math.min(server.requests.length - 1, script.length - 1)]
      if (typeof step === 'number') json(step, { error: 'busy' })(req, res)
      else json(200, { version: step, commit: `c-${step}`, source: 'https://example.com/repo' })(req, res)
    })
    const deploys: DeployEvent[] = []
    const observed: [DeployObservation, DeployChange][] = []
    const poller = new DeployPoller(
      { name: 'web', url: `${server.origin}/__version__`, intervalMs: 20 },
      { onDeploy: (event) => deploys.push(event), onObserved: (obs, change) => observed.push([obs, change]) },
      { random: noJitter }
    )
    stoppers.push(poller)
    poller.start()
    await waitFor(() => observed.length >= 6, 'six successful deploy polls')
    poller.stop()
    expect(deploys).toHaveLength(1)
    expect(deploys[0]).toMatchObject({ version: '2.0', commit: 'c-2.0', source: 'web' })
    const kinds = observed.map(([, change]) => change.kind)
    expect(kinds.slice(0, 3)).toEqual(['first-seen', 'unchanged', 'changed'])
    expect(kinds.slice(3).every((k) => k === 'unchanged')).toBe(true)
    expect(observed[2][1].previousVersion).toBe('1.0')
    // No deploy time from Dockerflow: the event is at the poll that first saw 2.0.
    expect(deploys[0].at).toBe(observed[2][0].observedAt)
    expect(poller.state).toMatchObject({ version: '2.0', commit: 'c-2.0', since: deploys[0].at, running: false, lastError: null })
  })

  it('keeps the last error and counts failures without inventing deploys', async () => {
    const server = await serve(json(200, { unrelated: true }))
    const states: string[] = []
    const poller = new DeployPoller(
      { name: 'x', url: server.origin, intervalMs: 10 },
      { onDeploy: () => states.push('deploy'), onState: (s) => s.lastError && states.push(s.lastError) },
      { random: noJitter }
    )
    stoppers.push(poller)
    poller.start()
    await waitFor(() => poller.state.consecutiveFailures >= 2, 'two failed polls')
    poller.stop()
    expect(states).not.toContain('deploy')
    expect(poller.state.lastError).toMatch(/^not a known deploy answer/)
    expect(poller.state.version).toBeNull()
  })
})

describe('HealthPoller', () => {
  it('never runs two polls of one target at once, even with a slow server and a short interval', async () => {
    const server = await serve((req, res) => {
      const timer = setTimeout(() => json(200, { status: 'UP' })(req, res), 80)
      res.on('close', () => clearTimeout(timer))
    })
    const samples: HealthSample[] = []
    const poller = new HealthPoller({ name: 'slow', url: server.origin, intervalMs: 5, timeoutMs: 2000 }, { onSample: (s) => samples.push(s) })
    stoppers.push(poller)
    poller.start()
    // A refresh while a poll is in flight joins it rather than starting another.
    await Promise.all([poller.pollNow(), poller.pollNow()])
    await waitFor(() => samples.length >= 4, 'four samples')
    poller.stop()
    expect(server.maxOpen).toBe(1)
    expect(samples.every((s) => s.ok)).toBe(true)
  })

  it('backs off on repeated failures and returns to the interval after a success', async () => {
    let refuse = true
    const server = await serve((req, res) => {
      if (refuse) req.socket.destroy()
      else json(200, { status: 'UP' })(req, res)
    })
    const delays: { failures: number; delay: number }[] = []
    const poller = new HealthPoller(
      { name: 'flaky', url: server.origin, intervalMs: 30 },
      {
        onState: (s: HealthPollerState) => {
          if (s.nextPollAt !== null && s.lastPollAt !== null) delays.push({ failures: s.consecutiveFailures, delay: s.nextPollAt - Date.now() })
        }
      },
      { random: noJitter }
    )
    stoppers.push(poller)
    poller.start()
    await waitFor(() => poller.state.consecutiveFailures >= 4, 'four failures in a row')
    expect(poller.state.lastError).toBe('connection closed by the server before a full response')
    refuse = false
    await waitFor(() => poller.state.ok === true, 'a successful poll')
    const successDelay = poller.state.nextPollAt! - Date.now()
    poller.stop()
    const byFailures = new Map(delays.map((d) => [d.failures, d.delay]))
    expect(byFailures.get(1)).toBeLessThanOrEqual(30)
    expect(byFailures.get(2)).toBeGreaterThan(45)
    expect(byFailures.get(2)).toBeLessThanOrEqual(60)
    expect(byFailures.get(3)).toBeGreaterThan(100)
    expect(byFailures.get(3)).toBeLessThanOrEqual(120)
    expect(byFailures.get(4)).toBeLessThanOrEqual(120)
    expect(successDelay).toBeLessThanOrEqual(30)
    expect(poller.state.consecutiveFailures).toBe(0)
    // The gaps the server actually saw grow too.
    const times = server.requests.map((r) => r.at)
    expect(times[3] - times[2]).toBeGreaterThan(times[1] - times[0] + 30)
  })

  it('does not back off when the target answers DOWN (the poll worked)', async () => {
    const server = await serve(json(503, { status: 'DOWN', components: { db: { status: 'DOWN' } } }))
    const samples: HealthSample[] = []
    const poller = new HealthPoller({ name: 'down', url: server.origin, intervalMs: 10 }, { onSample: (s) => samples.push(s) }, { random: noJitter })
    stoppers.push(poller)
    poller.start()
    await waitFor(() => samples.length >= 3, 'three samples')
    poller.stop()
    expect(poller.state).toMatchObject({ ok: false, status: 503, consecutiveFailures: 0, lastError: 'status DOWN (HTTP 503); failing: db (DOWN)' })
  })

  it('stop() cancels the request in flight and the timer, and reports nothing for it', async () => {
    const server = await serve(() => {})
    const samples: HealthSample[] = []
    const states: HealthPollerState[] = []
    const poller = new HealthPoller(
      { name: 'hang', url: server.origin, intervalMs: 10, timeoutMs: 20_000 },
      { onSample: (s) => samples.push(s), onState: (s) => states.push(s) }
    )
    stoppers.push(poller)
    poller.start()
    await waitFor(() => server.requests.length === 1, 'the request to arrive')
    poller.stop()
    await waitFor(() => server.closedConnections === 1, 'the connection to close')
    expect(samples).toEqual([])
    expect(poller.state).toMatchObject({ running: false, nextPollAt: null })
    expect(states.at(-1)?.running).toBe(false)
    // Restarting after a stop polls again at once.
    poller.start()
    await waitFor(() => server.requests.length === 2, 'a new request after restart')
    poller.stop()
  })

  it('keeps credentials out of its state, string form and samples', async () => {
    const port = await closedPort()
    const samples: HealthSample[] = []
    const poller = new HealthPoller(
      { name: 'secret', url: `http://ops:pw-hunter2@127.0.0.1:${port}/health`, intervalMs: 10, headers: { Authorization: 'Bearer tok-hunter2' } },
      { onSample: (s) => samples.push(s) }
    )
    stoppers.push(poller)
    poller.start()
    await waitFor(() => samples.length >= 1, 'one sample')
    poller.stop()
    const shown = [String(poller), JSON.stringify(poller), JSON.stringify(samples)].join('\n')
    expect(shown).toContain(`http://127.0.0.1:${port}/health`)
    expect(shown).not.toMatch(/hunter2/)
    expect(samples[0]).toMatchObject({ target: 'secret', ok: false, error: 'connection refused' })
  })
})
