import { afterEach, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import zlib from 'node:zlib'
import net, { type AddressInfo, type Socket } from 'node:net'
import { pollHealthOnce, PollTargetError } from '../../../electron/collect/poll'
import { closedPort, fixture, fixtureText, json, startServer, type TestServer } from './servers'

const servers: TestServer[] = []
const serve = async (...args: Parameters<typeof startServer>): Promise<TestServer> => {
  const server = await startServer(...args)
  servers.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

const SECRET = 'Bearer s3cr3t-t0ken-value'

describe('pollHealthOnce: response shapes', () => {
  it('reads Spring Boot Actuator UP with nested components flattened', async () => {
    const server = await serve(json(200, fixtureText('actuator-health-up.json'), 'application/vnd.spring-boot.actuator.v3+json'))
    const sample = await pollHealthOnce({ name: 'orders', url: `${server.origin}/actuator/health` })
    expect(sample).toMatchObject({ target: 'orders', ok: true, status: 200, error: null })
    expect(sample.latencyMs).toBeGreaterThanOrEqual(0)
    expect(sample.components).toEqual([
      { name: 'db', ok: true, status: 'UP' },
      { name: 'diskSpace', ok: true, status: 'UP' },
      { name: 'discoveryComposite/discoveryClient', ok: true, status: 'UP' },
      { name: 'discoveryComposite/eureka', ok: true, status: 'UP' },
      { name: 'ping', ok: true, status: 'UP' },
      { name: 'redis', ok: true, status: 'UP' }
    ])
  })

  it('reads the DOWN body of an Actuator 503 instead of only failing on the status', async () => {
    const server = await serve(json(503, fixtureText('actuator-health-down.json')))
    const sample = await pollHealthOnce({ name: 'orders', url: `${server.origin}/actuator/health` })
    expect(sample.ok).toBe(false)
    expect(sample.status).toBe(503)
    // The check's own words (Actuator `details.error`) say why db is down.
    const dbError = 'org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; HikariPool-1 - Connection is not available, request timed out after 30000ms.'
    expect(sample.error).toBe(`status DOWN (HTTP 503); failing: db (DOWN: ${dbError}), redis (OUT_OF_SERVICE)`)
    expect(sample.components[0]).toEqual({ name: 'db', ok: false, status: 'DOWN', detail: dbError })
    expect(sample.components.filter((c) => !c.ok).map((c) => c.name)).toEqual(['db', 'redis'])
    expect(sample.components).toHaveLength(6)
  })

  it('reads Spring Boot 2.0/2.1 health with components under "details"', async () => {
    const body = { status: 'UP', details: { db: { status: 'UP', details: { database: 'H2' } }, diskSpace: { status: 'UP', details: { total: 1, free: 1 } } } }
    const server = await serve(json(200, body))
    const sample = await pollHealthOnce({ name: 'legacy', url: server.origin })
    expect(sample.components.map((c) => c.name)).toEqual(['db', 'diskSpace'])
    expect(sample.ok).toBe(true)
  })

  it('treats an Actuator UNKNOWN status as not ok', async () => {
    const server = await serve(json(200, { status: 'UNKNOWN' }))
    const sample = await pollHealthOnce({ name: 'x', url: server.origin })
    expect(sample).toMatchObject({ ok: false, status: 200, error: 'status UNKNOWN', components: [] })
  })

  it('reads application/health+json checks per component and measurement', async () => {
    const server = await serve(json(503, fixtureText('health-json-fail.json'), 'application/health+json'))
    const sample = await pollHealthOnce({ name: 'authz', url: `${server.origin}/health` })
    expect(sample.ok).toBe(false)
    expect(sample.components).toEqual([
      { name: 'cassandra:responseTime/dfd6cf2b-1b6e-4412-a0b8-f6f7797a60d2', ok: true, status: 'pass' },
      { name: 'cassandra:responseTime/6fd416e0-8920-410f-9c7b-c479000f7227', ok: false, status: 'fail', detail: 'response time over 1 s' },
      { name: 'memory:utilization', ok: true, status: 'warn' },
      { name: 'uptime', ok: false, status: 'fail' }
    ])
    expect(sample.error).toMatch(/^status fail \(HTTP 503\); failing: cassandra:responseTime\/6fd416e0/)
  })

  it('counts health+json "warn" as ok', async () => {
    const server = await serve(json(200, { status: 'warn', checks: { 'disk:utilization': [{ status: 'warn', observedValue: 91 }] } }, 'application/health+json'))
    const sample = await pollHealthOnce({ name: 'x', url: server.origin })
    expect(sample).toMatchObject({ ok: true, error: null, components: [{ name: 'disk:utilization', ok: true, status: 'warn' }] })
  })

  it('reads Kubernetes /readyz?verbose text with a failed check', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(readFileSync(fixture('readyz-failed.txt')))
    })
    const sample = await pollHealthOnce({ name: 'apiserver', url: `${server.origin}/readyz?verbose` })
    expect(sample.ok).toBe(false)
    expect(sample.status).toBe(500)
    expect(sample.error).toBe('readyz check failed: etcd (reason withheld)')
    expect(sample.components).toContainEqual({ name: 'etcd', ok: false, status: 'failed' })
    expect(sample.components).toContainEqual({ name: 'poststarthook/start-kube-apiserver-admission-initializer', ok: true, status: 'ok' })
    expect(sample.components).toHaveLength(6)
    expect(server.requests[0].url).toBe('/readyz?verbose')
  })

  it('reads Kubernetes /livez?verbose text that passed', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(fixtureText('livez-passed.txt'))
    })
    const sample = await pollHealthOnce({ name: 'apiserver', url: `${server.origin}/livez?verbose` })
    expect(sample).toMatchObject({ ok: true, status: 200, error: null })
    expect(sample.components.map((c) => c.name)).toEqual(['ping', 'log', 'etcd', 'poststarthook/generic-apiserver-start-informers'])
  })

  it('judges any other URL by its status code (2xx ok, 500 and 503 not)', async () => {
    const codes = [200, 204, 500, 503]
    const server = await serve((req, res) => {
      res.writeHead(Number(req.url?.slice(1)), { 'content-type': 'text/html' })
      res.end('<html>whatever</html>')
    })
    const samples = await Promise.all(codes.map((code) => pollHealthOnce({ name: 'plain', url: `${server.origin}/${code}` })))
    expect(samples.map((s) => [s.status, s.ok, s.error])).toEqual([
      [200, true, null],
      [204, true, null],
      [500, false, 'HTTP 500'],
      [503, false, 'HTTP 503']
    ])
  })

  it('decodes a gzip body', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' })
      res.end(zlib.gzipSync(JSON.stringify({ status: 'UP', components: { db: { status: 'UP' } } })))
    })
    const sample = await pollHealthOnce({ name: 'gz', url: server.origin })
    expect(sample).toMatchObject({ ok: true, components: [{ name: 'db', ok: true, status: 'UP' }] })
  })
})

describe('pollHealthOnce: failures in words', () => {
  it('reports a slow answer as timed out', async () => {
    const server = await serve((_req, res) => {
      const timer = setTimeout(() => json(200, { status: 'UP' })(_req, res), 2000)
      res.on('close', () => clearTimeout(timer))
    })
    const sample = await pollHealthOnce({ name: 'slow', url: server.origin, timeoutMs: 150 })
    expect(sample).toMatchObject({ ok: false, status: null, error: 'timed out after 150 ms' })
    expect(sample.latencyMs).toBeGreaterThanOrEqual(140)
  })

  it('times out a server that accepts and never answers, and closes the connection', async () => {
    const server = await serve(() => {})
    const sample = await pollHealthOnce({ name: 'hang', url: server.origin, timeoutMs: 150 })
    expect(sample.error).toBe('timed out after 150 ms')
    await expect.poll(() => server.closedConnections).toBe(1)
  })

  it('times out a body that trickles past the deadline (the timeout covers the whole exchange)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"status":')
      const timer = setTimeout(() => res.end('"UP"}'), 2000)
      res.on('close', () => clearTimeout(timer))
    })
    const sample = await pollHealthOnce({ name: 'trickle', url: server.origin, timeoutMs: 200 })
    expect(sample.error).toBe('timed out after 200 ms')
  })

  it('reports connection refused on a closed port', async () => {
    const port = await closedPort()
    const sample = await pollHealthOnce({ name: 'gone', url: `http://127.0.0.1:${port}/health` })
    expect(sample).toMatchObject({ ok: false, status: null, error: 'connection refused', components: [] })
  })

  it('reports a JSON answer that does not parse as unreadable', async () => {
    const server = await serve(json(200, '{"status": "UP", \u0000\u0001 garbage'))
    const sample = await pollHealthOnce({ name: 'garbage', url: server.origin })
    expect(sample.ok).toBe(false)
    expect(sample.status).toBe(200)
    expect(sample.error).toMatch(/^unreadable response: not JSON \(/)
  })

  it('reports a server that does not speak HTTP as unreadable', async () => {
    const sockets = new Set<Socket>()
    const raw = net.createServer((socket) => {
      sockets.add(socket)
      socket.end('SSH-2.0-OpenSSH_9.6\r\n\u0000\u00ff\r\n\r\n')
    })
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = raw.address() as AddressInfo
      const sample = await pollHealthOnce({ name: 'not-http', url: `http://127.0.0.1:${port}/` })
      expect(sample.error).toMatch(/^unreadable response: malformed HTTP \(HPE_/)
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => raw.close(() => resolve()))
    }
  })

  it('refuses a body over 1 MiB, declared or streamed', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 'a')
    const server = await serve((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-type': 'text/plain', 'content-length': big.length })
      else res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(big)
    })
    for (const url of ['/declared', '/chunked']) {
      const sample = await pollHealthOnce({ name: 'big', url: server.origin + url })
      expect(sample).toMatchObject({ ok: false, status: null, error: 'response larger than 1 MB' })
    }
  })

  it('follows a redirect on the same host, keeping the headers', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/health') {
        res.writeHead(302, { location: '/actuator/health' })
        res.end()
      } else json(200, { status: 'UP' })(req, res)
    })
    const sample = await pollHealthOnce({ name: 'r', url: `${server.origin}/health`, headers: { Authorization: SECRET } })
    expect(sample.ok).toBe(true)
    expect(server.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/health', SECRET],
      ['/actuator/health', SECRET]
    ])
  })

  it('refuses a redirect to another host and never sends the credentials there', async () => {
    const other = await serve(json(200, { status: 'UP' }))
    const server = await serve((_req, res) => {
      res.writeHead(307, { location: `${other.origin}/steal?x=1` })
      res.end()
    })
    const sample = await pollHealthOnce({ name: 'r', url: `${server.origin}/health`, headers: { Authorization: SECRET } })
    expect(sample).toMatchObject({ ok: false, status: null, error: `redirected to another host (127.0.0.1:${other.port}); not followed` })
    expect(server.requests).toHaveLength(1)
    expect(other.requests.filter((r) => r.headers.authorization !== undefined)).toEqual([])
    expect(other.requests).toHaveLength(0)
    expect(JSON.stringify(sample)).not.toContain('s3cr3t')
  })

  it('stops after 3 redirect hops', async () => {
    let hops = 0
    const server = await serve((_req, res) => {
      hops++
      res.writeHead(301, { location: `/hop${hops}` })
      res.end()
    })
    const sample = await pollHealthOnce({ name: 'loop', url: server.origin })
    expect(sample.error).toBe('too many redirects (more than 3)')
    expect(hops).toBe(4)
  })

  it('reports a TLS failure in words (self-signed certificate)', async () => {
    const server = await serve(json(200, { status: 'UP' }), {
      key: fixtureText('self-signed.key'),
      cert: fixtureText('self-signed.crt')
    })
    const sample = await pollHealthOnce({ name: 'tls', url: `${server.origin}/health` })
    expect(sample.ok).toBe(false)
    expect(sample.error).toBe('TLS error: self-signed certificate')
  })

  it('reports https against a plain-http server as a TLS error', async () => {
    const server = await serve(json(200, { status: 'UP' }))
    const sample = await pollHealthOnce({ name: 'tls', url: `https://127.0.0.1:${server.port}/` })
    expect(sample.error).toMatch(/^TLS error: /)
  })

  it('never shows header values or URL credentials in errors or samples', async () => {
    const port = await closedPort()
    const sample = await pollHealthOnce({ name: 'gone', url: `http://user:pw-secret@127.0.0.1:${port}/`, headers: { Authorization: SECRET } })
    expect(JSON.stringify(sample)).not.toMatch(/s3cr3t|pw-secret/)
    await expect(pollHealthOnce({ name: 'bad', url: 'ftp://user:pw-secret@127.0.0.1/x' })).rejects.toThrow(PollTargetError)
    await expect(pollHealthOnce({ name: 'bad', url: 'ftp://user:pw-secret@127.0.0.1/x' })).rejects.toThrow('"ftp://127.0.0.1/x" is not an http or https URL')
    await expect(pollHealthOnce({ name: 'bad', url: server0(), headers: { Authorization: 'Bearer a\nb-s3cr3t' } })).rejects.toThrow(
      'target "bad": header "Authorization" has a value that cannot be sent (line breaks or control characters)'
    )
  })
})

const server0 = (): string => 'http://127.0.0.1:9/'
