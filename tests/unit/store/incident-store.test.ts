import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, readdir, readFile, rename, rm, stat, truncate, utimes, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { IncidentState } from '../../../shared/contract/incident'
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'
import { UserError } from '../../../electron/session/errors'
import { readDeploysFile, readHealthFile } from '../../../electron/collect/evidence-files'
import { checkSources, decisionEntry, IncidentStore, noteEntry, sourceEntry, stepEntry } from '../../../electron/session/store'

let home: string
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'triage500-store-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

async function logFile(name: string, text: string): Promise<IncidentState['sources'][number]> {
  const file = path.join(home, name)
  await writeFile(file, text)
  const info = await stat(file)
  return { path: file, addedAt: new Date().toISOString(), sizeBytes: info.size, mtimeMs: info.mtimeMs }
}

describe('IncidentStore lifecycle', () => {
  it('creates an incident folder with incident.json and a journal, and reopens it after a restart', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('  Checkout answering 500  ')
    expect(created.title).toBe('Checkout answering 500')
    expect(created.id).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/)
    const p = store.paths(created.id)
    expect(p.dir).toBe(path.join(home, 'incidents', created.id))
    expect((await readdir(p.dir)).sort()).toEqual(['incident.json', 'journal.jsonl'])
    expect(JSON.parse(await readFile(p.state, 'utf8'))).toEqual(created)

    const source = await logFile('app.log', 'line one\n')
    const state: IncidentState = {
      ...created,
      sources: [source],
      chosenPlaybook: 'rollback',
      steps: { 'rollback:confirm-deploy': { status: 'checked', note: 'yes, 2.15.0', updatedAt: '2026-05-01T12:05:00.000Z' } },
      notes: [{ at: '2026-05-01T12:06:00.000Z', text: 'paged payments team' }]
    }
    await store.save(state)
    await store.append(created.id, noteEntry('paged payments team', '2026-05-01T12:06:00.000Z'))

    const restarted = new IncidentStore(home)
    const opened = await restarted.open(created.id)
    expect(opened.state).toEqual(state)
    expect(opened.journal.map((e) => e.kind)).toEqual(['incident', 'note'])
    expect(opened.problems).toEqual([])
  })

  it('lists incidents newest first with their problems, renames, closes and deletes them', async () => {
    const listHome = await mkdtemp(path.join(os.tmpdir(), 'triage500-list-'))
    try {
      const store = new IncidentStore(listHome)
      expect(await store.list()).toEqual([])
      const a = await store.create('first')
      const b = await store.create()
      expect(b.title).toBe('Untitled incident')
      const renamed = await store.rename(b, 'second, renamed')
      const closed = await store.close(a)
      expect(closed.closedAt).not.toBeNull()
      const list = await store.list()
      expect(list.map((s) => [s.id, s.title, s.closedAt !== null])).toEqual([
        [b.id, 'second, renamed', false],
        [a.id, 'first', true]
      ])
      const journal = (await store.open(b.id)).journal.map((e) => e.text)
      expect(journal).toEqual(['Incident opened: Untitled incident', 'Incident renamed to: second, renamed'])
      expect((await store.reopen(closed)).closedAt).toBeNull()
      expect(renamed.title).toBe('second, renamed')

      await store.delete(a.id)
      expect((await store.list()).map((s) => s.id)).toEqual([b.id])
      await expect(store.open(a.id)).rejects.toThrow(new UserError(`no incident with id ${a.id} (it may have been deleted)`))
      await expect(store.append(a.id, noteEntry('late'))).rejects.toBeInstanceOf(UserError)
      await expect(store.rename(b, '   ')).rejects.toThrow('the incident title is empty')
    } finally {
      await rm(listHome, { recursive: true, force: true })
    }
  })

  it('refuses ids that could leave the incidents folder', async () => {
    const store = new IncidentStore(home)
    for (const id of ['../escape', '..', 'a/b', 'a\\b', '', '.hidden'])
      await expect(store.open(id)).rejects.toThrow(expect.objectContaining({ name: 'UserError', message: expect.stringContaining('is not an incident id') }))
  })

  it('serializes writes per incident: concurrent saves land in call order and appends never interleave', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('busy')
    const writes: Promise<void>[] = []
    for (let i = 0; i < 40; i++) {
      writes.push(store.save({ ...created, title: `title ${i}`, notes: Array.from({ length: i }, (_, n) => ({ at: created.createdAt, text: `note ${n} ${'y'.repeat(500)}` })) }))
      writes.push(store.append(created.id, noteEntry(`entry ${i} ${'z'.repeat(3000)}`)))
    }
    await Promise.all(writes)
    const opened = await store.open(created.id)
    expect(opened.state.title).toBe('title 39')
    expect(opened.state.notes).toHaveLength(39)
    expect(opened.journal.slice(1).map((e) => e.text.split(' ').slice(0, 2).join(' '))).toEqual(Array.from({ length: 40 }, (_, i) => `entry ${i}`))
    expect(opened.problems).toEqual([])
    expect((await readdir(store.paths(created.id).dir)).filter((n) => n.includes('.tmp-'))).toEqual([])
  })
})

describe('crash safety of incident.json', () => {
  it('a crash between writing the temp file and the rename leaves the last save intact; open cleans the stray temp', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('saved before the crash')
    const p = store.paths(created.id)
    const next = JSON.stringify({ ...created, title: 'never renamed into place' }, null, 2)
    const stray = `${p.state}.tmp-4242-0badc0de`
    await writeFile(stray, next.slice(0, next.length / 2))
    const opened = await store.open(created.id)
    expect(opened.state.title).toBe('saved before the crash')
    expect(opened.problems).toEqual([`${stray}: an unfinished save (interrupted before it completed) was discarded; the last complete save is kept`])
    expect((await readdir(p.dir)).sort()).toEqual(['incident.json', 'journal.jsonl'])
  })

  it('a half-written incident.json is backed up, reported with its line, and the incident is rebuilt from the journal', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('original title')
    const source = await logFile('rebuild.log', 'a\nb\n')
    await store.rename(created, 'renamed title')
    await store.append(created.id, sourceEntry('added', source))
    await store.append(created.id, noteEntry('db pool exhausted at 12:03'))
    await store.append(created.id, decisionEntry('roll back to 2.14.3'))
    await store.append(created.id, stepEntry('rollback', 'confirm-deploy', { status: 'checked', note: 'deploy at 12:01', updatedAt: '2026-05-01T12:10:00.000Z' }, 'Confirm the deploy'))
    const p = store.paths(created.id)
    const good = await readFile(p.state, 'utf8')
    const torn = good.slice(0, Math.floor(good.length * 0.6))
    await writeFile(p.state, torn)

    const before = await store.list()
    const listed = before.find((s) => s.id === created.id)
    expect(listed?.title).toBe('renamed title')
    expect(listed?.problems[0]).toMatch(new RegExp(`^${escapeRe(p.state)} line \\d+: not valid JSON`))
    expect((await readdir(p.dir)).some((n) => n.includes('.corrupt-'))).toBe(false) // listing repairs nothing

    const opened = await store.open(created.id)
    const backups = (await readdir(p.dir)).filter((n) => n.startsWith('incident.json.corrupt-'))
    expect(backups).toHaveLength(1)
    expect(await readFile(path.join(p.dir, backups[0]), 'utf8')).toBe(torn)
    expect(opened.problems).toHaveLength(1)
    expect(opened.problems[0]).toMatch(new RegExp(`^${escapeRe(p.state)} line \\d+: not valid JSON \\(.+\\); it was kept as ${escapeRe(backups[0])} and the incident was rebuilt from its journal$`))
    expect(opened.state).toMatchObject({
      id: created.id,
      title: 'renamed title',
      createdAt: created.createdAt,
      closedAt: null,
      sources: [source],
      notes: [{ text: 'db pool exhausted at 12:03' }],
      decisions: [{ text: 'roll back to 2.14.3' }],
      steps: { 'rollback:confirm-deploy': { status: 'checked', note: 'deploy at 12:01', updatedAt: '2026-05-01T12:10:00.000Z' } }
    })
    // The rebuilt state is saved, so the next open is clean and the backup is left alone.
    const again = await store.open(created.id)
    expect(again.problems).toEqual([])
    expect(again.state).toEqual(opened.state)
    expect((await readdir(p.dir)).filter((n) => n.startsWith('incident.json.corrupt-'))).toEqual(backups)
  })

  it('an incident.json of the wrong shape names the field; a missing one is rebuilt without a backup', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('shape')
    const p = store.paths(created.id)
    await writeFile(p.state, JSON.stringify({ ...created, sources: [{ path: '/x.log', addedAt: 'now', sizeBytes: 'big', mtimeMs: 0 }] }))
    const opened = await store.open(created.id)
    expect(opened.problems[0]).toMatch(/incident\.json: not an incident \(sources\.0\.sizeBytes: expected number, received string\); it was kept as incident\.json\.corrupt-/)
    expect(opened.state.title).toBe('shape')

    await rm(p.state)
    const rebuilt = await store.open(created.id)
    expect(rebuilt.problems).toEqual([`${p.state}: missing; the incident was rebuilt from its journal`])
    expect(rebuilt.state.title).toBe('shape')
  })

  it('an empty incident folder (crash right after mkdir) still opens and lists', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('to be emptied')
    const p = store.paths(created.id)
    await rm(p.state)
    await rm(p.journal)
    const listed = (await store.list()).find((s) => s.id === created.id)
    expect(listed).toMatchObject({ title: 'Untitled incident', problems: [`${p.state}: missing`] })
    const opened = await store.open(created.id)
    expect(opened.journal).toEqual([])
    expect(opened.state.title).toBe('Untitled incident')
  })
})

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

describe('log files referenced by path', () => {
  it('says in words when a log grew, was truncated, was replaced in place or went missing', async () => {
    const grown = await logFile('grown.log', 'x'.repeat(1000))
    await truncate(grown.path, 1000 + 12 * 1024 * 1024)
    const cut = await logFile('cut.log', 'y'.repeat(5000))
    await truncate(cut.path, 100)
    const touched = await logFile('touched.log', 'same size')
    await utimes(touched.path, new Date(), new Date(touched.mtimeMs + 60_000))
    const moved = await logFile('moved.log', 'z')
    await rename(moved.path, `${moved.path}.1`)
    const unchanged = await logFile('unchanged.log', 'still here')
    const state = { sources: [grown, cut, touched, moved, unchanged] } as IncidentState
    expect(await checkSources(state)).toEqual([
      `${grown.path}: grew by 12 MB since last opened (1000 B → 12 MB)`,
      `${cut.path}: was truncated or replaced (4.9 KB → 100 B): earlier lines may be gone, line numbers may differ`,
      `${touched.path}: was modified (same size, new modification time): it may have been replaced`,
      `${moved.path}: missing — the log was moved or deleted since it was added`
    ])
  })

  it('reports a moved log when the incident is opened and listed', async () => {
    const store = new IncidentStore(home)
    const created = await store.create('moving logs')
    const source = await logFile('will-move.log', 'a\n')
    await store.save({ ...created, sources: [source] })
    await rm(source.path)
    const expected = `${source.path}: missing — the log was moved or deleted since it was added`
    expect((await store.open(created.id)).problems).toEqual([expected])
    expect((await store.list()).find((s) => s.id === created.id)?.problems).toEqual([expected])
  })
})

describe('collected samples', () => {
  const health: HealthSample[] = [
    { at: Date.UTC(2026, 4, 1, 12, 0), target: 'orders-db', ok: true, status: 200, latencyMs: 12, error: null, components: [{ name: 'db', ok: true, status: 'UP' }] },
    { at: Date.UTC(2026, 4, 1, 12, 1), target: 'orders-db', ok: false, status: 503, latencyMs: 2000, error: 'status DOWN; failing: db (DOWN)', components: [{ name: 'db', ok: false, status: 'DOWN' }] }
  ]
  const deploys: DeployEvent[] = [{ version: '2.15.0', at: Date.UTC(2026, 4, 1, 11, 58), commit: '8c2d4e6f', source: 'orders-argocd', origin: 'endpoint' }]

  it('appends health and deploy samples that analyze --health/--deploys reads back unchanged', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('samples')
    for (const s of health) await store.appendSample(id, 'health', s)
    for (const d of deploys) await store.appendSample(id, 'deploys', d)
    expect(await store.readSamples(id)).toEqual({ health, deploys, problems: [] })
    const p = store.paths(id)
    expect(await readHealthFile(p.health)).toEqual(health)
    expect(await readDeploysFile(p.deploys)).toEqual(deploys)
  })

  it('keeps the complete samples of a file with a torn last line and a bad line, naming both', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('torn samples')
    const p = store.paths(id)
    await writeFile(p.health, `${JSON.stringify(health[0])}\n{"at":1,"target":"x","ok":"yes"}\n${JSON.stringify(health[1]).slice(0, 40)}`)
    const read = await store.readSamples(id)
    expect(read.health).toEqual([health[0]])
    expect(read.problems).toEqual([
      `${p.health} line 2: "ok" must be true or false, got text ("yes"); the entry was skipped`,
      `${p.health} line 3: the last entry is incomplete (40 bytes, cut off during a write, probably by a crash) and was ignored; the complete entry before it is kept`
    ])
    await store.appendSample(id, 'health', health[1])
    expect((await store.readSamples(id)).health).toEqual(health)
  })
})
