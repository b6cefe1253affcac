/**
 * A central log store (ClickHouse, Loki, Elasticsearch/OpenSearch) as an evidence source. An
 * adapter asks the engine for the aggregates the analysis needs (counts per second by status
 * class, per route, method and instance) and fetches only bounded samples (error events, group
 * representatives, the lines around them), and answers with the same IngestResult a file yields,
 * so the verdict, runbook and report code are the same for files and stores.
 */
import type { FieldMap } from '../../../shared/model/evidence'
import type { IngestResult } from '../ingest'

// The kinds and credential references are part of the API contract (addStore, incident.json): declared there once.
export { STORE_KINDS, type StoreKind, type StoreCredentialRef } from '../../../shared/contract/schemas'
import type { StoreCredentialRef, StoreKind } from '../../../shared/contract/schemas'

export interface StoreSpec {
  kind: StoreKind
  /** Base URL of the engine's HTTP API (`http://127.0.0.1:8123`, `http://loki:3100`, `https://es:9200`). */
  url: string
  /**
   * What to read: a ClickHouse table (`db.table`, optionally with a WHERE condition after it), a
   * LogQL stream selector (`{app="shop"}`), an Elasticsearch index pattern plus optional query string.
   */
  query: string
  /** The window, epoch ms. */
  from: number
  to: number
  /** The user's corrections to the inferred field map, kept with the incident. */
  fieldMap?: FieldMap
  credential: StoreCredentialRef
  /** Loki's `X-Scope-OrgID` (multi-tenant Loki); ignored by the other kinds. */
  tenant?: string
}

/** What one read of a store moved and found. */
export interface StoreReading {
  /** The same shape a file yields: the verdict code does not know the difference. */
  result: IngestResult
  /** Bytes received from the engine for this read (responses, not requests). */
  bytesMoved: number
  /** The engine's own size of the scanned window, when it says (ClickHouse read_bytes, ES stats); null when unknown. */
  scannedBytes: number | null
  /** Partial results, shard failures, timeouts: one line each, shown on the source card; the rest stands. */
  warnings: string[]
}

export interface StoreAdapter {
  kind: StoreKind
  read(spec: StoreSpec, signal?: AbortSignal): Promise<StoreReading>
}
