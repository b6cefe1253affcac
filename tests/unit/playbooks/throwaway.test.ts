/**
 * Adding a playbook is one folder: a throw-away "certificate expired" module registered in a test
 * registry is detected in the precedence its rank gives it, gets its runbook and its report rows,
 * and a registry that misses a module does not typecheck. The one line outside the folder a real
 * playbook also needs is its id in the contract's PLAYBOOKS (and its entry in shared/playbooks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { emptyIncident, PLAYBOOKS, type Playbook } from '../../../shared/contract'
import { analyze, detectFindings, detectionFor } from '../../../shared/analysis/verdict'
import { eventText } from '../../../shared/analysis/verdict/event-text'
import type { AnalysisInput } from '../../../shared/analysis/input'
import { byRank, PLAYBOOK_MODULES, PRECEDENCE, type PlaybookModule, type PlaybookRegistry } from '../../../shared/playbooks'
import { runbookOf } from '../../../shared/runbook'
import { action } from '../../../shared/runbook/steps'
import { reportFacts } from '../../../shared/report/facts'
import { readLogFiles } from '../../../electron/collect/read-files'
import { analysisInput } from '../../../electron/session/analysis-input'
import { access, app, errorsFor, fail, min, traffic } from '../verdict/scenario'

type Certificate = 'certificate-expired'
const EXPIRED = /certificate has expired/i

/** What a new playbook's folder would export. */
const certificate: PlaybookModule<Certificate> = {
  id: 'certificate-expired',
  // Between rollback (3) and dependency (4): an expired certificate explains the failed calls better than the dependency they go to.
  rank: 3.5,
  why: 'An expired certificate is the cause of the failed calls, not the service they go to.',
  title: 'A TLS certificate has expired',
  firstAction: 'Renew the certificate and reload whatever serves it.',
  detect: ({ ctx }) => {
    const hits = ctx.errors.filter((e) => EXPIRED.test(eventText(e)))
    if (hits.length < 3) return null
    return { finding: { confidence: 0.9, reasons: [{ text: `${hits.length} app errors say a certificate has expired`, evidence: [] }] } }
  },
  steps: ({ a }) => [
    { ...action('renew', 'Renew the certificate', 'Renew it (certbot renew, your CA), reload the server, then check the expiry with openssl s_client.'), settled: a !== null }
  ],
  impact: (a) => {
    const n = a.v1.errorGroups.filter((g) => EXPIRED.test(g.message)).reduce((s, g) => s + g.count, 0)
    return n > 0 ? [['Expired-certificate errors', String(n)]] : []
  }
}

const registry = { ...PLAYBOOK_MODULES, 'certificate-expired': certificate } satisfies PlaybookRegistry<Playbook | Certificate>

let dir: string
let input: AnalysisInput
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-playbook-'))
  const reqs = traffic({ minutes: 40, perSecond: 5, seed: 31 })
  const broken = fail(reqs, (r, rnd) => (r.time >= min(15) && r.time < min(30) && r.path !== '/health' && rnd() < 0.5 ? 502 : null))
  const errors = errorsFor(broken, () => ({ type: 'Error', message: 'request to https://payments-api:8443/v1/charge failed, reason: socket hang up (certificate has expired)' }))
  await writeFile(path.join(dir, 'access.log'), access.nginx(reqs))
  await writeFile(path.join(dir, 'app.log'), app.pino(errors))
  const readings = await readLogFiles([path.join(dir, 'access.log'), path.join(dir, 'app.log')])
  input = analysisInput(readings, [], [])
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('a throw-away playbook in a test registry', () => {
  it('is detected, in the place its rank gives it', () => {
    const real = detectFindings(PLAYBOOK_MODULES, detectionFor(input))
    const withIt = detectFindings(registry, detectionFor(input))
    // The calls fail with a reset, so the real registry blames the dependency…
    expect(real.findings.map((f) => f.playbook)).toEqual(['dependency'])
    // …and the new playbook, ranked before it, takes the verdict; the dependency stays a secondary finding.
    expect(withIt.findings.map((f) => f.playbook)).toEqual(['certificate-expired', 'dependency'])
    expect(withIt.findings[0]).toMatchObject({ confidence: 0.9, reasons: [{ text: expect.stringMatching(/^\d+ app errors say a certificate has expired$/) }] })
    expect(withIt.fields).toEqual(real.fields)
    expect(byRank(registry).map((m) => m.id)).toEqual([...PRECEDENCE.slice(0, 4), 'certificate-expired', ...PRECEDENCE.slice(4)])
  })

  it('gets its runbook: title, first action and steps from its module', () => {
    const rb = runbookOf(registry, 'certificate-expired', analyze(input), emptyIncident('inc-1', 'Payments', '2026-03-14T14:00:00Z'))
    expect(rb).toMatchObject({ playbook: 'certificate-expired', title: 'A TLS certificate has expired', firstAction: 'Renew the certificate and reload whatever serves it.' })
    expect(rb.steps.map((s) => [s.id, s.status])).toEqual([['renew', 'auto-checked']])
  })

  it('adds its rows to the report', () => {
    const model = { incident: emptyIncident('inc-1', 'Payments', '2026-03-14T14:00:00Z'), analysis: analyze(input), journal: [], runbook: null, generatedAt: '2026-03-14T15:00:00Z' }
    const rows = (r: typeof registry | typeof PLAYBOOK_MODULES) => reportFacts(model, r).impact.map(([label]) => label)
    expect(rows(PLAYBOOK_MODULES)).not.toContain('Expired-certificate errors')
    expect(rows(registry)).toContain('Expired-certificate errors')
  })

  it('a registry that misses a module fails the typecheck', () => {
    // @ts-expect-error the test registry's ids include certificate-expired: the real registry lacks its module
    const incomplete: PlaybookRegistry<Playbook | Certificate> = PLAYBOOK_MODULES
    const { endpoint, ...withoutEndpoint } = PLAYBOOK_MODULES
    // @ts-expect-error a contract id with no module in the registry
    const missing: PlaybookRegistry = withoutEndpoint
    expect([incomplete, missing, endpoint].every(Boolean)).toBe(true)
  })
})

describe('the real registry', () => {
  it('has one module per contract id, under its own id, with distinct ranks; the precedence puts what narrows the blast radius after the deploy', () => {
    expect(Object.keys(PLAYBOOK_MODULES).sort()).toEqual([...PLAYBOOKS].sort())
    for (const [id, m] of Object.entries(PLAYBOOK_MODULES)) expect(m.id).toBe(id)
    expect(new Set(Object.values(PLAYBOOK_MODULES).map((m) => m.rank)).size).toBe(PLAYBOOKS.length)
    expect(PRECEDENCE).toEqual(['unreadable', 'upstream', 'unavailable', 'rollback', 'instance', 'resource', 'dependency', 'config', 'server-config', 'endpoint', 'intermittent', 'none'])
    for (const m of Object.values(PLAYBOOK_MODULES)) expect(m.why.length).toBeGreaterThan(20)
  })
})
