import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { EvidenceFileError, readDeploysFile, readHealthFile } from '../../../electron/collect/evidence-files'
import { fixture } from './servers'

let dir = ''
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-evidence-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes `text` as `name` in the temp dir; returns the path. */
const file = async (name: string, text: string): Promise<string> => {
  const p = path.join(dir, name)
  await writeFile(p, text)
  return p
}

const ms = (iso: string): number => Date.parse(iso)

describe('readDeploysFile', () => {
  it('reads a JSON array, sorted by time, keeping commit and source', async () => {
    const deploys = await readDeploysFile(fixture('deploys.json'))
    expect(deploys).toEqual([
      { version: '2.14.0', at: ms('2024-04-28T09:00:00Z'), commit: '5f3e2d1', source: 'deploys.json', origin: 'given' },
      { version: '2.14.1', at: ms('2024-04-30T08:00:00.250Z'), commit: null, source: 'argocd', origin: 'given' },
      { version: '2.15.0', at: ms('2024-05-01T10:00:00Z'), commit: null, source: 'deploys.json', origin: 'given' }
    ])
  })

  it('reads JSON lines with blank lines and extra fields', async () => {
    const deploys = await readDeploysFile(fixture('deploys.jsonl'))
    expect(deploys.map((d) => [d.version, new Date(d.at).toISOString(), d.commit])).toEqual([
      ['2.14.0', '2024-04-28T09:00:00.000Z', null],
      ['2.15.0', '2024-05-01T10:00:00.000Z', 'a84d88e']
    ])
  })

  it("reads the app's own saved deploy events (epoch ms times)", async () => {
    expect(await readDeploysFile(fixture('saved-deploy-events.jsonl'))).toEqual([
      { version: '2.15.0', at: 1714564931000, commit: '8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d', source: 'orders-argocd', origin: 'given' }
    ])
  })

  it('reads an empty file as no deploys, and CRLF lines with a BOM', async () => {
    expect(await readDeploysFile(await file('empty.json', ''))).toEqual([])
    const crlf = await file('crlf.jsonl', '\uFEFF{"version":"1","at":"2024-05-01T10:00:00Z"}\r\n{"version":"2","at":"2024-05-01 11:00"}\r\n')
    expect((await readDeploysFile(crlf)).map((d) => d.at)).toEqual([ms('2024-05-01T10:00:00Z'), ms('2024-05-01T11:00:00Z')])
  })

  const badDeploys: [string, string, string][] = [
    ['bad-at.jsonl', '{"version":"1","at":"2024-05-01T10:00:00Z"}\n\n{"version":"2","at":"yesterday"}\n', 'line 3: "at" is not an ISO-8601 time ("yesterday")'],
    ['no-at.jsonl', '{"version":"1"}\n', 'line 1: "at" is missing'],
    ['bad-day.jsonl', '{"version":"1","at":"2024-02-30T10:00:00Z"}\n', 'line 1: "at" is not an ISO-8601 time ("2024-02-30T10:00:00Z")'],
    ['at-bool.jsonl', '{"version":"1","at":true}\n', 'line 1: "at" must be an ISO-8601 time, got true'],
    ['no-version.jsonl', '{"at":"2024-05-01T10:00:00Z"}\n', 'line 1: "version" is missing'],
    ['num-version.jsonl', '{"version":1.10,"at":"2024-05-01T10:00:00Z"}\n', 'line 1: "version" must be text, got a number (1.1)'],
    ['empty-version.jsonl', '{"version":" ","at":"2024-05-01T10:00:00Z"}\n', 'line 1: "version" is empty'],
    ['bad-commit.jsonl', '{"version":"1","at":"2024-05-01T10:00:00Z","commit":42}\n', 'line 1: "commit" must be text, got a number (42)'],
    ['not-object.jsonl', '{"version":"1","at":"2024-05-01T10:00:00Z"}\n["2", "2024"]\n', 'line 2: expected a JSON object, got a list'],
    ['bad-json.jsonl', '{"version":"1","at":"2024-05-01T10:00:00Z"}\n{"version": "2", at: 3}\n', 'line 2: not valid JSON ('],
    ['array-bad-at.json', '[\n  {"version":"1","at":"2024-05-01T10:00:00Z"},\n  {"version":"2",\n   "at":"noon"}\n]\n', 'line 3: "at" is not an ISO-8601 time ("noon")'],
    ['array-bad-json.json', '[\n  {"version":"1","at":"2024-05-01T10:00:00Z"},\n  {"version":"2" "at":"noon"}\n]\n', 'line 3: not valid JSON (']
  ]
  for (const [name, text, message] of badDeploys) {
    it(`names file, line and field: ${message}`, async () => {
      const p = await file(name, text)
      const err = await readDeploysFile(p, { displayName: name }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(EvidenceFileError)
      const { message: got } = err as EvidenceFileError
      expect(got.startsWith(`${name} ${message}`)).toBe(true)
      expect(got).not.toContain('\n')
    })
  }

  it('gives the exact one-line message of the contract example', async () => {
    const p = await file('deploys.json', '{"version":"1","at":"2024-05-01T10:00:00Z"}\n{"version":"2","at":"2024-05-01T11:00:00Z"}\n{"version":"3","at":"yesterday"}\n')
    await expect(readDeploysFile(p, { displayName: 'deploys.json' })).rejects.toThrow(
      new EvidenceFileError('deploys.json line 3: "at" is not an ISO-8601 time ("yesterday")', 'deploys.json', 3, 'at')
    )
    const err = (await readDeploysFile(p, { displayName: 'deploys.json' }).catch((e: unknown) => e)) as EvidenceFileError
    expect([err.file, err.line, err.field]).toEqual(['deploys.json', 3, 'at'])
  })

  it('names a file it cannot read', async () => {
    const missing = path.join(dir, 'nope.json')
    await expect(readDeploysFile(missing)).rejects.toThrow(`${missing}: cannot read (no such file)`)
    await expect(readDeploysFile(dir)).rejects.toThrow(`${dir}: cannot read (is a directory, not a file)`)
  })
})

describe('readHealthFile', () => {
  it('reads JSON lines sorted by time, detail becoming the error', async () => {
    expect(await readHealthFile(fixture('health.jsonl'))).toEqual([
      { at: ms('2024-05-01T10:00:00Z'), target: 'postgres', ok: false, status: null, latencyMs: 5000, error: 'timed out after 5000 ms', components: [] },
      { at: ms('2024-05-01T10:00:15Z'), target: 'postgres', ok: true, status: 200, latencyMs: 12, error: null, components: [] },
      { at: ms('2024-05-01T10:00:30Z'), target: 'redis', ok: false, status: 503, latencyMs: null, error: 'status DOWN', components: [] }
    ])
  })

  it("reads the app's own saved samples with components", async () => {
    const samples = await readHealthFile(fixture('saved-health-samples.jsonl'))
    expect(samples).toHaveLength(2)
    expect(samples[0]).toEqual({
      at: 1714557600000,
      target: 'orders',
      ok: false,
      status: 503,
      latencyMs: 41,
      error: 'status DOWN; failing: db (DOWN)',
      components: [
        { name: 'db', ok: false, status: 'DOWN' },
        { name: 'ping', ok: true, status: 'UP' }
      ]
    })
  })

  const badHealth: [string, string][] = [
    ['{"at":"2024-05-01T10:00:00Z","ok":true}', 'line 1: "target" is missing'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":"yes"}', 'line 1: "ok" must be true or false, got text ("yes")'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db"}', 'line 1: "ok" is missing'],
    ['{"at":"10:00","target":"db","ok":true}', 'line 1: "at" is not an ISO-8601 time ("10:00")'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":true,"latencyMs":-3}', 'line 1: "latencyMs" must be a number of milliseconds (0 or more), got a number (-3)'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":false,"status":"500"}', 'line 1: "status" must be an HTTP status (100-599), got text ("500")'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":false,"status":42}', 'line 1: "status" must be an HTTP status (100-599), got a number (42)'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":false,"detail":{"x":1}}', 'line 1: "detail" must be text, got an object'],
    ['{"at":1,"target":"db","ok":false,"components":[{"name":"x","ok":"no","status":"DOWN"}]}', 'line 1: "components[0].ok" must be true or false, got text ("no")'],
    ['{"at":"2024-05-01T10:00:00Z","target":"db","ok":true}\nnot json', 'line 2: not valid JSON (']
  ]
  for (const [text, message] of badHealth) {
    it(`names file, line and field: ${message}`, async () => {
      const p = await file('health-bad.jsonl', text)
      await expect(readHealthFile(p, { displayName: 'health.jsonl' })).rejects.toThrow(`health.jsonl ${message}`)
    })
  }
})
