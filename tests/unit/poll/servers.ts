import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../../support/shared-data'

export const fixture = (name: string): string => path.join(repoRoot, 'tests', 'fixtures', 'poll', name)
export const fixtureText = (name: string): string => readFileSync(fixture(name), 'utf8')

export interface RecordedRequest {
  url: string
  headers: http.IncomingHttpHeaders
  at: number
}

export interface TestServer {
  origin: string
  port: number
  requests: RecordedRequest[]
  /** Requests whose response has not ended yet. */
  readonly open: number
  /** The most requests ever open at once. */
  readonly maxOpen: number
  /** Sockets the server accepted (some never get a request). */
  readonly connections: number
  /** Sockets that closed. */
  readonly closedConnections: number
  close(): Promise<void>
}

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void

/** A real server on 127.0.0.1, port 0, that records what it was asked. */
export async function startServer(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const requests: RecordedRequest[] = []
  let open = 0
  let maxOpen = 0
  let connections = 0
  let closedConnections = 0
  const onRequest: Handler = (req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers, at: Date.now() })
    open++
    maxOpen = Math.max(maxOpen, open)
    res.on('close', () => open--)
    handler(req, res)
  }
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest)
  server.on('connection', (socket) => {
    connections++
    socket.on('close', () => closedConnections++)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    get open() {
      return open
    },
    get maxOpen() {
      return maxOpen
    },
    get connections() {
      return connections
    },
    get closedConnections() {
      return closedConnections
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

export const json = (status: number, body: unknown, type = 'application/json'): Handler => (_req, res) => {
  res.writeHead(status, { 'content-type': type })
  res.end(typeof body === 'string' ? body : JSON.stringify(body))
}

/** A port that was just listening on 127.0.0.1 and is now closed: connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = http.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** Waits until `condition` holds, polling every 5 ms, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
