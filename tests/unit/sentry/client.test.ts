import { afterEach, describe, expect, it } from 'vitest'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { readSentryIssues, SentryError, type SentrySpec } from '../../../electron/collect/sentry'
import { SENTRY_ISSUES } from './scenario'
import { startFakeSentry, type FakeSentry } from './server'

const TOKEN = 'sntrys_eyJpYXQiOjE3NDE2MTQ0MDB9_secret'
let sentry: FakeSentry | null = null
let dir: string | null = null

afterEach(async () => {
  await sentry?.close()
  sentry = null
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = null
  delete process.env.TRIAGE500_TEST_SENTRY_TOKEN
})

async function start(): Promise<{ spec: SentrySpec; fake: FakeSentry }> {
  sentry = await startFakeSentry(SENTRY_ISSUES, TOKEN)
  process.env.TRIAGE500_TEST_SENTRY_TOKEN = TOKEN
  const spec: SentrySpec = {
    baseUrl: sentry.url,
    org: 'acme',
    project: 'shop',
    from: Date.parse('2026-03-10T13:45:00Z'),
    to: Date.parse('2026-03-10T14:15:00Z'),
    query: 'is:unresolved',
    credential: { kind: 'env', name: 'TRIAGE500_TEST_SENTRY_TOKEN', scheme: 'bearer' }
  }
  return { spec, fake: sentry }
}

describe('Sentry issues source', () => {
  it('follows the Link header across pages and reads each latest event', async () => {
    const { spec, fake } = await start()
    const reading = await readSentryIssues(spec)
    expect(reading.warnings).toEqual([])
    expect(reading.issues.map((i) => i.link.shortId)).toEqual(['SHOP-API-1Z', 'SHOP-WEB-8K', 'USERS-API-3', 'USERS-API-4'])
    const lists = fake.requests.filter((r) => r.path.includes('/projects/'))
    // 4 issues, 2 a page: the third page is never asked for (results="false").
    expect(lists).toHaveLength(2)
    expect(lists[0].path).toContain('start=2026-03-10T13%3A45%3A00.000Z')
    expect(lists[0].path).toContain('end=2026-03-10T14%3A15%3A00.000Z')
    expect(lists[0].path).toContain('query=is%3Aunresolved')
    expect(lists[1].path).toContain('cursor=0:2:0')
    expect(fake.requests.every((r) => r.auth === `Bearer ${TOKEN}`)).toBe(true)
    const java = reading.issues[0]
    expect(java.link).toEqual({ issueId: '4501', shortId: 'SHOP-API-1Z', permalink: 'https://acme.sentry.io/issues/4501/', release: 'shop-api@2.14.0', users: 97, count: 312 })
    // Module-qualified type; in-app frames only, innermost first.
    expect(java.exceptions[0].type).toBe('java.lang.IllegalStateException')
    expect(java.exceptions[0].frames.map((f) => f.function)).toEqual(['shippingFor', 'placeOrder', 'create'])
  })

  it('waits out a 429 as Retry-After asks and says so', async () => {
    const { spec, fake } = await start()
    fake.throttleOnce.add('/api/0/projects/acme/shop/issues/')
    const waits: number[] = []
    const reading = await readSentryIssues(spec, { sleep: async (ms) => void waits.push(ms) })
    expect(waits).toEqual([2000])
    expect(reading.issues).toHaveLength(4)
    expect(reading.warnings).toHaveLength(1)
    expect(reading.warnings[0]).toMatch(/rate limited \(429\) on \/api\/0\/projects\/acme\/shop\/issues\/; waited 2/)
  })

  it('gives up in one line when Retry-After asks for more than the bound', async () => {
    const { spec, fake } = await start()
    fake.throttleOnce.add('/api/0/projects/acme/shop/issues/')
    await expect(readSentryIssues(spec, { maxRetryAfterMs: 1000, sleep: async () => undefined })).rejects.toThrow(/rate limited \(429\).*more than this read waits/)
  })

  it('names the missing scope on 403, and never the token', async () => {
    const { spec, fake } = await start()
    fake.missingScope = 'event:read'
    const err = await readSentryIssues(spec).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(SentryError)
    expect((err as Error).message).toMatch(/403 on \/api\/0\/organizations\/acme\/issues\/4501\/events\/latest\/: the token lacks a scope; it needs the read-only scope event:read/)
    expect((err as Error).message).not.toContain(TOKEN)
    fake.missingScope = 'project:read'
    await expect(readSentryIssues(spec)).rejects.toThrow(/403 .*scope project:read/)
  })

  it('says 401 when the token is refused, reading it from a 0600 file', async () => {
    const { spec } = await start()
    dir = await mkdtemp(path.join(tmpdir(), 'sentry-token-'))
    const file = path.join(dir, 'token')
    await writeFile(file, 'sntrys_wrong\n')
    await chmod(file, 0o600)
    const err = (await readSentryIssues({ ...spec, credential: { kind: 'file', path: file, scheme: 'bearer' } }).catch((e: unknown) => e)) as Error
    expect(err.message).toMatch(/401 on \/api\/0\/projects\/acme\/shop\/issues\/: the token was refused; it needs the read-only scope project:read/)
    expect(err.message).not.toContain('sntrys_wrong')
  })

  it('never follows a page link to another host with the token', async () => {
    const { spec } = await start()
    const stub: typeof fetch = async () =>
      new Response('[]', { status: 200, headers: { link: '<http://127.0.0.2:9/api/0/projects/acme/shop/issues/?cursor=0:2:0>; rel="next"; results="true"; cursor="0:2:0"' } })
    await expect(readSentryIssues(spec, { fetch: stub })).rejects.toThrow(/points to another host \(127\.0\.0\.2:9\); not followed/)
  })
})
