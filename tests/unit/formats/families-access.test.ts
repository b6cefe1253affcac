/**
 * Real access/proxy logs (issue #20, ACCESS and PROXY families): every fixture under
 * tests/fixtures/logs/<format>/ whose expect.json names one of these formats is read through the
 * real pipeline (readLogFile) and must give the detected format, the request count and the
 * per-status counts that were established by hand / grep / awk / jq (see each expect.json's note).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLogFile } from '../../../electron/collect/read-file'
import { inspectSourceFile } from '../../../electron/collect/source-file'
import { repoRoot } from '../../support/shared-data'
import { LOG_FORMATS } from '../../../shared/model/evidence'

/** The formats this family owns; their fixtures live in tests/fixtures/logs/<id>/. */
export const ACCESS_FAMILY_FORMATS = [
  'haproxy-http',
  'envoy',
  'traefik-clf',
  'traefik-json',
  'iis-w3c',
  'cloudfront',
  'aws-alb',
  'aws-elb',
  'heroku-router'
] as const

interface Expectation {
  format: string
  requests: number
  statusCounts: Record<string, number>
  events: number | null
  note: string
}

const fixturesDir = path.join(repoRoot, 'tests', 'fixtures', 'logs')
const sourcesFile = path.join(repoRoot, 'tests', 'fixtures', 'SOURCES.md')

function isExpectation(value: unknown): value is Expectation {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return (
    typeof v.format === 'string' &&
    typeof v.requests === 'number' &&
    typeof v.statusCounts === 'object' &&
    v.statusCounts !== null &&
    Object.values(v.statusCounts).every((n) => typeof n === 'number') &&
    (v.events === null || typeof v.events === 'number') &&
    typeof v.note === 'string' &&
    v.note.length > 0
  )
}

interface Case {
  name: string
  log: string
  expected: Expectation
}

function loadCases(): Case[] {
  const cases: Case[] = []
  for (const dir of readdirSync(fixturesDir)) {
    const full = path.join(fixturesDir, dir)
    for (const file of readdirSync(full).filter((f) => f.endsWith('.expect.json')).sort()) {
      const raw: unknown = JSON.parse(readFileSync(path.join(full, file), 'utf8'))
      if (!isExpectation(raw)) throw new Error(`${dir}/${file}: not a {format, requests, statusCounts, events, note} expectation`)
      if (!(ACCESS_FAMILY_FORMATS as readonly string[]).includes(raw.format)) continue
      cases.push({ name: `${dir}/${file.replace(/\.expect\.json$/, '.log')}`, log: path.join(full, file.replace(/\.expect\.json$/, '.log')), expected: raw })
    }
  }
  return cases
}

const cases = loadCases()

describe('access/proxy fixtures', () => {
  it('cover every format of the family, each with its log and one SOURCES.md line', () => {
    expect(new Set(cases.map((c) => c.expected.format))).toEqual(new Set(ACCESS_FAMILY_FORMATS))
    const sources = readFileSync(sourcesFile, 'utf8').split('\n')
    for (const c of cases) {
      expect(existsSync(c.log), c.name).toBe(true)
      expect(path.basename(path.dirname(c.log)), c.name).toBe(c.expected.format)
      const rel = path.relative(repoRoot, c.log).split(path.sep).join('/')
      expect(sources.filter((line) => line.startsWith(`${rel} — `)), rel).toHaveLength(1)
      const total = Object.values(c.expected.statusCounts).reduce((a, b) => a + b, 0)
      expect(total, `${c.name}: statusCounts add up to requests`).toBe(c.expected.requests)
      const lines = readFileSync(c.log, 'utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length
      expect(lines, `${c.name}: at most 200 lines`).toBeLessThanOrEqual(200)
      if (c.expected.events !== null) expect(c.expected.events, c.name).toBeGreaterThanOrEqual(c.expected.requests)
    }
  })
})

/**
 * A fixture is read through the pipeline once its format id is known to the app. Until the format
 * definitions land (issue #20, "Formats as data") the case is reported as skipped, never passed.
 */
const known = (format: string): boolean => (LOG_FORMATS as readonly string[]).includes(format)

describe.each(cases)('$name', ({ log, expected }) => {
  it.skipIf(!known(expected.format))(`reads as ${expected.format} with ${expected.requests} requests and the counted statuses`, async () => {
    const r = await readLogFile(await inspectSourceFile(log))
    const statusCounts = Object.fromEntries(Object.entries(r.requests.statusCounts).map(([k, v]) => [String(k), v]))
    expect({ format: r.format, requests: r.requests.requests, statusCounts }).toEqual({
      format: expected.format,
      requests: expected.requests,
      statusCounts: expected.statusCounts
    })
  })
})
