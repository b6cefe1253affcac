import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { exportIncidentReport } from '../../../electron/session/export'
import { newIncidentState } from '../../../electron/session/incident'
import type { Runbook } from '../../../shared/contract/runbook'
import { readSentryIssues } from '../../../electron/collect/sentry'
import { joinSentry } from '../../../shared/analysis/sentry'
import { AnalysisV1, type AnalysisSnapshot } from '../../../shared/contract/analysis'
import { JAVA_LOG, NODE_LOG, PYTHON_LOG, SENTRY_ISSUES } from './scenario'
import { startFakeSentry, type FakeSentry } from './server'

let dir = ''
let sentry: FakeSentry
let joined: AnalysisSnapshot
let runbook: Runbook

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sentry-join-'))
  const files = { 'shop-api.log': JAVA_LOG, 'gunicorn-error.log': PYTHON_LOG, 'users-api.log': NODE_LOG }
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text)
  const { snapshot, runbook: rb } = await analyzeOnce({ paths: Object.keys(files).map((f) => path.join(dir, f)), format: null, fieldMap: null, deploys: [], health: [] })
  runbook = rb
  sentry = await startFakeSentry(SENTRY_ISSUES, 'tok')
  process.env.TRIAGE500_TEST_SENTRY_TOKEN = 'tok'
  const reading = await readSentryIssues({
    baseUrl: sentry.url,
    org: 'acme',
    project: 'shop',
    from: Date.parse('2026-03-10T14:00:00Z'),
    to: Date.parse('2026-03-10T14:10:00Z'),
    credential: { kind: 'env', name: 'TRIAGE500_TEST_SENTRY_TOKEN', scheme: 'bearer' }
  })
  joined = joinSentry(snapshot, reading.issues)
}, 60_000)

afterAll(async () => {
  await sentry.close()
  await rm(dir, { recursive: true, force: true })
  delete process.env.TRIAGE500_TEST_SENTRY_TOKEN
})

const groupOf = (type: string) => joined.v1.errorGroups.find((g) => g.type.endsWith(type))

describe('Sentry issues joined to the log error groups', () => {
  it('links the Java, Python and Node groups to their issues by type and in-app frames', () => {
    expect(groupOf('IllegalStateException')?.sentry).toEqual({ issueId: '4501', shortId: 'SHOP-API-1Z', permalink: 'https://acme.sentry.io/issues/4501/', release: 'shop-api@2.14.0', users: 97, count: 312 })
    // The message differs (another cart id): the frames, not the values, say it is the same bug.
    expect(groupOf('KeyError')?.sentry?.shortId).toBe('SHOP-WEB-8K')
    expect(groupOf('TypeError')?.sentry).toMatchObject({ shortId: 'USERS-API-3', release: 'users-api@5.2.1', users: 650, count: 1204 })
  })

  it('lists the issue no group matched as Sentry only', () => {
    expect(joined.v1.sentryOnly).toEqual([
      {
        issueId: '4504',
        shortId: 'USERS-API-4',
        permalink: 'https://acme.sentry.io/issues/4504/',
        release: 'users-api@5.2.1',
        users: 3,
        count: 9,
        title: 'RangeError: Maximum call stack size exceeded',
        type: 'RangeError',
        culprit: 'resolveFriends(src/graphql/friends)',
        firstSeen: '2026-03-10T14:03:30.000Z',
        lastSeen: '2026-03-10T14:05:02.000Z'
      }
    ])
    expect(AnalysisV1.safeParse(joined.v1).success).toBe(true)
  })

  it('does not join on the type alone: other in-app frames are another bug', () => {
    const moved = SENTRY_ISSUES.map((i) => ({ ...i }))
    const reading = [
      {
        link: { issueId: '9', shortId: 'SHOP-API-9', permalink: 'https://acme.sentry.io/issues/9/', release: null, users: 1, count: 1 },
        title: 'IllegalStateException: elsewhere',
        culprit: null,
        firstSeen: null,
        lastSeen: null,
        exceptions: [{ type: 'java.lang.IllegalStateException', value: 'x', frames: [{ module: 'com.acme.shop.cart.CartService', filename: 'CartService.java', function: 'shippingFor' }] }]
      }
    ]
    expect(moved).toHaveLength(4)
    const again = joinSentry(joined, reading)
    expect(again.v1.errorGroups.every((g) => g.sentry === null)).toBe(true)
    expect(again.v1.sentryOnly?.map((i) => i.shortId)).toEqual(['SHOP-API-9'])
  })

  it("the report cites each group's Sentry link and lists the Sentry-only issue", () => {
    const report = (format: 'markdown' | 'html'): string =>
      exportIncidentReport({ incident: newIncidentState('Checkout 500s'), analysis: joined, runbook, journal: [], format, redact: true }).content
    const md = report('markdown')
    expect(md).toContain('- Sentry [SHOP-API-1Z](<https://acme.sentry.io/issues/4501/>): release shop-api@2.14.0, 97 users, 312 events in Sentry')
    expect(md).toContain('- Sentry [SHOP-WEB-8K](<https://acme.sentry.io/issues/4502/>)')
    expect(md).toContain('- Sentry [USERS-API-3](<https://acme.sentry.io/issues/4503/>): release users-api@5.2.1, 650 users, 1,204 events in Sentry')
    expect(md).toMatch(/\*\*Sentry only\*\*[^\n]*\n\n- \[USERS-API-4\]\(<https:\/\/acme\.sentry\.io\/issues\/4504\/>\) RangeError: Maximum call stack size exceeded — release users-api@5\.2\.1, 3 users, 9 events in Sentry/)
    const html = report('html')
    expect(html).toContain('<a href="https://acme.sentry.io/issues/4501/" rel="noreferrer noopener">SHOP-API-1Z</a>')
    expect(html).toContain('<a href="https://acme.sentry.io/issues/4504/" rel="noreferrer noopener">USERS-API-4</a>')
  })
})
