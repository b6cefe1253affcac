/**
 * A loopback Sentry answering in the API's documented shapes: the issues list paginated by a
 * `Link` header (`rel="next"; results="true"; cursor="…"`), and each issue's latest event with
 * `entries[].data.values[].stacktrace.frames[]` (outermost first, `inApp`).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeFrame {
  module?: string
  filename: string
  function: string
  inApp: boolean
  lineNo: number
}
export interface FakeIssue {
  id: string
  shortId: string
  title: string
  culprit: string
  count: string
  userCount: number
  firstSeen: string
  lastSeen: string
  release: string | null
  exception: { type: string; value: string; module?: string; frames: FakeFrame[] }[]
}

export interface FakeSentry {
  url: string
  requests: { path: string; auth: string | undefined }[]
  /** Paths answered 429 once (with Retry-After 2) before answering. */
  throttleOnce: Set<string>
  /** The scope the token lacks: 403 on the endpoints that need it. */
  missingScope: 'project:read' | 'event:read' | null
  close(): Promise<void>
}

const PAGE = 2

export async function startFakeSentry(issues: FakeIssue[], token: string): Promise<FakeSentry> {
  const state = { requests: [] as FakeSentry['requests'], throttleOnce: new Set<string>(), missingScope: null as FakeSentry['missingScope'] }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    state.requests.push({ path: `${url.pathname}${url.search}`, auth: req.headers.authorization })
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers })
      res.end(JSON.stringify(body))
    }
    if (req.headers.authorization !== `Bearer ${token}`) return json(401, { detail: 'Invalid token' })
    if (state.throttleOnce.delete(url.pathname)) return json(429, { detail: 'Request was throttled. Expected available in 2 seconds.' }, { 'retry-after': '2' })
    const list = /^\/api\/0\/projects\/acme\/shop\/issues\/$/.exec(url.pathname)
    if (list) {
      if (state.missingScope === 'project:read') return json(403, { detail: 'You do not have permission to perform this action.' })
      const offset = Number((url.searchParams.get('cursor') ?? '0:0:0').split(':')[1])
      const page = issues.slice(offset, offset + PAGE)
      const more = offset + PAGE < issues.length
      const self = `http://${req.headers.host}${url.pathname}`
      const link = [
        `<${self}?cursor=0:${Math.max(0, offset - PAGE)}:1>; rel="previous"; results="${offset > 0}"; cursor="0:${Math.max(0, offset - PAGE)}:1"`,
        `<${self}?cursor=0:${offset + PAGE}:0>; rel="next"; results="${more}"; cursor="0:${offset + PAGE}:0"`
      ].join(', ')
      return json(
        200,
        page.map((i) => ({
          id: i.id,
          shortId: i.shortId,
          title: i.title,
          culprit: i.culprit,
          permalink: `https://acme.sentry.io/issues/${i.id}/`,
          count: i.count,
          userCount: i.userCount,
          firstSeen: i.firstSeen,
          lastSeen: i.lastSeen,
          level: 'error',
          status: 'unresolved',
          metadata: { type: i.exception.at(-1)?.type, value: i.exception.at(-1)?.value },
          project: { id: '2', name: 'shop', slug: 'shop' }
        })),
        { link }
      )
    }
    const latest = /^\/api\/0\/organizations\/acme\/issues\/(\d+)\/events\/latest\/$/.exec(url.pathname)
    if (latest) {
      if (state.missingScope === 'event:read') return json(403, { detail: 'You do not have permission to perform this action.' })
      const issue = issues.find((i) => i.id === latest[1])
      if (!issue) return json(404, { detail: 'The requested resource does not exist' })
      return json(200, {
        id: `e${issue.id}`,
        eventID: `e${issue.id}`,
        groupID: issue.id,
        dateCreated: issue.lastSeen,
        release: issue.release === null ? null : { version: issue.release },
        tags: issue.release === null ? [] : [{ key: 'release', value: issue.release }],
        entries: [
          {
            type: 'exception',
            data: {
              values: issue.exception.map((e) => ({
                type: e.type,
                value: e.value,
                module: e.module ?? null,
                stacktrace: { frames: e.frames.map((f) => ({ ...f, absPath: f.filename, colNo: null, context: [] })) }
              }))
            }
          }
        ]
      })
    }
    json(404, { detail: 'The requested resource does not exist' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }) satisfies FakeSentry
}
