import { afterEach, describe, expect, it } from 'vitest'
import { DeployTracker, PollError, parseDeployMapping, pollDeployOnce, readDeployDocument, type DeployObservation } from '../../../electron/collect/poll'
import { closedPort, fixtureText, json, startServer, type TestServer } from './servers'

const servers: TestServer[] = []
const serve = async (...args: Parameters<typeof startServer>): Promise<TestServer> => {
  const server = await startServer(...args)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const ms = (iso: string): number => Date.parse(iso)

describe('pollDeployOnce: shapes', () => {
  it('reads Spring Boot /actuator/info (build.version, build.time, git.commit.id)', async () => {
    const server = await serve(json(200, fixtureText('actuator-info.json'), 'application/vnd.spring-boot.actuator.v3+json'))
    const obs = await pollDeployOnce({ name: 'orders', url: `${server.origin}/actuator/info` })
    expect(obs).toMatchObject({ shape: 'spring-boot-info', version: '2.14.0', at: ms('2024-05-01T11:48:02.114Z'), atKind: 'built', commit: 'e5c7d2a' })
  })

  it('reads /actuator/info with only full git info ({id: {abbrev, full}})', async () => {
    const server = await serve(json(200, fixtureText('actuator-info-git-full.json')))
    const obs = await pollDeployOnce({ name: 'orders', url: server.origin })
    expect(obs).toMatchObject({
      version: 'e5c7d2a1f0b7c9d8e6a5b4c3d2e1f0a9b8c7d6e5',
      commit: 'e5c7d2a1f0b7c9d8e6a5b4c3d2e1f0a9b8c7d6e5',
      at: ms('2024-05-01T11:40:00Z'),
      atKind: 'committed'
    })
  })

  it('reads Dockerflow /__version__', async () => {
    const server = await serve(json(200, fixtureText('dockerflow-version.json')))
    const obs = await pollDeployOnce({ name: 'web', url: `${server.origin}/__version__` })
    expect(obs).toMatchObject({ shape: 'dockerflow', version: 'v3.7.1', commit: '9f1b2c3d4e5f60718293a4b5c6d7e8f901234567', at: null, atKind: null })
  })

  it('reads an Argo CD application: the newest history entry and its deployedAt', async () => {
    const server = await serve(json(200, fixtureText('argocd-application.json')))
    const obs = await pollDeployOnce({ name: 'orders', url: `${server.origin}/api/v1/applications/orders`, headers: { Authorization: 'Bearer argo' } })
    expect(obs).toMatchObject({
      shape: 'argocd',
      version: '8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d',
      commit: '8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d',
      at: ms('2024-05-01T12:02:11Z'),
      atKind: 'deployed'
    })
    expect(server.requests[0].headers.authorization).toBe('Bearer argo')
  })

  it('falls back to the Argo CD sync revision and operation finish time without history', () => {
    const doc = { kind: 'Application', status: { sync: { revision: '1.4.2', status: 'Synced' }, operationState: { finishedAt: '2024-05-01T12:00:00Z' } } }
    expect(readDeployDocument(doc)).toMatchObject({ shape: 'argocd', version: '1.4.2', at: ms('2024-05-01T12:00:00Z'), atKind: 'deployed', commit: null })
  })

  it('reads the GitHub deployments list (newest first), optionally for one environment', async () => {
    const server = await serve(json(200, fixtureText('github-deployments.json')))
    const url = `${server.origin}/repos/example/orders/deployments`
    expect(await pollDeployOnce({ name: 'gh', url })).toMatchObject({
      shape: 'github-deployments',
      version: 'v2.15.0',
      commit: 'a84d88e7554fc1fa21bcbc4efae3c782a70d2b9d',
      at: ms('2024-05-01T12:00:00Z'),
      atKind: 'deployed'
    })
    // A branch ref is not a version: the sha names what is live.
    expect(await pollDeployOnce({ name: 'gh', url, environment: 'staging' })).toMatchObject({
      version: 'c0ffee00c0ffee00c0ffee00c0ffee00c0ffee00',
      at: ms('2024-05-01T11:30:00Z')
    })
    await expect(pollDeployOnce({ name: 'gh', url, environment: 'qa' })).rejects.toThrow(
      'GitHub deployments: none for environment "qa" (listed: production, staging)'
    )
  })

  it('reads a single GitHub deployment object', () => {
    const one = (JSON.parse(fixtureText('github-deployments.json')) as unknown[])[2]
    expect(readDeployDocument(one)).toMatchObject({ version: 'v2.14.0', at: ms('2024-04-28T09:00:00Z') })
  })

  it('reads a generic endpoint through a field mapping (epoch ms time)', async () => {
    const server = await serve(json(200, fixtureText('generic-release.json')))
    const mapping = parseDeployMapping('version=release.tag, at=release.rolledOutAt, commit=release.git.sha')
    const obs = await pollDeployOnce({ name: 'payments', url: server.origin, mapping })
    expect(obs).toMatchObject({ shape: 'mapping', version: '2024.05.01-3', at: 1714564800000, atKind: 'deployed', commit: '0a1b2c3d' })
  })

  it('explains a mapping that does not match', () => {
    const doc = JSON.parse(fixtureText('generic-release.json')) as unknown
    expect(() => readDeployDocument(doc, { mapping: { version: 'release.version' } })).toThrow(
      'mapping: "release.version" is not a version (missing, empty or not text) in the response'
    )
    expect(() => readDeployDocument(doc, { mapping: { version: 'release.tag', at: 'service' } })).toThrow('"service" is not a time ("payments")')
    expect(() => parseDeployMapping('at=x')).toThrow('mapping needs version=PATH')
    expect(() => parseDeployMapping('version=a,when=b')).toThrow('mapping "when=b" must be version=PATH, at=PATH or commit=PATH')
  })

  it('says clearly when no shape fits and no mapping was given', async () => {
    const server = await serve(json(200, { service: 'x', uptime: 5 }))
    await expect(pollDeployOnce({ name: 'x', url: server.origin })).rejects.toThrow(
      /^not a known deploy answer \(Spring Boot \/actuator\/info, Dockerflow \/__version__, an Argo CD application, GitHub deployments\); got top-level keys: service, uptime: give a field mapping \(version=PATH\)$/
    )
  })

  it('fails with the HTTP status, not JSON, and transport errors in words', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/500') json(500, { error: 'boom' })(req, res)
      else json(200, '<html>not json</html>', 'text/html')(req, res)
    })
    await expect(pollDeployOnce({ name: 'x', url: `${server.origin}/500` })).rejects.toThrow(new PollError('http', 'HTTP 500'))
    await expect(pollDeployOnce({ name: 'x', url: `${server.origin}/html` })).rejects.toThrow(/^unreadable response: not JSON \(/)
    const port = await closedPort()
    await expect(pollDeployOnce({ name: 'x', url: `http://127.0.0.1:${port}/` })).rejects.toThrow('connection refused')
  })

  it('rejects an invalid time in a known shape, naming the field', () => {
    expect(() => readDeployDocument({ build: { version: '1.0', time: 'soon' } })).toThrow('"build.time" is not a time ("soon")')
  })
})

describe('DeployTracker', () => {
  const observation = (version: string, observedAt: number, extra: Partial<DeployObservation> = {}): DeployObservation => ({
    version,
    observedAt,
    at: null,
    atKind: null,
    commit: null,
    shape: 'dockerflow',
    ...extra
  })

  it('first poll establishes the version; a change is exactly one event at the poll that saw it', () => {
    const tracker = new DeployTracker('web')
    expect(tracker.observe(observation('1.0', 1000))).toEqual({ kind: 'first-seen', previousVersion: null, deploy: null })
    expect(tracker.observe(observation('1.0', 2000)).kind).toBe('unchanged')
    const change = tracker.observe(observation('1.1', 3000))
    expect(change).toEqual({ kind: 'changed', previousVersion: '1.0', deploy: { version: '1.1', at: 3000, commit: null, source: 'web', origin: 'endpoint' } })
    expect(tracker.observe(observation('1.1', 4000)).kind).toBe('unchanged')
    expect(tracker.live).toEqual({ version: '1.1', commit: null, since: 3000 })
  })

  it("uses the endpoint's deploy time, but never before the last poll that saw the old version", () => {
    const tracker = new DeployTracker('argo')
    const first = tracker.observe(observation('a', 10_000, { at: 5_000, atKind: 'deployed' }))
    expect(first.deploy).toEqual({ version: 'a', at: 5_000, commit: null, source: 'argo', origin: 'endpoint' })
    expect(tracker.observe(observation('b', 30_000, { at: 25_000, atKind: 'deployed' })).deploy?.at).toBe(25_000)
    expect(tracker.observe(observation('c', 50_000, { at: 20_000, atKind: 'deployed' })).deploy?.at).toBe(30_001)
  })

  it('does not take a build time for a deploy time', () => {
    const tracker = new DeployTracker('info')
    expect(tracker.observe(observation('1', 1000, { at: 10, atKind: 'built' })).deploy).toBeNull()
    expect(tracker.observe(observation('2', 2000, { at: 1500, atKind: 'built' })).deploy?.at).toBe(2000)
  })

  it('counts a new commit under the same version (a rebuilt SNAPSHOT) as a deploy', () => {
    const tracker = new DeployTracker('info')
    tracker.observe(observation('0.0.1-SNAPSHOT', 1000, { commit: 'aaa1111' }))
    const change = tracker.observe(observation('0.0.1-SNAPSHOT', 2000, { commit: 'bbb2222' }))
    expect(change.kind).toBe('changed')
    expect(change.deploy).toMatchObject({ version: '0.0.1-SNAPSHOT', commit: 'bbb2222', at: 2000 })
  })
})
