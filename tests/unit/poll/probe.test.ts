import { afterEach, describe, expect, it } from 'vitest'
import { runProbe } from '../../../electron/cli/commands/probe'
import { UsageError, type CliIO } from '../../../electron/cli/io'
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

const capture = (): CliIO & { out: string; err: string } => {
  const io = {
    out: '',
    err: '',
    cwd: process.cwd(),
    stdout: (text: string) => {
      io.out += text
    },
    stderr: (text: string) => {
      io.err += text
    }
  }
  return io
}

describe('probe --kind health', () => {
  it('prints the normalized JSON of an Actuator 503 DOWN answer, exit 0', async () => {
    const server = await serve(json(503, fixtureText('actuator-health-down.json')))
    const io = capture()
    expect(await runProbe(['--kind', 'health', '--format', 'json', `${server.origin}/actuator/health`], io)).toBe(0)
    const printed = JSON.parse(io.out) as Record<string, unknown>
    expect(Object.keys(printed)).toEqual(['ok', 'status', 'latencyMs', 'error', 'components'])
    const dbError = 'org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; HikariPool-1 - Connection is not available, request timed out after 30000ms.'
    expect(printed).toMatchObject({ ok: false, status: 503, error: `status DOWN (HTTP 503); failing: db (DOWN: ${dbError}), redis (OUT_OF_SERVICE)` })
    expect((printed.components as unknown[])[0]).toEqual({ name: 'db', ok: false, status: 'DOWN', detail: dbError })
    expect(io.out.endsWith('}\n')).toBe(true)
    expect(io.err).toBe('')
  })

  it('treats a timeout as a result: ok false, exit 0', async () => {
    const server = await serve(() => {})
    const io = capture()
    expect(await runProbe(['--kind=health', '--timeout-ms', '100', '--format=json', server.origin], io)).toBe(0)
    expect(JSON.parse(io.out)).toEqual({ ok: false, status: null, latencyMs: expect.any(Number), error: 'timed out after 100 ms', components: [] })
  })

  it('prints a short human summary by default, sending --header to the target', async () => {
    const server = await serve(json(200, fixtureText('actuator-health-up.json')))
    const io = capture()
    expect(await runProbe(['--kind', 'health', '--header', 'Authorization: Bearer abc', server.origin], io)).toBe(0)
    expect(io.out).toMatch(/^ok: HTTP 200 in \d+ ms\n/)
    expect(io.out).toContain('  ok      discoveryComposite/eureka  UP\n')
    expect(server.requests[0].headers.authorization).toBe('Bearer abc')
  })

  it('summarizes a refused connection in words', async () => {
    const port = await closedPort()
    const io = capture()
    expect(await runProbe(['--kind', 'health', `http://127.0.0.1:${port}/`], io)).toBe(0)
    expect(io.out).toMatch(/^NOT OK: no answer in \d+ ms \(connection refused\)\n$/)
  })
})

describe('probe --kind deploy', () => {
  it('prints {version, at, commit} for an Argo CD application', async () => {
    const server = await serve(json(200, fixtureText('argocd-application.json')))
    const io = capture()
    expect(await runProbe(['--kind', 'deploy', '--format', 'json', server.origin], io)).toBe(0)
    expect(io.out).toBe('{"version":"8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d","at":"2024-05-01T12:02:11.000Z","commit":"8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d"}\n')
  })

  it('omits commit when there is none, and uses a --map for a generic endpoint', async () => {
    const server = await serve((req, res) => {
      if (req.url === '/generic') json(200, fixtureText('generic-release.json'))(req, res)
      else json(200, { version: '3.0.0' })(req, res)
    })
    const io = capture()
    expect(await runProbe(['--kind', 'deploy', '--format', 'json', `${server.origin}/__version__`], io)).toBe(0)
    const plain = JSON.parse(io.out) as Record<string, unknown>
    expect(Object.keys(plain)).toEqual(['version', 'at'])
    expect(plain.version).toBe('3.0.0')
    const mapped = capture()
    expect(await runProbe(['--kind', 'deploy', '--format', 'json', '--map', 'version=release.tag,at=release.rolledOutAt', `${server.origin}/generic`], mapped)).toBe(0)
    expect(mapped.out).toBe('{"version":"2024.05.01-3","at":"2024-05-01T12:00:00.000Z"}\n')
  })

  it('prints a failure as {version:null, at:null, error}, exit 0', async () => {
    const server = await serve(json(200, '<html>login</html>', 'text/html'))
    const io = capture()
    expect(await runProbe(['--kind', 'deploy', '--format', 'json', server.origin], io)).toBe(0)
    const printed = JSON.parse(io.out) as Record<string, unknown>
    expect(Object.keys(printed)).toEqual(['version', 'at', 'error'])
    expect(printed).toMatchObject({ version: null, at: null })
    expect(printed.error).toMatch(/^unreadable response: not JSON/)
  })

  it('says in text when the deploy time is not given', async () => {
    const server = await serve(json(200, fixtureText('actuator-info.json')))
    const io = capture()
    expect(await runProbe(['--kind', 'deploy', server.origin], io)).toBe(0)
    expect(io.out).toBe('version 2.14.0 (commit e5c7d2a), built 2024-05-01 11:48:02 UTC (deploy time not given) [spring-boot-info]\n')
  })
})

describe('probe: bad usage', () => {
  const cases: [string[], string][] = [
    [['http://127.0.0.1:9/'], 'missing --kind (health or deploy)'],
    [['--kind', 'status', 'http://127.0.0.1:9/'], 'option --kind must be one of health, deploy, got "status"'],
    [['--kind', 'health'], 'missing URL to probe'],
    [['--kind', 'health', 'http://127.0.0.1:9/', 'http://127.0.0.1:10/'], 'expected one URL, got 2'],
    [['--kind', 'health', 'not a url'], '"not a url" is not a valid URL'],
    [['--kind', 'health', 'ftp://127.0.0.1/x'], '"ftp://127.0.0.1/x" is not an http or https URL'],
    [['--kind', 'health', '--timeout-ms', '0', 'http://127.0.0.1:9/'], 'option --timeout-ms must be a whole number from 1 to 600000, got "0"'],
    [['--kind', 'health', '--format', 'xml', 'http://127.0.0.1:9/'], 'option --format must be one of text, json, got "xml"'],
    [['--kind', 'health', '--map', 'version=a', 'http://127.0.0.1:9/'], 'option --map applies to --kind deploy only'],
    [['--kind', 'deploy', '--map', 'v=a', 'http://127.0.0.1:9/'], 'option --map: mapping "v=a" must be version=PATH, at=PATH or commit=PATH'],
    [['--kind', 'health', '--header', 'no colon', 'http://127.0.0.1:9/'], 'option --header must be "Name: value"'],
    [['--kind', 'health', '--verbose', 'http://127.0.0.1:9/'], 'unknown option --verbose']
  ]
  for (const [argv, message] of cases) {
    it(`throws UsageError: ${message}`, async () => {
      const io = capture()
      await expect(runProbe(argv, io)).rejects.toThrow(new UsageError(message))
      expect(io.out).toBe('')
    })
  }
})
