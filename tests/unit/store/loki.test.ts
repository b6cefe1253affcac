/**
 * Loki cannot be installed here: tests/support/fake-loki.ts answers on loopback in Loki's
 * documented shapes by evaluating the LogQL the adapter sends over the scenario's lines held in
 * memory, so the counts are true. `analyze` over the streams must reach the same verdict, counts,
 * groups and instances as `analyze` over the same lines as files — for a JSON access stream with
 * a Spring Boot JSON app stream, an nginx combined text stream and a logfmt stream.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../electron/cli/main'
import { lokiAdapter } from '../../../electron/collect/store/loki'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { SessionService } from '../../../electron/session/service'
import type { StoreSourceSpec } from '../../../shared/contract'
import type { AnalysisV1 } from '../../../shared/contract/analysis'
import type { DeployEvent } from '../../../shared/model/evidence'
import { startFakeLoki, type FakeEntry, type FakeLoki } from '../../support/fake-loki'
import { DEPLOY_AT, SCENARIO_MINUTES, SCENARIO_START, scenarioRows } from '../../support/store-scenario'

const rows = scenarioRows()
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The nginx JSON access line as nginx writes it (`log_format … escape=json`). */
const accessJson = rows.access.map((r) => JSON.stringify(r))
/** The same requests in nginx's combined layout plus $request_time. */
const accessCombined = rows.access.map((r) => {
  const d = new Date(String(r.time_iso8601))
  const p2 = (n: number): string => String(n).padStart(2, '0')
  const time = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
  return `${String(r.remote_addr)} - - [${time}] "${String(r.request_method)} ${String(r.request_uri)} HTTP/1.1" ${Number(r.status)} ${Number(r.body_bytes_sent)} "-" "${String(r.http_user_agent)}" ${Number(r.request_time)}`
})
/** The same requests as a Go router's logfmt access line. */
const accessLogfmt = rows.access.map(
  (r) => `ts=${new Date(String(r.time_iso8601)).toISOString()} level=info msg="request" method=${String(r.request_method)} path="${String(r.request_uri)}" status=${Number(r.status)} duration=${Number(r.request_time)}s remote_addr=${String(r.remote_addr)} upstream=${String(r.upstream_addr)}`
)
const appJson = rows.app.map((r) => JSON.stringify(r))
const accessNs = rows.access.map((r) => BigInt(Date.parse(String(r.time_iso8601))) * 1_000_000n)

function entries(): FakeEntry[] {
  const out: FakeEntry[] = []
  // Two nginx pods: the adapter merges the streams a selector matches.
  accessJson.forEach((line, i) => out.push({ stream: { app: 'shop', job: 'nginx', pod: `nginx-${i % 2}` }, ns: accessNs[i], line }))
  accessCombined.forEach((line, i) => out.push({ stream: { app: 'shop', job: 'nginx-text' }, ns: accessNs[i], line }))
  accessLogfmt.forEach((line, i) => out.push({ stream: { app: 'shop', job: 'router' }, ns: accessNs[i], line }))
  rows.app.forEach((r, i) => out.push({ stream: { app: 'shop', job: 'shop-api', pod: String(r.HOSTNAME) }, ns: BigInt(Date.parse(String(r['@timestamp']))) * 1_000_000n, line: appJson[i] }))
  // Lines no format reads: a binary dump someone shipped by mistake.
  for (let i = 0; i < 50; i++) out.push({ stream: { app: 'shop', job: 'core-dump' }, ns: BigInt(SCENARIO_START + i * 1000) * 1_000_000n, line: `\u0001\u0002 ${'\u00ff'.repeat(3)} 0x${(i * 7919).toString(16)} \u0000\u0003` })
  return out
}

const deploys: DeployEvent[] = [{ version: 'v2.8.0', at: DEPLOY_AT, commit: null, source: 'given' }]
const window = { from: SCENARIO_START, to: SCENARIO_START + SCENARIO_MINUTES * 60_000 - 1 }

function essentials(v1: AnalysisV1): unknown {
  return {
    verdict: v1.verdict?.playbook ?? null,
    requests: v1.requests,
    statusCounts: v1.statusCounts,
    suspectDeploy: v1.suspectDeploy,
    endpoint: v1.endpoint,
    window: v1.window,
    instance: v1.instance,
    clients: v1.impact?.clients ?? null,
    unidentified5xx: v1.impact?.unidentified5xx ?? null,
    errorGroups: v1.errorGroups.map((g) => ({ id: g.id, type: g.type, message: g.message, count: g.count, firstSeen: g.firstSeen, lastSeen: g.lastSeen, endpoints: g.endpoints })),
    sources: v1.sources.map((s) => ({ format: s.format, events: s.events, unparsed: s.unparsed })).sort((a, b) => String(a.format).localeCompare(String(b.format)))
  }
}

// Each test reads the scenario through the fake several times: on a loaded machine that is slow, not wrong.
describe('Loki store (documented shapes on loopback)', { timeout: 120_000 }, () => {
  let fake: FakeLoki
  let dir: string
  const files = { access: '', app: '', combined: '', logfmt: '', deploys: '' }
  const fromFiles: Record<'json' | 'combined' | 'logfmt', AnalysisV1 | null> = { json: null, combined: null, logfmt: null }

  beforeAll(async () => {
    fake = await startFakeLoki(entries())
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-loki-'))
    const write = (name: string, lines: string[]): string => {
      const file = path.join(dir, name)
      writeFileSync(file, lines.join('\n') + '\n')
      return file
    }
    files.access = write('access.log', accessJson)
    files.app = write('app.log', appJson)
    files.combined = write('access-combined.log', accessCombined)
    files.logfmt = write('access-logfmt.log', accessLogfmt)
    files.deploys = path.join(dir, 'deploys.json')
    writeFileSync(files.deploys, JSON.stringify([{ version: 'v2.8.0', at: new Date(DEPLOY_AT).toISOString() }]))
    const once = async (paths: string[]): Promise<AnalysisV1> => (await analyzeOnce({ paths, format: null, fieldMap: null, deploys, health: [] })).snapshot.v1
    fromFiles.json = await once([files.access, files.app])
    fromFiles.combined = await once([files.combined])
    fromFiles.logfmt = await once([files.logfmt])
  }, 120_000)

  afterAll(async () => {
    await fake?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const spec = (query: string, extra: Partial<Omit<StoreSourceSpec, 'to'>> = {}): StoreSourceSpec & { to: number } => ({ kind: 'loki', url: fake.url, query, ...window, credential: { kind: 'none' }, ...extra })
  const fromStreams = async (...queries: string[]): Promise<AnalysisV1> => (await analyzeOnce({ paths: [], stores: queries.map((q) => spec(q)), format: null, fieldMap: null, deploys, health: [] })).snapshot.v1

  it('the lines as files show the incident (the reference is not empty)', () => {
    expect(fromFiles.json?.verdict?.playbook).toBe('rollback')
    expect(fromFiles.json?.statusCounts['500']).toBeGreaterThan(300)
    expect(fromFiles.json?.errorGroups.length).toBeGreaterThanOrEqual(2)
    expect(fromFiles.combined?.sources[0].format).toBe('nginx-combined')
    expect(fromFiles.logfmt?.sources[0].format).toBe('logfmt')
  })

  it('a JSON access stream and a Spring Boot JSON stream give the same verdict, counts, groups and instances as the same lines as files', async () => {
    const v1 = await fromStreams('{app="shop", job="nginx"}', '{app="shop", job="shop-api"}')
    expect(essentials(v1)).toEqual(essentials(fromFiles.json!))
  }, 120_000)

  it('an nginx combined text stream (pattern) and a logfmt stream agree with their files too', async () => {
    // Who got the 5xx is not counted from a text stream (its user agent is not in every nginx layout): the rest agrees.
    const withoutClients = (v1: AnalysisV1): unknown => ({ ...(essentials(v1) as object), clients: undefined, unidentified5xx: undefined })
    const text = await fromStreams('{app="shop", job="nginx-text"}')
    expect(withoutClients(text)).toEqual(withoutClients(fromFiles.combined!))
    expect(text.impact?.clients).toBe(0)
    expect(essentials(await fromStreams('{app="shop", job="router"}'))).toEqual(essentials(fromFiles.logfmt!))
  }, 120_000)

  it('only counts and bounded samples move; the engine says what it scanned; instances are counted by the engine', async () => {
    fake.processed = 0
    const reading = await lokiAdapter().read(spec('{app="shop", job="nginx"}'))
    const raw = accessJson.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0)
    console.log(`loki fake: ${accessJson.length} lines, ${raw} bytes raw; adapter moved ${reading.bytesMoved} bytes; engine scanned ${reading.scannedBytes} bytes`)
    expect(reading.bytesMoved).toBeLessThan(raw / 2)
    expect(reading.scannedBytes).toBe(fake.processed)
    expect(reading.result.requests.requests).toBe(accessJson.length)
    expect(reading.result.requests.instances.reduce((n, i) => n + i.requests, 0)).toBe(accessJson.length)
    expect(reading.warnings).toEqual([])
  })

  it('a long window is counted per minute plus every second with a 5xx, in chunks within the point limit', async () => {
    const exact = await lokiAdapter().read(spec('{app="shop", job="nginx"}'))
    const coarse = await lokiAdapter({ limits: { exactSecondsMs: 60_000, maxPoints: 7 } }).read(spec('{app="shop", job="nginx"}'))
    const total = (r: typeof exact): number => r.result.requests.seconds.reduce((n, s) => n + s[1], 0)
    expect(total(coarse)).toBe(total(exact))
    // A failing second that starts its minute stays that minute's row (as clickhouse.ts does); every other one is exact.
    const failing = (r: typeof exact): unknown[] => r.result.requests.seconds.filter((s) => s[2] > 0 && s[0] % 60 !== 0)
    expect(failing(coarse)).toEqual(failing(exact))
    const s5xx = (r: typeof exact): number => r.result.requests.seconds.reduce((n, s) => n + s[2], 0)
    expect(s5xx(coarse)).toBe(s5xx(exact))
    expect(coarse.result.requests.seconds.length).toBeLessThan(exact.result.requests.seconds.length)
    const chunked = await lokiAdapter({ limits: { maxPoints: 100 } }).read(spec('{app="shop", job="nginx"}'))
    expect(chunked.result.requests.seconds).toEqual(exact.result.requests.seconds)
  }, 120_000)

  it('more failures than the sample keeps: the sample is spread over the whole incident, in time order, without repeats', async () => {
    const failingTimes = rows.access.filter((r) => Number(r.status) >= 500).map((r) => Date.parse(String(r.time_iso8601)))
    const reading = await lokiAdapter({ limits: { failingRows: 100 } }).read(spec('{app="shop", job="nginx"}'))
    const failing = reading.result.requests.failing
    expect(failing).toHaveLength(100)
    const times = failing.map((e) => e.time ?? 0)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(failing.map((e) => e.requestId)).size).toBe(100)
    // The first 100 failures would all fall in the incident's first minutes; a spread sample reaches its last minute.
    expect(Math.max(...times)).toBeGreaterThan(Math.max(...failingTimes) - 60_000)
    expect(Math.min(...times)).toBe(Math.min(...failingTimes))
    expect(reading.warnings).toEqual([expect.stringMatching(new RegExp(`: 100 of ${failingTimes.length} failing requests sampled, spread over the window$`))])
  })

  it('more error lines than the sample keeps: the groups are read from a sample spread over the window, and the card says so', async () => {
    const errors = rows.app.filter((r) => r.level === 'ERROR').map((r) => Date.parse(String(r['@timestamp'])))
    const reading = await lokiAdapter({ limits: { errorRows: 50 } }).read(spec('{app="shop", job="shop-api"}'))
    const times = reading.result.errorEvents.map((e) => e.time ?? 0)
    expect(times).toHaveLength(50)
    expect(Math.max(...times)).toBeGreaterThan(Math.max(...errors) - 60_000)
    expect(reading.result.errorGroups.reduce((n, g) => n + g.count, 0)).toBe(50)
    expect(reading.warnings).toEqual([expect.stringMatching(new RegExp(`: 50 of ${errors.length} error lines grouped, spread over the window$`))])
  })

  it('429 with Retry-After is retried; a store that keeps answering 429 is slow, in one line', async () => {
    fake.inject = [{ when: /^sum by \(t5_status\)/, status: 429, body: 'too many outstanding requests\n', headers: { 'retry-after': '0' } }]
    const retried = await lokiAdapter().read(spec('{app="shop", job="nginx"}'))
    expect(fake.inject).toEqual([])
    expect(retried.result.requests.requests).toBe(accessJson.length)
    fake.inject = [0, 1].map(() => ({ when: /^\{app="shop", job="nginx"\}$/, status: 429, body: 'too many outstanding requests\n', headers: { 'retry-after': '0' } }))
    const failure = await lokiAdapter({ limits: { attempts: 2 } }).read(spec('{app="shop", job="nginx"}')).catch((e: Error) => e)
    fake.inject = []
    expect((failure as Error).message).toMatch(/^loki http:\/\/127\.0\.0\.1:\d+: sampling lines to map fields: HTTP 429 \(too many outstanding requests\), the store asks to come back later$/)
  })

  it('a bad selector is refused in one line before it is sent; a query the engine refuses is one line with its reason', async () => {
    const sent = fake.requests.length
    const bad = await lokiAdapter().read(spec('app="shop"')).catch((e: Error) => e)
    expect((bad as Error).message).toBe('LogQL selector "app=\\"shop\\"": expected "{" at column 1 (write {label="value", …} optionally followed by |= "text" line filters)')
    const empty = await lokiAdapter().read(spec('{app=~".*"}')).catch((e: Error) => e)
    expect((empty as Error).message).toMatch(/needs at least one matcher that does not match the empty string/)
    const trailing = await lokiAdapter().read(spec('{app="shop"} | json')).catch((e: Error) => e)
    expect((trailing as Error).message).toMatch(/only line filters .* may follow the selector at column 14/)
    expect(fake.requests.length).toBe(sent)
    const refused = await lokiAdapter().read(spec('{app="shop", job="nginx"} |~ "(?<=GET )/api"')).catch((e: Error) => e)
    expect((refused as Error).message).toMatch(/^loki http:\/\/127\.0\.0\.1:\d+: sampling lines to map fields failed \(HTTP 400\): parse error : error parsing regexp: invalid or unsupported Perl syntax: `\(\?<=`$/)
  })

  it('a 504 on a breakdown is a warning on the card and the rest stands; a 504 on the counts fails the read as a timeout', async () => {
    fake.inject = [{ when: /^sum by \(t5_instance, t5_status\)/, status: 504, body: 'context deadline exceeded\n' }]
    const partial = await lokiAdapter().read(spec('{app="shop", job="nginx"}'))
    expect(partial.result.requests.requests).toBe(accessJson.length)
    expect(partial.result.requests.instances).toEqual([])
    expect(partial.warnings).toEqual([expect.stringMatching(/: requests per instance not counted: loki http:\/\/127\.0\.0\.1:\d+: counting requests per instance timed out in the store \(HTTP 504\): context deadline exceeded$/)])
    fake.inject = [{ when: /^sum by \(t5_status\) \(count_over_time\([^)]*\[\d+ms\]\)\)$/, status: 504, body: 'context deadline exceeded\n' }]
    const failure = await lokiAdapter().read(spec('{app="shop", job="nginx"}')).catch((e: unknown) => e)
    fake.inject = []
    expect(failure).toMatchObject({ kind: 'timeout', retryable: true })
  })

  it('a partial answer is a warning on the source card; the counts stand', async () => {
    fake.warn = [{ when: /^sum by \(t5_status\) \(count_over_time\([^)]*\[\d+ms\]\)\)$/, warning: 'query timed out on 1 of 4 queriers; results are partial' }]
    const { snapshot, sources } = await analyzeOnce({ paths: [], stores: [spec('{app="shop", job="nginx"}')], format: null, fieldMap: null, deploys, health: [] })
    fake.warn = []
    expect(snapshot.v1.requests).toBe(accessJson.length)
    const card = sources.find((s) => s.store !== null && s.store !== undefined)
    expect(card?.store?.warnings).toEqual([expect.stringMatching(/: counting statuses: query timed out on 1 of 4 queriers; results are partial$/)])
  })

  it('a stream no format reads is unreadable, never an all-clear', async () => {
    const reading = await lokiAdapter().read(spec('{app="shop", job="core-dump"}'))
    expect(reading.result.lines).toBe(50)
    expect(reading.result.unparsed).toBe(50)
    expect(reading.warnings).toEqual([expect.stringMatching(/lines read as no known log shape; map the fields/)])
    const v1 = await fromStreams('{app="shop", job="core-dump"}')
    expect(v1.sources[0].unread).not.toBeNull()
    expect(v1.verdict?.playbook ?? null).not.toBe('none')
  })

  it('a bearer token and a tenant reach the store; the token never appears in errors or warnings', async () => {
    process.env.TRIAGE500_TEST_LOKI = 'glc_s3cr3t-token-value'
    const credential = { kind: 'env' as const, name: 'TRIAGE500_TEST_LOKI', scheme: 'bearer' as const }
    fake.requests = []
    fake.warn = [{ when: /^sum by \(t5_status\) \(count_over_time\([^)]*\[\d+ms\]\)\)$/, warning: 'partial' }]
    const ok = await lokiAdapter().read(spec('{app="shop", job="nginx"}', { credential, tenant: 'team-shop' }))
    expect(fake.requests.every((r) => r.headers.authorization === 'Bearer glc_s3cr3t-token-value' && r.headers['x-scope-orgid'] === 'team-shop')).toBe(true)
    fake.inject = [{ when: /./, status: 401, body: 'no org id\n' }]
    const failure = await lokiAdapter().read(spec('{app="shop", job="nginx"}', { credential, tenant: 'team-shop' })).catch((e: Error) => e)
    delete process.env.TRIAGE500_TEST_LOKI
    fake.inject = []
    expect((failure as Error).message).toMatch(/^loki http:\/\/127\.0\.0\.1:\d+: authentication failed \(HTTP 401\): no org id$/)
    for (const text of [...ok.warnings, (failure as Error).message]) expect(text).not.toContain('s3cr3t')
  })

  it('session: an open-ended stream is followed up to now (months of minutes, split within the point limit); its card counts lines', async () => {
    const session = new SessionService({ follow: true })
    try {
      fake.requests = []
      const info = await session.addStore({ kind: 'loki', url: fake.url, query: '{app="shop", job="nginx"}', from: window.from, to: null, credential: { kind: 'none' }, intervalMs: 60_000 })
      await session.idle()
      const card = (await session.getSnapshot({})).sources.find((s) => s.id === info.id)
      expect(card?.state).toBe('tailing')
      expect(card?.store?.health).toBe('ok')
      expect(card?.lines).toBe(accessJson.length)
      expect((await session.getAnalysis({}))?.v1.requests).toBe(accessJson.length)
      expect((await session.getAnalysis({}))?.v1.statusCounts).toEqual(fromFiles.json?.statusCounts)
      // The window runs to now: more minutes than one range query may hold, so several were sent.
      expect(fake.requests.filter((r) => r.path.endsWith('/query_range') && r.query.includes('[60s]')).length).toBeGreaterThan(1)
    } finally {
      await session.close()
    }
  }, 120_000)

  it('CLI: analyze --store URL --store-kind loki --query … prints the same JSON verdict as analyze on the files, and what the read cost', async () => {
    const run = async (argv: string[]): Promise<{ v1: AnalysisV1; err: string }> => {
      let out = ''
      let err = ''
      const code = await runCli(['analyze', '--format', 'json', '--deploys', files.deploys, ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir })
      expect(code, err).toBe(0)
      return { v1: JSON.parse(out) as AnalysisV1, err }
    }
    const fileRun = await run([files.access, files.app])
    const iso = (t: number): string => new Date(t).toISOString()
    fake.requests = []
    const storeRun = await run(['--store', fake.url, '--store-kind', 'loki', '--store-tenant', 'team-shop', '--query', '{app="shop", job="nginx"}', '--query', '{app="shop", job="shop-api"}', '--from', iso(window.from), '--to', iso(window.to)])
    expect(essentials(storeRun.v1)).toEqual(essentials(fileRun.v1))
    expect(fake.requests.every((r) => r.headers['x-scope-orgid'] === 'team-shop')).toBe(true)
    expect(storeRun.err).toMatch(/^store http:\/\/127\.0\.0\.1:\d+ \{app="shop", job="nginx"\}: [\d.]+ [KM]?B moved of [\d.]+ [KM]?B scanned by the engine \([\d.]+%\)/m)
  }, 120_000)
})
