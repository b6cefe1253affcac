import type { IncidentState, IncidentSummary, JournalEntry, UpdateStepRequest } from '../../shared/contract'
import { DEFAULT_INCIDENT_TITLE, emptyIncident } from '../../shared/contract'
import type { Playbook } from '../../shared/contract/analysis'
import type { DeployEvent, HealthSample } from '../../shared/model/evidence'
import { UserError } from './errors'
import { decisionEntry, incidentEntry, lastVerdict, noteEntry, playbookChoiceEntry, stepEntry } from './store/entries'
import { newIncidentId } from './store/incident-store'

/** Where an incident's changes go to be durable (the incident store), or nowhere (CLI). */
export interface IncidentSink {
  save(state: IncidentState): Promise<void>
  append(incidentId: string, entry: JournalEntry): Promise<void>
}

export function newIncidentState(title = DEFAULT_INCIDENT_TITLE, now = new Date()): IncidentState {
  return emptyIncident(newIncidentId(now), title, now.toISOString())
}

/**
 * The open incident's runbook state and journal. Every change is saved (incident.json) and
 * journaled (journal.jsonl) before the caller hears it succeeded: what the UI shows as saved is.
 */
export class IncidentRecord {
  constructor(
    public state: IncidentState,
    readonly journal: JournalEntry[],
    private readonly sink: IncidentSink
  ) {}

  private async commit(entry: JournalEntry | null): Promise<IncidentState> {
    await this.sink.save(this.state)
    if (entry) await this.log(entry)
    return structuredClone(this.state)
  }

  async log(entry: JournalEntry): Promise<void> {
    this.journal.push(entry)
    await this.sink.append(this.state.id, entry)
  }

  /** `stepTitle` is the step's title in its runbook: the journal names steps as the engineer sees them. */
  async updateStep(req: UpdateStepRequest, stepTitle?: string): Promise<IncidentState> {
    const key = `${req.playbook}:${req.stepId}`
    const prev = this.state.steps[key]
    const next = { status: req.status, note: req.note ?? prev?.note ?? '', updatedAt: new Date().toISOString() }
    this.state.steps[key] = next
    const changed = prev?.status !== next.status || prev?.note !== next.note
    return this.commit(changed ? stepEntry(req.playbook, req.stepId, next, stepTitle, prev) : null)
  }

  async addNote(text: string): Promise<IncidentState> {
    const entry = noteEntry(text)
    this.state.notes.push({ at: entry.at, text })
    return this.commit(entry)
  }

  async addDecision(text: string): Promise<IncidentState> {
    const entry = decisionEntry(text)
    this.state.decisions.push({ at: entry.at, text })
    return this.commit(entry)
  }

  async choosePlaybook(playbook: Playbook | null): Promise<IncidentState> {
    this.state.chosenPlaybook = playbook
    return this.commit(playbookChoiceEntry(playbook))
  }

  async rename(title: string): Promise<IncidentState> {
    this.state.title = title
    return this.commit(incidentEntry('renamed', title))
  }

  async close(): Promise<IncidentState> {
    this.state.closedAt = new Date().toISOString()
    return this.commit(incidentEntry('closed', this.state.title))
  }

  async save(): Promise<void> {
    await this.sink.save(this.state)
  }
}

/** Durable storage of incidents (the incident store on disk), or memory for the CLI and tests. */
export interface IncidentStorage extends IncidentSink {
  create(title?: string): Promise<IncidentState>
  list(): Promise<IncidentSummary[]>
  open(id: string): Promise<{ state: IncidentState; journal: JournalEntry[]; problems: string[] }>
  appendSample(id: string, kind: 'health' | 'deploys', sample: HealthSample | DeployEvent): Promise<void>
  /** The saved samples, and what could not be read of them (a torn last line), in words. */
  readSamples(id: string): Promise<{ health: HealthSample[]; deploys: DeployEvent[]; problems?: string[] }>
  delete(id: string): Promise<void>
  /** Remembers the incident in use, so the next start reopens it. */
  markUsed(id: string): Promise<void>
  /** The incident last opened or created, if it still exists. */
  lastUsedId(): Promise<string | null>
  /** Where the incident keeps copies of evidence that would otherwise vanish; null when it has no folder (memory). */
  evidenceDir(id: string): string | null
}

/** Keeps incidents for the life of the process only. */
export class MemoryIncidentStorage implements IncidentStorage {
  private readonly incidents = new Map<string, { state: IncidentState; journal: JournalEntry[]; health: HealthSample[]; deploys: DeployEvent[] }>()
  private lastUsed: string | null = null

  async create(title?: string): Promise<IncidentState> {
    const state = newIncidentState(title)
    this.incidents.set(state.id, { state: structuredClone(state), journal: [incidentEntry('created', state.title)], health: [], deploys: [] })
    return state
  }
  async list(): Promise<IncidentSummary[]> {
    return [...this.incidents.values()].map(({ state, journal }) => ({
      id: state.id,
      title: state.title,
      createdAt: state.createdAt,
      closedAt: state.closedAt,
      problems: [],
      verdict: lastVerdict(journal),
      sources: state.sources.map((s) => s.path),
      lastActivityAt: journal.at(-1)?.at ?? null,
      lastUsed: state.id === this.lastUsed
    }))
  }
  private get(id: string) {
    const found = this.incidents.get(id)
    if (!found) throw new UserError(`no incident with id ${id}`)
    return found
  }
  async open(id: string) {
    const found = this.get(id)
    return { state: structuredClone(found.state), journal: [...found.journal], problems: [] }
  }
  async save(state: IncidentState): Promise<void> {
    const found = this.incidents.get(state.id)
    if (found) found.state = structuredClone(state)
    else this.incidents.set(state.id, { state: structuredClone(state), journal: [], health: [], deploys: [] })
  }
  async append(id: string, entry: JournalEntry): Promise<void> {
    this.incidents.get(id)?.journal.push(entry)
  }
  async appendSample(id: string, kind: 'health' | 'deploys', sample: HealthSample | DeployEvent): Promise<void> {
    const found = this.incidents.get(id)
    if (!found) return
    if (kind === 'health') found.health.push(sample as HealthSample)
    else found.deploys.push(sample as DeployEvent)
  }
  async readSamples(id: string) {
    const found = this.get(id)
    return { health: [...found.health], deploys: [...found.deploys] }
  }
  async delete(id: string): Promise<void> {
    this.get(id)
    this.incidents.delete(id)
  }
  async markUsed(id: string): Promise<void> {
    this.lastUsed = id
  }
  async lastUsedId(): Promise<string | null> {
    return this.lastUsed !== null && this.incidents.has(this.lastUsed) ? this.lastUsed : null
  }
  evidenceDir(): null {
    return null
  }
}
