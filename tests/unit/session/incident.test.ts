import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { SessionService } from '../../../electron/session/service'
import { IncidentStore } from '../../../electron/session/store'
import { startDemoInSession } from '../../../electron/demo'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-incident-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const line = (i: number, status: number) => `10.0.0.1 - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/a/${i} HTTP/1.1" ${status} 10 "-" "k6"`

describe('SessionService incidents on disk', () => {
  it('keeps notes, decisions, steps and sources across a restart, and says when a log changed', async () => {
    const home = path.join(dir, 'home1')
    const log = path.join(dir, 'access.log')
    await writeFile(log, Array.from({ length: 20 }, (_, i) => line(i, 200)).join('\n') + '\n')
    const first = new SessionService({ storage: new IncidentStore(home), follow: false })
    await first.renameIncident({ title: 'Checkout 500s' })
    await first.addSource({ path: log })
    await first.idle()
    await first.addNote({ text: 'payments team paged' })
    await first.addDecision({ text: 'rolled back to v2.13.2 at 14:02' })
    await first.updateStep({ playbook: 'rollback', stepId: 'roll-back', status: 'checked', note: 'done via argo' })
    const id = (await first.getIncident({})).id
    await first.close()

    await appendFile(log, line(99, 500) + '\n')
    const second = new SessionService({ storage: new IncidentStore(home), follow: false })
    await second.idle()
    const state = await second.getIncident({})
    expect(state).toMatchObject({ id, title: 'Checkout 500s' })
    expect(state.notes.map((n) => n.text)).toEqual(['payments team paged'])
    expect(state.decisions.map((n) => n.text)).toEqual(['rolled back to v2.13.2 at 14:02'])
    expect(state.steps['rollback:roll-back']).toMatchObject({ status: 'checked', note: 'done via argo' })
    const snap = await second.getSnapshot({})
    expect(snap.sources.map((s) => [s.path, s.lines])).toEqual([[log, 21]])
    const journal = await second.getJournal({})
    expect(journal.map((e) => e.kind)).toEqual(expect.arrayContaining(['incident', 'source', 'note', 'decision', 'step']))
    expect(journal.some((e) => e.kind === 'incident' && /grew|changed|modified/i.test(e.text))).toBe(true)
    await second.close()
  })

  it('lists, switches, closes and deletes incidents', async () => {
    const service = new SessionService({ storage: new IncidentStore(path.join(dir, 'home2')), follow: false })
    const a = await service.getIncident({})
    const b = await service.newIncident({})
    expect(b.id).not.toBe(a.id)
    expect((await service.listIncidents({})).map((i) => i.id).sort()).toEqual([a.id, b.id].sort())
    await expect(service.deleteIncident({ id: b.id })).rejects.toThrow(/open incident/)
    await service.openIncident({ id: a.id })
    await service.deleteIncident({ id: b.id })
    expect((await service.listIncidents({})).map((i) => i.id)).toEqual([a.id])
    expect((await service.closeIncident({})).closedAt).not.toBeNull()
    await service.close()
  })

  it('reopens the last used incident on restart, not the newest, and lists verdict, sources and last activity', async () => {
    const home = path.join(dir, 'home-last')
    const log = path.join(dir, 'last-used.log')
    await writeFile(log, Array.from({ length: 40 }, (_, i) => line(i, i > 20 ? 500 : 200)).join('\n') + '\n')
    const first = new SessionService({ storage: new IncidentStore(home), follow: false })
    const older = await first.getIncident({})
    await first.addSource({ path: log })
    await first.idle()
    await first.getAnalysis({})
    const newer = await first.newIncident({})
    await first.openIncident({ id: older.id })
    const list = await first.listIncidents({})
    const row = list.find((i) => i.id === older.id)
    expect(row).toMatchObject({ sources: [log], lastUsed: true })
    expect(row?.verdict).not.toBeNull()
    expect(Date.parse(row?.lastActivityAt ?? '')).toBeGreaterThan(0)
    expect(list.find((i) => i.id === newer.id)).toMatchObject({ sources: [], verdict: null, lastUsed: false })
    await first.close()
    const second = new SessionService({ storage: new IncidentStore(home), follow: false })
    expect((await second.getIncident({})).id).toBe(older.id)
    await second.close()
  })

  it('journals step notes as notes and names steps and playbooks by their titles', async () => {
    const service = new SessionService({ follow: false })
    await service.updateStep({ playbook: 'rollback', stepId: 'roll-back', status: 'todo', note: 'waiting for approval' })
    await service.updateStep({ playbook: 'rollback', stepId: 'roll-back', status: 'checked', note: 'waiting for approval' })
    await service.updateStep({ playbook: 'rollback', stepId: 'roll-back', status: 'todo', note: 'waiting for approval' })
    await service.choosePlaybook({ playbook: 'rollback' })
    const texts = (await service.getJournal({})).filter((e) => e.kind === 'step' || e.kind === 'verdict').map((e) => e.text)
    expect(texts).toEqual([
      'Note on step "Roll back to the previous version" (Roll back the deploy): waiting for approval',
      'Step "Roll back to the previous version" (Roll back the deploy) marked checked: waiting for approval',
      'Step "Roll back to the previous version" (Roll back the deploy) reopened: waiting for approval',
      'Engineer switched the runbook to: Roll back the deploy'
    ])
    await service.close()
  })

  it('exports a redacted report of the open incident', async () => {
    const log = path.join(dir, 'report.log')
    await writeFile(log, Array.from({ length: 30 }, (_, i) => line(i, i > 15 ? 500 : 200)).join('\n') + '\n')
    const service = new SessionService({ follow: false })
    await service.addSource({ path: log })
    await service.idle()
    await service.addNote({ text: 'curl -H "Authorization: Bearer abcdef0123456789abcdef" worked' })
    const md = await service.exportReport({ format: 'markdown', redact: true })
    expect(md.fileName).toMatch(/\.md$/)
    expect(md.content).toContain('## Summary')
    expect(md.content).not.toContain('abcdef0123456789abcdef')
    const raw = await service.exportReport({ format: 'html', redact: false })
    expect(raw.content).toContain('abcdef0123456789abcdef')
    await service.close()
  })

  it('runs the demo incident in a new incident; Stop removes its temp files but the incident keeps copies of its logs', async () => {
    const home = path.join(dir, 'home3')
    const service = new SessionService({ storage: new IncidentStore(home), demo: (sink) => startDemoInSession(sink) })
    const state = await service.startDemo({})
    expect(state.title).toMatch(/^Demo/)
    const snap = await service.getSnapshot({})
    expect(snap.demo).toMatchObject({ newVersion: 'v2.14.0' })
    expect(snap.sources).toHaveLength(2)
    expect(snap.targets).toHaveLength(2)
    const folder = path.dirname(snap.sources[0].path)
    expect(existsSync(folder)).toBe(true)
    await expect(service.startDemo({})).rejects.toThrow(/already running/)
    await service.stopDemo({})
    await service.idle()
    const after = await service.getSnapshot({})
    expect(after.demo).toBeNull()
    expect(existsSync(folder)).toBe(false)
    const kept = path.join(home, 'incidents', state.id, 'evidence')
    expect(after.sources.map((s) => path.dirname(s.path))).toEqual([kept, kept])
    expect(after.sources.every((s) => s.lines > 0)).toBe(true)
    const analysis = await service.getAnalysis({})
    expect(analysis?.v1.requests).toBeGreaterThan(0)
    const stored = (await service.getIncident({})).sources.map((s) => path.dirname(s.path))
    expect(stored).toEqual([kept, kept])
    await service.close()
    // A restart reopens the demo incident (the last used) with its kept logs.
    const again = new SessionService({ storage: new IncidentStore(home), follow: false })
    await again.idle()
    expect((await again.getIncident({})).id).toBe(state.id)
    expect((await again.getSnapshot({})).sources.map((s) => s.lines)).toEqual(after.sources.map((s) => s.lines))
    await again.close()
  })

  it('offers no demo unless one is composed in, and takes back what a failed demo added', async () => {
    const bare = new SessionService({ follow: false })
    await expect(bare.startDemo({})).rejects.toThrow('the demo is not available here')
    await bare.close()
    const log = path.join(dir, 'half-demo.log')
    await writeFile(log, `${line(1, 200)}\n`)
    let stopped = 0
    const service = new SessionService({
      follow: false,
      demo: async (sink) => {
        await sink.addSource({ path: log })
        stopped++ // the demo cleans up after itself before it fails, as startDemoInSession does
        throw new Error('port taken')
      }
    })
    await expect(service.startDemo({})).rejects.toThrow('port taken')
    const snap = await service.getSnapshot({})
    expect(stopped).toBe(1)
    expect(snap.sources).toEqual([])
    expect(snap.demo).toBeNull()
    await service.close()
  })
})

describe('reopening with a moved log', () => {
  it('says the log is missing and keeps it in the incident', async () => {
    const home = path.join(dir, 'home4')
    const log = path.join(dir, 'moving.log')
    await writeFile(log, line(1, 200) + '\n')
    const first = new SessionService({ storage: new IncidentStore(home), follow: false })
    await first.addSource({ path: log })
    await first.idle()
    await first.close()
    await rm(log)
    const second = new SessionService({ storage: new IncidentStore(home), follow: false })
    await second.idle()
    expect((await second.getIncident({})).sources.map((s) => s.path)).toEqual([log])
    expect(second.problems.join('\n')).toContain(log)
    expect((await second.getJournal({})).some((e) => e.kind === 'incident' && e.text.includes(log))).toBe(true)
    await second.close()
  })
})
