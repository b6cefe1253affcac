import type { z } from 'zod'
import {
  AddSourceRequest,
  AddStoreRequest,
  PauseSourceRequest,
  SetSourceFormatRequest,
  AddTargetRequest,
  TargetInfo,
  Empty,
  IngestProgressEvent,
  ReadLinesRequest,
  ReadLinesResponse,
  SessionChangedEvent,
  SessionSnapshot,
  SourceInfo,
  SourceRef
} from './schemas'
import { AnalysisSnapshot } from './analysis'
import { QueryEventsRequest, QueryEventsResponse } from './explore'
import { Runbook } from './runbook'
import {
  ChoosePlaybookRequest,
  ExportRequest,
  ExportResponse,
  IncidentState,
  IncidentSummary,
  JournalEntry,
  RenameRequest,
  TextRequest,
  UpdateStepRequest
} from './incident'
import { z as zod } from 'zod'

/**
 * Every invoke channel, declared once: its request and response schemas. The channel name is
 * also the `TriageApi` method name, so a handler or client that disagrees does not compile.
 */
export const invokeChannels = {
  getSnapshot: { request: Empty, response: SessionSnapshot },
  addSource: { request: AddSourceRequest, response: SourceInfo },
  /** Adds a central log store (ClickHouse, …) as a source: a credential reference, never the secret. */
  addStore: { request: AddStoreRequest, response: SourceInfo },
  removeSource: { request: SourceRef, response: Empty },
  /** Stops or restarts following a tailed log; nothing written meanwhile is lost. */
  pauseSource: { request: PauseSourceRequest, response: SourceInfo },
  /** Reads the log again as the chosen format (null: detect it again). */
  setSourceFormat: { request: SetSourceFormatRequest, response: SourceInfo },
  readLines: { request: ReadLinesRequest, response: ReadLinesResponse },
  /** A page of the requests and events matching a filter in a time range, with the filter's timeline counts and groups. */
  queryEvents: { request: QueryEventsRequest, response: QueryEventsResponse },
  addTarget: { request: AddTargetRequest, response: TargetInfo },
  removeTarget: { request: SourceRef, response: Empty },
  /** The latest analysis of the evidence; null before any evidence was read. */
  getAnalysis: { request: Empty, response: AnalysisSnapshot.nullable() },
  /**
   * The runbook of the open incident: the chosen playbook (or the verdict's), its steps filled
   * from the latest analysis, with the engineer's statuses and notes. It moves with the
   * 'analysis', 'sources', 'targets' and 'incident' topics; the renderer never builds it.
   */
  getRunbook: { request: Empty, response: Runbook },
  getIncident: { request: Empty, response: IncidentState },
  getJournal: { request: Empty, response: zod.array(JournalEntry) },
  updateStep: { request: UpdateStepRequest, response: IncidentState },
  addNote: { request: TextRequest, response: IncidentState },
  addDecision: { request: TextRequest, response: IncidentState },
  choosePlaybook: { request: ChoosePlaybookRequest, response: IncidentState },
  renameIncident: { request: RenameRequest, response: IncidentState },
  listIncidents: { request: Empty, response: zod.array(IncidentSummary) },
  newIncident: { request: Empty, response: IncidentState },
  openIncident: { request: SourceRef, response: IncidentState },
  closeIncident: { request: Empty, response: IncidentState },
  deleteIncident: { request: SourceRef, response: Empty },
  exportReport: { request: ExportRequest, response: ExportResponse },
  /** Starts the simulated service in a new incident, watched by the real collectors. */
  startDemo: { request: Empty, response: IncidentState },
  stopDemo: { request: Empty, response: Empty }
} as const

export type InvokeChannels = typeof invokeChannels
export type Channel = keyof InvokeChannels
export type RequestOf<C extends Channel> = z.infer<InvokeChannels[C]['request']>
export type ResponseOf<C extends Channel> = z.infer<InvokeChannels[C]['response']>
export const CHANNELS = Object.keys(invokeChannels) as Channel[]

/** Events main pushes to the renderer: small notifications, the renderer pulls the rest. */
export const eventChannels = {
  'session.changed': SessionChangedEvent,
  'ingest.progress': IngestProgressEvent
} as const
export type EventChannels = typeof eventChannels
export type EventName = keyof EventChannels
export type EventPayload<E extends EventName> = z.infer<EventChannels[E]>
export const EVENT_NAMES = Object.keys(eventChannels) as EventName[]

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(invokeChannels, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, name)
}

/** The IPC channel string for an invoke channel, namespaced so nothing else collides. */
export const ipcChannelName = (channel: Channel): string => `triage:${channel}`
export const ipcEventName = (event: EventName): string => `triage-event:${event}`
