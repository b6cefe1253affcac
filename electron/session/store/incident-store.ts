/**
 * Incidents on disk: one folder per incident under `<home>/incidents/<id>/` holding
 * incident.json (the current state, replaced atomically), journal.jsonl (the timeline,
 * append-only, fsynced per entry) and health.jsonl / deploys.jsonl (collected samples).
 * Every write to one incident goes through one queue, so no two writes interleave.
 * A damaged file never keeps an incident from opening: it is reported in words, backed up
 * when it must be replaced, and the incident is rebuilt from what survived.
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { DEFAULT_INCIDENT_TITLE, emptyIncident, IncidentState, JournalEntry, type IncidentSummary } from '../../../shared/contract/incident'
import { describeIssues } from '../../../shared/contract/issues'
import type { DeployEvent, HealthSample } from '../../../shared/model/evidence'
import { UserError } from '../errors'
import { removeStrayTemps, writeFileAtomic } from './atomic'
import { checkSources } from './check-sources'
import { jsonErrorLine, jsonErrorReason } from './describe'
import { incidentEntry, lastVerdict } from './entries'
import { appendJsonLine, type LineParse, readJsonLines } from './jsonl'
import { rebuildState } from './rebuild'
import { readDeploySamples, readHealthSamples, type SampleKind } from './samples'
import { errnoCode, fsErrorText } from '../../collect/fs-errors'

export interface IncidentPaths {
  dir: string
  state: string
  journal: string
  health: string
  deploys: string
}

export interface OpenedIncident {
  state: IncidentState
  /** Every complete journal entry, in file (write) order. */
  journal: JournalEntry[]
  /** What was wrong on disk or with the logs, one sentence each naming the file (and line). */
  problems: string[]
}

export interface IncidentSamples {
  health: HealthSample[]
  deploys: DeployEvent[]
  problems: string[]
}

/** A file beside the incident folders (a file, so list() never takes it for an incident). */
const LAST_USED_FILE = 'last-used'

/** Ids name folders: no separators, no dot-dot, nothing a shell or Windows would mangle. */
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/


/** Sortable and readable: `20240501-120304-1a2b3c`. */
/** Sortable by creation time, unique enough for one person's incidents. */
export function newIncidentId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)
  return `${stamp}-${randomBytes(3).toString('hex')}`
}

const parseJournalLine = (value: unknown): LineParse<JournalEntry> => {
  const parsed = JournalEntry.safeParse(value)
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, why: describeIssues(parsed.error, 'entry') }
}

type StateRead = { ok: true; state: IncidentState } | { ok: false; missing: boolean; why: string }

export class IncidentStore {
  readonly incidentsDir: string
  private readonly queues = new Map<string, Promise<unknown>>()

  /** `homeDir` is $TRIAGE500_HOME or Electron's userData; incidents live in its `incidents/` folder. */
  constructor(homeDir: string) {
    this.incidentsDir = path.join(path.resolve(homeDir), 'incidents')
  }

  paths(id: string): IncidentPaths {
    if (!ID_PATTERN.test(id)) throw new UserError(`"${id.slice(0, 80)}" is not an incident id`)
    const dir = path.join(this.incidentsDir, id)
    return {
      dir,
      state: path.join(dir, 'incident.json'),
      journal: path.join(dir, 'journal.jsonl'),
      health: path.join(dir, 'health.jsonl'),
      deploys: path.join(dir, 'deploys.jsonl')
    }
  }

  /** Runs `task` after every earlier write to the same incident has settled. */
  private serial<T>(id: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(id) ?? Promise.resolve()
    const run = previous.then(task)
    const settled = run.then(
      () => undefined,
      () => undefined
    )
    this.queues.set(id, settled)
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id)
    })
    return run
  }

  private async requireFolder(id: string): Promise<IncidentPaths> {
    const p = this.paths(id)
    try {
      if ((await stat(p.dir)).isDirectory()) return p
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err
    }
    throw new UserError(`no incident with id ${id} (it may have been deleted)`)
  }

  async create(title?: string): Promise<IncidentState> {
    const now = new Date()
    await mkdir(this.incidentsDir, { recursive: true })
    let id = newIncidentId(now)
    for (;;) {
      try {
        await mkdir(path.join(this.incidentsDir, id))
        break
      } catch (err) {
        if (errnoCode(err) !== 'EEXIST') throw err
        id = newIncidentId(now)
      }
    }
    const state = emptyIncident(id, title?.trim() || DEFAULT_INCIDENT_TITLE, now.toISOString())
    const p = this.paths(id)
    await this.serial(id, async () => {
      await writeFileAtomic(p.state, stateText(state))
      await appendJsonLine(p.journal, incidentEntry('created', state.title, state.createdAt))
    })
    return state
  }

  /** Every incident folder, newest first; damaged ones are listed with their problems, never hidden. */
  async list(): Promise<IncidentSummary[]> {
    let names: string[]
    try {
      names = (await readdir(this.incidentsDir, { withFileTypes: true })).filter((d) => d.isDirectory() && ID_PATTERN.test(d.name)).map((d) => d.name)
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return []
      throw err
    }
    const lastUsed = await this.lastUsedId()
    const summaries = await Promise.all(names.map((id) => this.summarize(id, id === lastUsed)))
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
  }

  /** Read-only look at one incident for the list: nothing is repaired or renamed here. */
  private async summarize(id: string, lastUsed: boolean): Promise<IncidentSummary> {
    const p = this.paths(id)
    const read = await readState(p.state)
    const journal = await readJsonLines(p.journal, p.journal, parseJournalLine)
    const problems: string[] = []
    let state: IncidentState
    if (read.ok) state = read.state
    else {
      problems.push(read.why, ...journal.problems)
      state = rebuildState(id, journal.items, await folderTime(p.dir))
    }
    problems.push(...(await checkSources(state)))
    return {
      id,
      title: state.title,
      createdAt: state.createdAt,
      closedAt: state.closedAt,
      problems,
      verdict: lastVerdict(journal.items),
      sources: state.sources.map((s) => s.path),
      lastActivityAt: await lastWrite([p.state, p.journal]),
      lastUsed
    }
  }

  /** Remembers the incident in use, so the next start reopens it (not merely the newest). */
  async markUsed(id: string): Promise<void> {
    this.paths(id)
    await mkdir(this.incidentsDir, { recursive: true })
    await writeFileAtomic(path.join(this.incidentsDir, LAST_USED_FILE), `${id}\n`)
  }

  /** The incident last opened or created, if it is still on disk. */
  async lastUsedId(): Promise<string | null> {
    let id: string
    try {
      id = (await readFile(path.join(this.incidentsDir, LAST_USED_FILE), 'utf8')).trim()
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') return null
      throw err
    }
    if (!ID_PATTERN.test(id)) return null
    const info = await stat(this.paths(id).state).catch(() => null)
    return info ? id : null
  }

  /** Where an incident keeps copies of logs that would otherwise vanish (the demo's temp files). */
  evidenceDir(id: string): string {
    return path.join(this.paths(id).dir, 'evidence')
  }

  /**
   * Opens an incident: discards unfinished saves, keeps every complete journal entry, and
   * replaces a missing or unreadable incident.json by one rebuilt from the journal (the
   * unreadable one is first renamed to `incident.json.corrupt-<time>`).
   */
  async open(id: string): Promise<OpenedIncident> {
    const p = await this.requireFolder(id)
    return this.serial(id, async () => {
      const problems: string[] = []
      for (const name of await removeStrayTemps(p.state))
        problems.push(`${path.join(p.dir, name)}: an unfinished save (interrupted before it completed) was discarded; the last complete save is kept`)
      const journal = await readJsonLines(p.journal, p.journal, parseJournalLine)
      problems.push(...journal.problems)
      const read = await readState(p.state)
      let state: IncidentState
      if (read.ok) {
        state = read.state
        if (state.id !== id) {
          problems.push(`${p.state}: names id "${state.id}" but is in folder "${id}"; the folder's id is used`)
          state = { ...state, id }
        }
      } else {
        state = rebuildState(id, journal.items, await folderTime(p.dir))
        if (read.missing) problems.push(`${read.why}; the incident was rebuilt from its journal`)
        else {
          const backup = await backUp(p.state)
          problems.push(`${read.why}; it was kept as ${path.basename(backup)} and the incident was rebuilt from its journal`)
        }
        await writeFileAtomic(p.state, stateText(state))
      }
      problems.push(...(await checkSources(state)))
      return { state, journal: journal.items, problems }
    })
  }

  /** Replaces incident.json atomically (temp file, fsync, rename, fsync the folder). */
  async save(state: IncidentState): Promise<void> {
    const valid = IncidentState.parse(state)
    // Queued before any await: the order of calls is the order on disk.
    await this.serial(valid.id, async () => writeFileAtomic((await this.requireFolder(valid.id)).state, stateText(valid)))
  }

  /** Appends one timeline entry; resolves once it is on disk (fsynced). */
  async append(id: string, entry: JournalEntry): Promise<void> {
    const valid = JournalEntry.parse(entry)
    await this.serial(id, async () => appendJsonLine((await this.requireFolder(id)).journal, valid))
  }

  /** Appends one collected sample to health.jsonl or deploys.jsonl (fsynced). */
  async appendSample(id: string, kind: SampleKind, sample: HealthSample | DeployEvent): Promise<void> {
    await this.serial(id, async () => {
      const p = await this.requireFolder(id)
      await appendJsonLine(kind === 'health' ? p.health : p.deploys, sample)
    })
  }

  /** The collected samples, sorted by time, with any bad lines reported. */
  async readSamples(id: string): Promise<IncidentSamples> {
    const p = await this.requireFolder(id)
    const [health, deploys] = await Promise.all([readHealthSamples(p.health), readDeploySamples(p.deploys)])
    return { health: health.items, deploys: deploys.items, problems: [...health.problems, ...deploys.problems] }
  }

  /** Renames the incident: saves the new state and journals the change. */
  async rename(state: IncidentState, title: string): Promise<IncidentState> {
    const clean = title.trim()
    if (!clean) throw new UserError('the incident title is empty')
    return this.transition({ ...state, title: clean }, 'renamed')
  }

  /** Marks the incident closed (it stays on disk and in the list). */
  async close(state: IncidentState): Promise<IncidentState> {
    return this.transition({ ...state, closedAt: new Date().toISOString() }, 'closed')
  }

  async reopen(state: IncidentState): Promise<IncidentState> {
    return this.transition({ ...state, closedAt: null }, 'reopened')
  }

  private async transition(next: IncidentState, action: 'renamed' | 'closed' | 'reopened'): Promise<IncidentState> {
    const valid = IncidentState.parse(next)
    const p = await this.requireFolder(valid.id)
    await this.serial(valid.id, async () => {
      await writeFileAtomic(p.state, stateText(valid))
      await appendJsonLine(p.journal, incidentEntry(action, valid.title, action === 'closed' && valid.closedAt ? valid.closedAt : undefined))
    })
    return valid
  }

  /** Deletes the incident folder and everything in it (logs are referenced, not stored, so they stay). */
  async delete(id: string): Promise<void> {
    const p = await this.requireFolder(id)
    await this.serial(id, () => rm(p.dir, { recursive: true, force: true }))
  }
}

/** The latest modification time of the files that exist, as ISO text. */
async function lastWrite(files: string[]): Promise<string | null> {
  const times = await Promise.all(files.map((f) => stat(f).then((i) => i.mtimeMs, () => null)))
  const known = times.filter((t): t is number => t !== null)
  return known.length > 0 ? new Date(Math.max(...known)).toISOString() : null
}

const stateText = (state: IncidentState): string => `${JSON.stringify(state, null, 2)}\n`

async function readState(file: string): Promise<StateRead> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return { ok: false, missing: true, why: `${file}: missing` }
    return { ok: false, missing: true, why: `${file}: cannot be read (${fsErrorText(err)})` }
  }
  let doc: unknown
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    const line = text.trim() ? jsonErrorLine(text, err) : null
    const what = text.trim() ? `not valid JSON (${jsonErrorReason(err)})` : 'empty'
    return { ok: false, missing: false, why: `${file}${line ? ` line ${line}` : ''}: ${what}` }
  }
  const parsed = IncidentState.safeParse(doc)
  if (!parsed.success) return { ok: false, missing: false, why: `${file}: not an incident (${describeIssues(parsed.error, 'incident')})` }
  return { ok: true, state: parsed.data }
}

/** Renames a damaged file aside (never deleted, never overwritten) and returns the backup's path. */
async function backUp(file: string): Promise<string> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-')
  for (let n = 0; ; n++) {
    const backup = `${file}.corrupt-${stamp}${n > 0 ? `-${n}` : ''}`
    try {
      await stat(backup)
      continue
    } catch (err) {
      if (errnoCode(err) !== 'ENOENT') throw err
    }
    await rename(file, backup)
    return backup
  }
}

/** When nothing else dates a rebuilt incident: the folder's creation (or change) time. */
async function folderTime(dir: string): Promise<string> {
  const info = await stat(dir)
  const ms = info.birthtimeMs > 0 ? info.birthtimeMs : info.ctimeMs
  return new Date(ms).toISOString()
}
