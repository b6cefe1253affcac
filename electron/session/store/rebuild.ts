/**
 * An incident whose incident.json was lost or corrupted is rebuilt from its journal: title,
 * times, notes, decisions, step states and sources all have journal entries (entries.ts).
 * What the journal does not hold (poll targets, a chosen playbook) starts empty.
 */
import { DEFAULT_INCIDENT_TITLE, emptyIncident, STEP_STATUSES, type IncidentState, type JournalEntry, type StepStatus } from '../../../shared/contract/incident'

type Data = Record<string, unknown>
const text = (d: Data | undefined, key: string): string | null => (typeof d?.[key] === 'string' ? (d[key] as string) : null)
const num = (d: Data | undefined, key: string): number | null => (typeof d?.[key] === 'number' && Number.isFinite(d[key]) ? (d[key] as number) : null)
const isStatus = (s: string | null): s is StepStatus => s !== null && (STEP_STATUSES as readonly string[]).includes(s)


export function rebuildState(id: string, journal: JournalEntry[], fallbackCreatedAt: string): IncidentState {
  const state = emptyIncident(id, DEFAULT_INCIDENT_TITLE, journal[0]?.at ?? fallbackCreatedAt)
  for (const entry of journal) {
    const d = entry.data
    switch (entry.kind) {
      case 'incident': {
        const title = text(d, 'title')
        if (title) state.title = title
        const action = text(d, 'action')
        if (action === 'created') state.createdAt = entry.at
        if (action === 'closed') state.closedAt = entry.at
        if (action === 'reopened') state.closedAt = null
        break
      }
      case 'note':
        state.notes.push({ at: entry.at, text: entry.text })
        break
      case 'decision':
        state.decisions.push({ at: entry.at, text: entry.text })
        break
      case 'step': {
        const key = text(d, 'key')
        const status = text(d, 'status')
        if (key && isStatus(status)) state.steps[key] = { status, note: text(d, 'note') ?? '', updatedAt: entry.at }
        break
      }
      case 'source': {
        const filePath = text(d, 'path')
        if (!filePath) break
        state.sources = state.sources.filter((s) => s.path !== filePath)
        if (text(d, 'action') === 'added')
          state.sources.push({ path: filePath, addedAt: text(d, 'addedAt') ?? entry.at, sizeBytes: num(d, 'sizeBytes') ?? 0, mtimeMs: num(d, 'mtimeMs') ?? 0 })
        break
      }
      default:
        break
    }
  }
  return state
}
