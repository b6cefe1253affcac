/**
 * Health endpoints only: Actuator says `db` is DOWN (HTTP 503) with its own error words, and no
 * logs were given. The verdict is a dependency, trusted less, in the check's own words; never
 * the all-clear. `probe` shows those words too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { pollHealthOnce } from '../../../electron/collect/poll'
import { runProbe } from '../../../electron/cli/commands/probe'
import type { HealthSample } from '../../../shared/model/evidence'
import { startServer, type TestServer } from '../poll/servers'
import { analyzeFiles, springTime } from './judgement-run'

const T0 = Date.parse('2026-03-14T13:30:00Z')
const PG_REFUSED = 'Connection to pg-main:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.'

/** Spring Boot 3 Actuator `/actuator/health` with `show-details: always`, as it answers when PostgreSQL refuses. */
const ACTUATOR_DOWN = {
  status: 'DOWN',
  components: {
    db: { status: 'DOWN', details: { error: `org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is org.postgresql.util.PSQLException: ${PG_REFUSED}` } },
    diskSpace: { status: 'UP', details: { total: 62671097856, free: 41287766016, threshold: 10485760, path: '/app/.', exists: true } },
    livenessState: { status: 'UP' },
    ping: { status: 'UP' },
    readinessState: { status: 'UP' }
  }
}
const ACTUATOR_UP = {
  status: 'UP',
  components: {
    db: { status: 'UP', details: { database: 'PostgreSQL', validationQuery: 'isValid()' } },
    diskSpace: { status: 'UP', details: { total: 62671097856, free: 41287766016, threshold: 10485760, path: '/app/.', exists: true } },
    ping: { status: 'UP' }
  }
}

const servers: TestServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** An Actuator that is healthy for the first `up` polls, then answers 503 DOWN. */
async function actuator(up: number): Promise<TestServer> {
  let polls = 0
  const server = await startServer((_req, res) => {
    const down = polls++ >= up
    res.writeHead(down ? 503 : 200, { 'content-type': 'application/vnd.spring-boot.actuator.v3+json' })
    res.end(JSON.stringify(down ? ACTUATOR_DOWN : ACTUATOR_UP))
  })
  servers.push(server)
  return server
}

/** Polls for real, then places the samples 30 s apart as a session's poller would have recorded them. */
async function pollSeries(url: string, n: number): Promise<HealthSample[]> {
  const out: HealthSample[] = []
  for (let i = 0; i < n; i++) out.push({ ...(await pollHealthOnce({ name: 'orders', url })), at: T0 + i * 30_000 })
  return out
}

describe('health-only evidence with a DOWN dependency', () => {
  it('is a dependency finding, at lower confidence, quoting the health body’s own error words', async () => {
    const server = await actuator(4)
    const health = await pollSeries(`${server.origin}/actuator/health`, 16)
    expect(health[5].components.find((c) => c.name === 'db')?.detail).toContain(PG_REFUSED)

    const { snapshot, runbook } = await analyzeFiles({}, { health })
    const v1 = snapshot.v1
    expect(v1.verdict?.playbook).toBe('dependency')
    expect(v1.verdict?.playbook).not.toBe('none')
    expect(v1.verdict?.confidence).toBeLessThan(0.6)
    expect(v1.verdict?.reasons[0]).toContain('orders/db')
    expect(v1.verdict?.reasons[0]).toContain('Connection to pg-main:5432 refused')
    expect(v1.verdict?.reasons.join(' ')).toMatch(/No request or error logs/)
    expect(v1.dependency).toMatchObject({ target: 'orders/db', to: null, health: { target: 'orders', component: 'db' } })
    expect(v1.dependency?.health?.detail).toContain('Connection to pg-main:5432 refused')
    expect(runbook.steps.find((s) => s.id === 'dependency-health')?.evidence.join('\n')).toContain('Connection to pg-main:5432 refused')
  })

  it('still says dependency, less sure, when the logs read show no 5xx while the check is down', async () => {
    const server = await actuator(2)
    const health = await pollSeries(`${server.origin}/actuator/health`, 16)
    // An app log of routine INFO lines over the same minutes: nothing failing in it.
    const log = Array.from({ length: 40 }, (_, i) => `${springTime(T0 + i * 12_000)}  INFO 1 --- [nio-8080-exec-${1 + (i % 9)}] c.e.orders.WarehouseSync                 : Synced ${10 + (i % 7)} stock levels from warehouse-eu in ${80 + (i % 13)} ms`).join('\n') + '\n'
    const { snapshot } = await analyzeFiles({ 'orders.log': log }, { health })
    expect(snapshot.v1.verdict?.playbook).toBe('dependency')
    expect(snapshot.v1.verdict?.confidence).toBeLessThan(0.5)
    expect(snapshot.v1.verdict?.reasons.join(' ')).toContain('Connection to pg-main:5432 refused')
  })

  it('lets logs that read fine clear a check that was down and has recovered', async () => {
    let polls = 0
    const server = await startServer((_req, res) => {
      const down = polls++ === 3
      res.writeHead(down ? 503 : 200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(down ? ACTUATOR_DOWN : ACTUATOR_UP))
    })
    servers.push(server)
    const health = await pollSeries(`${server.origin}/actuator/health`, 16)
    const log = Array.from({ length: 40 }, (_, i) => `${springTime(T0 + i * 12_000)}  INFO 1 --- [   scheduling-1] c.e.orders.WarehouseSync                 : Synced ${10 + (i % 7)} stock levels from warehouse-eu in ${80 + (i % 13)} ms`).join('\n') + '\n'
    const { snapshot } = await analyzeFiles({ 'orders.log': log }, { health })
    expect(snapshot.v1.verdict?.playbook).toBe('none')
  })

  it('probe shows the check’s words: in error, per component in JSON, and in the summary', async () => {
    const server = await actuator(0)
    const io = { out: '', err: '', cwd: process.cwd(), stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
    expect(await runProbe(['--kind', 'health', '--format', 'json', `${server.origin}/actuator/health`], io)).toBe(0)
    const printed = JSON.parse(io.out) as { error: string; components: { name: string; ok: boolean; status: string; detail?: string }[] }
    expect(printed.error).toContain(`failing: db (DOWN: org.springframework.jdbc.CannotGetJdbcConnectionException`)
    expect(printed.error).toContain(PG_REFUSED)
    expect(printed.components.find((c) => c.name === 'db')).toMatchObject({ ok: false, status: 'DOWN', detail: expect.stringContaining(PG_REFUSED) })
    // A healthy component's details are measurements, not error words.
    expect(printed.components.find((c) => c.name === 'diskSpace')).toEqual({ name: 'diskSpace', ok: true, status: 'UP' })
    const text = { ...io, out: '' }
    text.stdout = (t: string) => void (text.out += t)
    expect(await runProbe(['--kind', 'health', `${server.origin}/actuator/health`], text)).toBe(0)
    expect(text.out).toMatch(/FAILED {2}db {2}DOWN {2}org\.springframework.*Connection to pg-main:5432 refused/)
  })
})
