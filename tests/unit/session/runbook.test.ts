import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Runbook } from '../../../shared/contract'
import { dispatch } from '../../../electron/session/dispatch'
import { analyzeOnce } from '../../../electron/session/one-shot'
import { SessionService } from '../../../electron/session/service'

let dir: string
let log: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-runbook-'))
  log = path.join(dir, 'access.log')
  const line = (i: number, status: number) => `10.0.0.1 - - [10/Oct/2026:13:${String(50 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0000] "GET /api/a/${i} HTTP/1.1" ${status} 10 "-" "k6"`
  await writeFile(log, Array.from({ length: 240 }, (_, i) => line(i, i > 120 && i % 3 === 0 ? 500 : 200)).join('\n') + '\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the session builds the runbook', () => {
  it('once per change of the analysis or the incident, in the contract’s shape', async () => {
    const service = new SessionService({ follow: false })
    try {
      const empty = await service.getRunbook({})
      expect(empty).toMatchObject({ playbook: 'none', verdict: null, chosen: false })

      await service.addSource({ path: log })
      await service.idle()
      const first = await service.getRunbook({})
      expect(first).not.toBe(empty)
      expect(Runbook.parse(first)).toEqual(first)
      expect(first.verdict).toBe((await service.getAnalysis({}))?.v1.verdict?.playbook ?? null)
      expect(first.steps.length).toBeGreaterThan(0)
      // Nothing moved: the same runbook, not another build.
      expect(await service.getRunbook({})).toBe(first)

      const step = first.steps[0]
      await service.updateStep({ playbook: first.playbook, stepId: step.id, status: 'skipped', note: 'not ours' })
      const stepped = await service.getRunbook({})
      expect(stepped).not.toBe(first)
      expect(stepped.steps[0]).toMatchObject({ id: step.id, status: 'skipped', note: 'not ours' })

      await service.choosePlaybook({ playbook: 'endpoint' })
      const switched = await service.getRunbook({})
      expect(switched).toMatchObject({ playbook: 'endpoint', title: 'One endpoint is failing', chosen: first.verdict !== 'endpoint' })

      // The report shows that runbook, and the API hands out the same one.
      const md = await service.exportReport({ format: 'markdown', redact: true })
      expect(md.content).toContain('## Runbook: One endpoint is failing')
      expect(await dispatch(service, 'getRunbook', {})).toEqual({ ok: true, value: switched })

      // Another incident: its own runbook, nothing of the last one's steps or choice.
      await service.newIncident({})
      const fresh = await service.getRunbook({})
      expect(fresh).toMatchObject({ playbook: 'none', chosen: false })
      expect(fresh.steps.every((s) => s.note === '' && s.status !== 'skipped')).toBe(true)
    } finally {
      await service.close()
    }
  })

  it('analyze gets the runbook from its session too', async () => {
    const result = await analyzeOnce({ paths: [log], format: null, fieldMap: null, deploys: [], health: [] })
    expect(Runbook.parse(result.runbook)).toEqual(result.runbook)
    expect(result.runbook.verdict).toBe(result.snapshot.v1.verdict?.playbook ?? null)
    expect(result.runbook.chosen).toBe(false)
  })
})
