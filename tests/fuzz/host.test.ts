import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { startHost, type RunningHost } from '../../electron/host/server'
import { SessionService } from '../../electron/session/service'
import { deepFuzz, fuzzParams } from './fuzz'

let dir: string
let host: RunningHost

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-host-fuzz-'))
  await mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true })
  await writeFile(path.join(dir, 'renderer', 'index.html'), '<!doctype html><title>t</title>')
  await writeFile(path.join(dir, 'renderer', 'assets', 'app.js'), 'export {}')
  await writeFile(path.join(dir, 'secret.txt'), 'outside')
  host = await startHost({ service: new SessionService(), rendererDir: path.join(dir, 'renderer'), uploadDir: path.join(dir, 'uploads') })
})

afterAll(async () => {
  await host.close()
  await rm(dir, { recursive: true, force: true })
})

/**
 * How long a loopback answer may take before the host counts as not answering. Not a speed
 * limit: a request the host answers comes back in milliseconds; one it drops never does.
 */
const NO_ANSWER_MS = 2000

/**
 * Sends raw request bytes (no client-side validation); resolves the status code the host
 * answers, 'closed' when it closes the connection without an answer, 'no answer' on none.
 */
function rawRequest(head: string, body = ''): Promise<number | 'closed' | 'no answer'> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1')
    let got = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve('no answer')
    }, NO_ANSWER_MS)
    socket.setEncoding('latin1')
    socket.on('data', (d: string) => {
      got += d
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(got)
      if (m !== null) {
        clearTimeout(timer)
        socket.destroy()
        resolve(Number(m[1]))
      }
    })
    socket.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    socket.on('close', () => {
      clearTimeout(timer)
      resolve('closed')
    })
    socket.write(head + body)
  })
}

const hostHeader = (): string => `127.0.0.1:${host.port}`

const pathSegment = fc.oneof(
  fc.webSegment(),
  fc.string({ unit: 'binary-ascii', maxLength: 8 }),
  fc.constantFrom('..', '.', '%2e%2e', '..%2f', '%2f', '%00', '%E0%A4%A', '%', '%zz', '%C0%AF', 'index.html', 'assets', 'app.js', 'api', 'ping', 'upload', 'ws', '~', '\\..\\')
)
/** Request targets: origin-form paths built from odd segments, plus absolute and asterisk forms. */
const target = fc.oneof(
  fc.tuple(fc.array(pathSegment, { maxLength: 5 }), fc.option(fc.string({ unit: 'binary-ascii', maxLength: 20 }))).map(
    ([segments, query]) => `/${segments.join('/')}${query === null ? '' : `?${query}`}`
  ),
  fc.webUrl({ withQueryParameters: true, withFragments: true }),
  fc.constantFrom('*', '/api/ws', '/api/ws?x=1', '/api/ping?token=', '/api/upload?name=%E0%A4%A', 'http://[', 'http://127.0.0.1:1/', '//x/..', '/%E0%A4%A')
)
const headerName = fc.oneof(
  // Not Content-Length or Transfer-Encoding: a body shorter than they announce rightly leaves the
  // host waiting for the rest; `framing` below sends bodies framed correctly.
  fc.constantFrom('Host', 'Origin', 'X-Triage-Token', 'Connection', 'Upgrade', 'Cookie', 'Range'),
  fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/).filter((name) => !/^(content-length|transfer-encoding)$/i.test(name))
)
const headerValue = fc.oneof(fc.string({ unit: 'binary-ascii', maxLength: 30 }), fc.constantFrom('127.0.0.1', 'localhost', 'evil.example', 'chunked', 'websocket', '-1', '0', '99999999999'))
const request = fc.record({
  method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'BREW', 'get'),
  target,
  goodHost: fc.boolean(),
  withToken: fc.constantFrom('none', 'header', 'query'),
  /** Ask for a WebSocket upgrade instead of a plain request. */
  upgrade: fc.boolean(),
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 }),
  body: fc.string({ unit: 'binary-ascii', maxLength: 20 }),
  framing: fc.constantFrom('none', 'length', 'chunked')
})

/** What escaped the host's handlers while the properties ran (each would end a real serve process). */
const escaped: string[] = []
const onEscape = (err: unknown): void => {
  escaped.push(err instanceof Error ? `${err.name}: ${err.message}` : String(err))
}
beforeAll(() => {
  process.on('uncaughtException', onEscape)
  process.on('unhandledRejection', onEscape)
})
afterAll(() => {
  process.off('uncaughtException', onEscape)
  process.off('unhandledRejection', onEscape)
})

type FuzzRequest = typeof request extends fc.Arbitrary<infer T> ? T : never

/** Sends the request; checks that it was answered, that nothing escaped, and that the host still serves. */
async function answersAndServes(r: FuzzRequest): Promise<void> {
  const tokenQuery = r.withToken === 'query' ? `${r.target.includes('?') ? '&' : '?'}token=${host.token}` : ''
  const lines = [`${r.method} ${r.target}${tokenQuery} HTTP/1.1`]
  if (r.goodHost) lines.push(`Host: ${hostHeader()}`)
  if (r.withToken === 'header') lines.push(`X-Triage-Token: ${host.token}`)
  for (const [name, value] of r.headers) lines.push(`${name}: ${value}`)
  if (r.upgrade) {
    lines.push('Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==')
    lines.push(`Origin: http://${hostHeader()}`)
  } else {
    lines.push('Connection: close')
  }
  let body = r.body
  if (r.framing === 'length') lines.push(`Content-Length: ${Buffer.byteLength(body, 'latin1')}`)
  if (r.framing === 'chunked') {
    lines.push('Transfer-Encoding: chunked')
    body = `${body === '' ? '' : `${Buffer.byteLength(body, 'latin1').toString(16)}\r\n${body}\r\n`}0\r\n\r\n`
  }
  escaped.length = 0
  const status = await rawRequest(lines.join('\r\n') + '\r\n\r\n', body)
  if (r.method === 'CONNECT' && status === 'closed') {
    // Node closes a CONNECT (a proxy tunnel request) when nothing listens for it: refused, not dropped.
  } else {
    expect(typeof status === 'number' && status >= 100 && status < 600, `answer ${status} to ${JSON.stringify(lines)}`).toBe(true)
  }
  const ping = await rawRequest(`GET /api/ping HTTP/1.1\r\nHost: ${hostHeader()}\r\nX-Triage-Token: ${host.token}\r\nConnection: close\r\n\r\n`)
  expect(ping, 'the host stopped serving').toBe(200)
  expect(escaped, `thrown out of the host by ${JSON.stringify([...lines, r.body])}`).toEqual([])
}

/** Shrinking a request that gets no answer waits NO_ANSWER_MS per step: room for it to finish and report. */
const TEST_TIMEOUT_MS = deepFuzz ? 0 : 120_000

describe('browser host under fuzzed requests', () => {
  const plain: Omit<FuzzRequest, 'target' | 'withToken'> = { method: 'GET', goodHost: true, upgrade: false, headers: [], body: '', framing: 'none' }
  // An absolute-form target that is no URL ('GET http://[ HTTP/1.1', which Node's parser lets
  // through) throws from `new URL` in the request and upgrade handlers: found by this fuzzer.
  const badAbsoluteUrl: FuzzRequest = { ...plain, target: 'http://[', withToken: 'none' }

  it('answers every plain request with an HTTP status, and keeps serving', async () => {
    // A malformed escape gets no answer: the known defect being fixed in server.ts. Fixed
    // examples, so this fails until the fixes are in, then guards them.
    const malformedEscape: FuzzRequest = { ...plain, target: '/%E0%A4%A', withToken: 'none' }
    await fc.assert(
      fc.asyncProperty(request.map((r) => ({ ...r, upgrade: false })), answersAndServes),
      { ...fuzzParams(300), examples: [[malformedEscape], [badAbsoluteUrl]] }
    )
  }, TEST_TIMEOUT_MS)

  it('answers every WebSocket upgrade, and nothing a client sends after it throws out of the host', async () => {
    // Bytes that are no valid frame after an accepted upgrade throw from the socket (it has no
    // 'error' listener), which would end a `triage500 serve` process: found by this fuzzer.
    const badFrame: FuzzRequest = { ...plain, target: '/api/ws', withToken: 'query', upgrade: true, body: 'zzzz' }
    await fc.assert(
      fc.asyncProperty(request.map((r) => ({ ...r, upgrade: true })), answersAndServes),
      { ...fuzzParams(300), examples: [[badFrame], [{ ...badAbsoluteUrl, upgrade: true }]] }
    )
  }, TEST_TIMEOUT_MS)
})
