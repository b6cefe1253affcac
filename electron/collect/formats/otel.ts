/**
 * OpenTelemetry log records, in the two shapes they reach a laptop:
 * - OTLP JSON, as the collector's file exporter writes it: one `{"resourceLogs":[…]}` export per
 *   line, each holding many records under resource → scope → logRecords, attributes as
 *   `[{key, value: {stringValue|intValue|…}}]`;
 * - flat records, as many SDKs and the collector's debug output log them:
 *   `{"severity_text", "body", "attributes": {…}, "resource": {…}}`.
 * Both become one flat record of the semantic-convention keys (`http.request.method`,
 * `exception.type`, `k8s.pod.name`, `service.version`…), which RecordMapper reads like any other
 * JSON line: the resource's attributes under the record's own, so a record's value wins.
 */
import type { Record_ } from './record-types'

type AnyValue = Record<string, unknown>

const isObject = (value: unknown): value is Record_ => typeof value === 'object' && value !== null && !Array.isArray(value)

/** An OTLP AnyValue as a plain value (int64 arrive as strings in OTLP JSON: kept as numbers when safe). */
export function otlpValue(value: unknown): unknown {
  if (!isObject(value)) return value
  const v: AnyValue = value
  if (v.stringValue !== undefined) return v.stringValue
  if (v.intValue !== undefined) {
    const n = Number(v.intValue)
    return Number.isSafeInteger(n) ? n : String(v.intValue)
  }
  if (v.doubleValue !== undefined) return v.doubleValue
  if (v.boolValue !== undefined) return v.boolValue
  if (isObject(v.arrayValue)) return Array.isArray(v.arrayValue.values) ? v.arrayValue.values.map(otlpValue) : []
  if (isObject(v.kvlistValue)) return otlpAttributes(v.kvlistValue.values)
  if (v.bytesValue !== undefined) return v.bytesValue
  return null
}

/** OTLP `[{key, value}]` → `{key: value}` (keys stay dotted: `http.request.method`). */
export function otlpAttributes(list: unknown): Record_ {
  const out: Record_ = {}
  if (!Array.isArray(list)) return out
  for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = otlpValue(kv.value)
  return out
}

/** OTel SeverityNumber (1–24) → a level word: TRACE 1–4, DEBUG 5–8, INFO 9–12, WARN 13–16, ERROR 17–20, FATAL 21–24. */
export function severityNumberWord(n: unknown): string | null {
  const value = typeof n === 'number' ? n : typeof n === 'string' && /^\d+$/.test(n) ? Number(n) : NaN
  if (!Number.isInteger(value) || value < 1 || value > 24) return null
  return ['trace', 'debug', 'info', 'warn', 'error', 'fatal'][Math.floor((value - 1) / 4)]
}

/** A time in nanoseconds since the epoch as OTLP JSON writes it (a decimal string, `0` when unset). */
const setNanos = (value: unknown): unknown => (value === undefined || value === null || value === '0' || value === 0 ? undefined : value)

function flatRecord(record: Record_, resource: Record_, scope: string | null): Record_ {
  const attributes = otlpAttributes(record.attributes)
  const body = otlpValue(record.body)
  const flat: Record_ = { ...resource, ...attributes }
  // The record's own time, or when the collector saw it (OTel allows a record without a time).
  const time = setNanos(record.timeUnixNano) ?? setNanos(record.observedTimeUnixNano)
  if (time !== undefined) flat.timeUnixNano = time
  const level = typeof record.severityText === 'string' && record.severityText !== '' ? record.severityText : severityNumberWord(record.severityNumber)
  if (level !== null) flat.severity_text = level
  if (body !== undefined && body !== null) flat.body = typeof body === 'string' ? body : JSON.stringify(body)
  if (typeof record.traceId === 'string' && record.traceId !== '') flat.trace_id = record.traceId
  if (scope !== null && flat['log.logger'] === undefined) flat.otel_scope = scope
  return flat
}

/** Whether a JSON line is an OTLP logs export (checked on the text first: the hot path for other JSON). */
export const looksLikeOtlpLogs = (line: string): boolean => line.includes('"resourceLogs"')

/**
 * An OTLP logs export → its records as flat records, in order; null when it is no logs export.
 * An export with no records is `[]`.
 */
export function otlpRecords(doc: unknown): Record_[] | null {
  if (!isObject(doc) || !Array.isArray(doc.resourceLogs)) return null
  const out: Record_[] = []
  for (const rl of doc.resourceLogs) {
    if (!isObject(rl)) continue
    const resource = isObject(rl.resource) ? otlpAttributes(rl.resource.attributes) : {}
    // Older exporters (before OTLP 0.19) named the level between `instrumentationLibraryLogs`.
    const scopes = Array.isArray(rl.scopeLogs) ? rl.scopeLogs : Array.isArray(rl.instrumentationLibraryLogs) ? rl.instrumentationLibraryLogs : []
    for (const sl of scopes) {
      if (!isObject(sl) || !Array.isArray(sl.logRecords)) continue
      const scopeObj = isObject(sl.scope) ? sl.scope : isObject(sl.instrumentationLibrary) ? sl.instrumentationLibrary : null
      const scope = scopeObj !== null && typeof scopeObj.name === 'string' && scopeObj.name !== '' ? scopeObj.name : null
      for (const r of sl.logRecords) if (isObject(r)) out.push(flatRecord(r, resource, scope))
    }
  }
  return out
}

/**
 * A flat OTel record (`attributes` and `resource` as objects beside `body`/`severity_text`) seen
 * as one level of keys, so the semantic-convention names are found where the mapper looks.
 * Any other record is returned as it is.
 */
export function unwrapOtelRecord(record: Record_): Record_ {
  const attributes = record.attributes
  const resource = record.resource
  if (!isObject(attributes) && !isObject(resource)) return record
  if (record.body === undefined && record.severity_text === undefined && record.severityText === undefined && record.severity_number === undefined) return record
  const resourceAttrs = isObject(resource) ? (isObject(resource.attributes) ? resource.attributes : resource) : {}
  const out: Record_ = { ...resourceAttrs, ...(isObject(attributes) ? attributes : {}), ...record }
  delete out.attributes
  delete out.resource
  if (out.severity_text === undefined && out.severityText === undefined) {
    const word = severityNumberWord(out.severity_number ?? out.severityNumber)
    if (word !== null) out.severity_text = word
  }
  return out
}
