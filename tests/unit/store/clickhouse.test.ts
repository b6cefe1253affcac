/**
 * A real ClickHouse (the Debian package, 18.16) on loopback: the scenario's rows loaded into
 * MergeTree tables and, through a Distributed table, over two shards. `analyze` over the store
 * must reach the same verdict, counts and groups as `analyze` over the same rows as files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { runCli } from '../../../electron/cli/main'
import { SessionService } from '../../../electron/session/service'
import type { StoreSourceSpec } from '../../../shared/contract'
import type { AnalysisV1 } from '../../../shared/contract/analysis'
import type { DeployEvent } from '../../../shared/model/evidence'
import { clickhouseAdapter } from '../../../electron/collect/store/clickhouse'
import { BUCKET } from '../../../shared/analysis/aggregate'
import { clickhouseBinary, startClickHouse, type LocalClickHouse } from '../../../scripts/clickhouse-local.mjs'
import {
  ACCESS_TABLE_COLUMNS,
  accessInsertBody,
  APP_TABLE_COLUMNS,
  DEPLOY_AT,
  jsonLines,
  SCENARIO_MINUTES,
  SCENARIO_START,
  scenarioRows,
  writeScenarioFiles
} from '../../support/store-scenario'

const binary = clickhouseBinary()
if (binary === null) console.log('clickhouse store tests skipped: clickhouse-server is not installed (apt-get install -y clickhouse-server)')

type AccessRow = ReturnType<typeof scenarioRows>['access'][number]
/** 5xx kept on the first upstream that served one; the others answered 200. */
function oneUpstreamFails(access: AccessRow[]): AccessRow[] {
  const bad = access.find((r) => Number(r.status) >= 500)?.upstream_addr
  return access.map((r) => (Number(r.status) >= 500 && r.upstream_addr !== bad ? { ...r, status: 200 } : r))
}

const deploys: DeployEvent[] = [{ version: 'v2.8.0', at: DEPLOY_AT, commit: null, source: 'given' }]
const window = { from: SCENARIO_START, to: SCENARIO_START + SCENARIO_MINUTES * 60_000 - 1 }

/** What must agree between files and store: the verdict and what it stands on. */
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

describe.skipIf(binary === null)('ClickHouse store (real engine on loopback)', () => {
  let ch: LocalClickHouse
  let dir: string
  let files: { access: string; app: string; deploys: string }
  let fromFiles: AnalysisV1

  beforeAll(async () => {
    ch = await startClickHouse()
    dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-store-'))
    const rows = scenarioRows()
    files = writeScenarioFiles(dir, rows)
    for (const db of ['shop', 'shard1', 'shard2']) {
      await ch.query(`CREATE DATABASE ${db}`)
      await ch.query(`CREATE TABLE ${db}.access ${ACCESS_TABLE_COLUMNS} ENGINE = MergeTree ORDER BY time_iso8601`)
      await ch.query(`CREATE TABLE ${db}.app ${APP_TABLE_COLUMNS} ENGINE = MergeTree ORDER BY \`@timestamp\``)
    }
    // The same requests with the 5xx left on one upstream only: what an `instance` verdict stands on.
    await ch.query(`CREATE TABLE shop.access_one ${ACCESS_TABLE_COLUMNS} ENGINE = MergeTree ORDER BY time_iso8601`)
    await ch.query(`CREATE TABLE shop.access_all AS shop.access ENGINE = Distributed(triage_two_shards, '', access, rand())`)
    await ch.query(`CREATE TABLE shop.app_all AS shop.app ENGINE = Distributed(triage_two_shards, '', app, rand())`)
    await ch.query('INSERT INTO shop.access FORMAT JSONEachRow', accessInsertBody(rows.access))
    await ch.query('INSERT INTO shop.app FORMAT JSONEachRow', jsonLines(rows.app))
    await ch.query('INSERT INTO shop.access_one FORMAT JSONEachRow', accessInsertBody(oneUpstreamFails(rows.access)))
    // Each shard holds every other row: only the engine's distributed path sees them all.
    const half = <T>(list: T[], odd: number): T[] => list.filter((_, i) => i % 2 === odd)
    for (const [db, odd] of [['shard1', 0], ['shard2', 1]] as const) {
      await ch.query(`INSERT INTO ${db}.access FORMAT JSONEachRow`, accessInsertBody(half(rows.access, odd)))
      await ch.query(`INSERT INTO ${db}.app FORMAT JSONEachRow`, jsonLines(half(rows.app, odd)))
    }
    fromFiles = (await analyzeOnce({ paths: [files.access, files.app], format: null, fieldMap: null, deploys, health: [] })).snapshot.v1
  }, 120_000)

  // The server gets 10 s to stop on SIGTERM before SIGKILL: the hook waits for that.
  afterAll(async () => {
    await ch?.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  }, 30_000)

  const spec = (query: string, extra: Partial<Omit<StoreSourceSpec, 'to'>> = {}): StoreSourceSpec & { to: number } => ({ kind: 'clickhouse', url: ch.url, query, ...window, credential: { kind: 'none' }, ...extra })

  it('the files alone show the incident the scenario holds (the reference is not empty)', () => {
    expect(fromFiles.verdict?.playbook).toBe('rollback')
    expect(fromFiles.statusCounts['500']).toBeGreaterThan(300)
    expect(fromFiles.errorGroups.length).toBeGreaterThanOrEqual(2)
    expect(fromFiles.impact?.clients).toBeGreaterThan(10)
  })

  it('a MergeTree table gives the same verdict, counts and groups as the same rows as files', async () => {
    const { snapshot } = await analyzeOnce({ paths: [], stores: [spec('shop.access'), spec('shop.app')], format: null, fieldMap: null, deploys, health: [] })
    expect(essentials(snapshot.v1)).toEqual(essentials(fromFiles))
    expect(snapshot.v1.sources.map((s) => s.path)).toEqual([`${ch.url}/ shop.access`.replace('/ ', ' '), `${ch.url} shop.app`])
  })

  it('a Distributed table over two shards gives the same answer (push-down on the distributed path)', async () => {
    const { snapshot } = await analyzeOnce({ paths: [], stores: [spec('shop.access_all'), spec('shop.app_all')], format: null, fieldMap: null, deploys, health: [] })
    expect(essentials(snapshot.v1)).toEqual(essentials(fromFiles))
  })

  it('only samples move: bytes moved are a small share of the rows, and the engine says what it scanned', async () => {
    const reading = await clickhouseAdapter().read(spec('shop.access'))
    const raw = jsonLines(scenarioRows().access).length
    expect(reading.result.requests.requests).toBe(fromFiles.requests)
    expect(reading.scannedBytes).toBeGreaterThan(0)
    expect(reading.bytesMoved).toBeGreaterThan(0)
    expect(reading.bytesMoved).toBeLessThan(raw / 4)
  })

  it('a store beside files: the store counts requests, the app log file adds its errors', async () => {
    const { snapshot } = await analyzeOnce({ paths: [files.app], stores: [spec('shop.access')], format: null, fieldMap: null, deploys, health: [] })
    expect(essentials(snapshot.v1)).toEqual(essentials(fromFiles))
  })

  it('a WHERE condition after the table narrows the rows in the engine', async () => {
    const reading = await clickhouseAdapter().read(spec("shop.access WHERE request_uri LIKE '/api/orders/%'"))
    const rows = scenarioRows().access.filter((r) => String(r.request_uri).startsWith('/api/orders/'))
    expect(reading.result.requests.requests).toBe(rows.length)
    expect(reading.result.requests.routes.map((r) => r.route)).toEqual(['/api/orders/:id/invoice'])
  })

  it('reads with a password from an environment variable; a wrong one is one line naming the store', async () => {
    process.env.TRIAGE500_TEST_CH = 'triage:triage-secret'
    const ok = await clickhouseAdapter().read(spec('shop.access', { credential: { kind: 'env', name: 'TRIAGE500_TEST_CH', scheme: 'basic' } }))
    expect(ok.result.requests.requests).toBe(fromFiles.requests)
    process.env.TRIAGE500_TEST_CH = 'triage:wrong'
    const failure = await clickhouseAdapter().read(spec('shop.access', { credential: { kind: 'env', name: 'TRIAGE500_TEST_CH', scheme: 'basic' } })).catch((e: Error) => e)
    delete process.env.TRIAGE500_TEST_CH
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toMatch(new RegExp(`^clickhouse ${ch.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: authentication failed`))
    expect((failure as Error).message).not.toContain('wrong')
    expect((failure as Error).message.split('\n')).toHaveLength(1)
  })

  it('CLI: analyze --store … --query … prints the same JSON verdict as analyze on the files, and what the read cost', async () => {
    const run = async (argv: string[]): Promise<{ v1: AnalysisV1; err: string }> => {
      let out = ''
      let err = ''
      const code = await runCli(['analyze', '--format', 'json', '--deploys', files.deploys, ...argv], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: dir })
      expect(code, err).toBe(0)
      return { v1: JSON.parse(out) as AnalysisV1, err }
    }
    const fileRun = await run([files.access, files.app])
    const iso = (t: number): string => new Date(t).toISOString()
    const storeRun = await run(['--store', ch.url, '--query', 'shop.access_all', '--query', 'shop.app_all', '--from', iso(window.from), '--to', iso(window.to)])
    expect(essentials(storeRun.v1)).toEqual(essentials(fileRun.v1))
    expect(storeRun.err).toMatch(new RegExp(`^store http://127\\.0\\.0\\.1:\\d+ shop\\.access_all: [\\d.]+ [KM]?B moved of [\\d.]+ [KM]?B scanned by the engine \\([\\d.]+%\\)`, 'm'))
     // The report made from the same read cites what it cost, in the sources section.
    let md = ''
    const code = await runCli(['analyze', '--format', 'markdown', '--store', ch.url, '--query', 'shop.access_all', '--from', iso(window.from), '--to', iso(window.to)], { stdout: (t) => (md += t), stderr: () => undefined, cwd: dir })
    expect(code).toBe(0)
    expect(md).toMatch(/^- `http:\/\/127\.0\.0\.1:\d+ shop\.access_all` — .+; clickhouse store: [\d.]+ [KM]?B moved of [\d.]+ [KM]?B scanned by the engine \([\d.]+%\)/m)
  })

  it('session: an open-ended store is followed; its card counts rows; incident.json keeps the spec', async () => {
    const session = new SessionService({ follow: true })
    try {
      const info = await session.addStore({ kind: 'clickhouse', url: ch.url, query: 'shop.access', from: window.from, to: null, credential: { kind: 'none' }, intervalMs: 60_000 })
      await session.idle()
      const card = (await session.getSnapshot({})).sources.find((s) => s.id === info.id)
      expect(card?.state).toBe('tailing')
      expect(card?.store?.health).toBe('ok')
      expect(card?.lines).toBe(fromFiles.requests)
      expect(card?.store?.bytesMoved).toBeGreaterThan(0)
      expect((await session.getAnalysis({}))?.v1.requests).toBe(fromFiles.requests)
      expect((await session.getIncident({})).sources[0].store).toMatchObject({ url: ch.url, query: 'shop.access', to: null })
    } finally {
      await session.close()
    }
  })

  it('a bad query is one clear line from the engine, not a crash', async () => {
    const failure = await analyzeOnce({ paths: [], stores: [spec('shop.nope')], format: null, fieldMap: null, deploys: [], health: [] }).catch((e: Error) => e)
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toMatch(/^clickhouse http:\/\/127\.0\.0\.1:\d+: describing the table failed \(HTTP \d+, code 60\): Table shop\.nope doesn't exist/)
  })

  it('requests and 5xx per instance are counted by the engine, as the files count them', async () => {
    const reading = await clickhouseAdapter().read(spec('shop.access'))
    const expected = new Map<string, { requests: number; s5xx: number }>()
    for (const r of scenarioRows().access) {
      const e = expected.get(String(r.upstream_addr)) ?? { requests: 0, s5xx: 0 }
      e.requests++
      if (Number(r.status) >= 500) e.s5xx++
      expected.set(String(r.upstream_addr), e)
    }
    const got = reading.result.requests.instances.map((i) => [i.name, { requests: i.requests, s5xx: i.s5xx }] as const).sort((a, b) => a[0].localeCompare(b[0]))
    expect(got).toEqual([...expected.entries()].sort((a, b) => a[0].localeCompare(b[0])))
    expect(got.some(([, i]) => i.s5xx > 0)).toBe(true)
  })

  it('5xx on one upstream: the store gives the same instance verdict as the files', async () => {
    const accessOne = path.join(dir, 'access-one.log')
    writeFileSync(accessOne, jsonLines(oneUpstreamFails(scenarioRows().access)))
    const files = (await analyzeOnce({ paths: [accessOne], format: null, fieldMap: null, deploys: [], health: [] })).snapshot.v1
    expect(files.verdict?.playbook).toBe('instance')
    const { snapshot } = await analyzeOnce({ paths: [], stores: [spec('shop.access_one')], format: null, fieldMap: null, deploys: [], health: [] })
    expect(essentials(snapshot.v1)).toEqual(essentials(files))
  })

  it('a long window gets minute rows plus the seconds that hold a 5xx: the same verdict, counts and groups', async () => {
    const coarse = clickhouseAdapter({ limits: { exactSecondsMs: 0 } })
    const exact = await clickhouseAdapter().read(spec('shop.access'))
    const reading = await coarse.read(spec('shop.access'))
    expect(reading.result.requests.seconds.length).toBeLessThan(exact.result.requests.seconds.length / 2)
    // Seconds past a minute's first hold exactly their own counts; a minute's first row also holds the minute's quiet seconds.
    const failing = (rows: number[][]): number[][] => rows.filter((r) => r[1 + BUCKET.s5xx] > 0 && r[0] % 60 !== 0)
    expect(failing(reading.result.requests.seconds)).toEqual(failing(exact.result.requests.seconds))
    const sum = (rows: number[][], field: number): number => rows.reduce((n, r) => n + r[1 + field], 0)
    for (const field of [BUCKET.total, BUCKET.s5xx, BUCKET.s4xx, BUCKET.s500])
      expect(sum(reading.result.requests.seconds, field)).toBe(sum(exact.result.requests.seconds, field))
    const { snapshot } = await analyzeOnce({ paths: [], stores: [spec('shop.access'), spec('shop.app')], storeAdapters: { clickhouse: coarse }, format: null, fieldMap: null, deploys, health: [] })
    expect(essentials(snapshot.v1)).toEqual(essentials(fromFiles))
  })
})
