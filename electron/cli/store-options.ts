/**
 * `analyze --store URL --query Q [--query Q2] --from T [--to T] [--store-kind K] [--store-credential REF] [--store-tenant ID]`:
 * the store sources of a one-shot analysis, each query one source (an access table and an app
 * table of one ClickHouse, as two files would be).
 */
import { KEYCHAIN_DESKTOP_ONLY, STORE_KINDS, StoreSourceSpec, type StoreKind, type StoreSourceInfo } from '../../shared/contract'
import { storeCost } from '../../shared/format'
import type { FieldMap } from '../../shared/model/evidence'
import { parseCredentialRef } from '../collect/store'
import { choiceOption, stringOption, type ParsedArgs } from './args'
import { UsageError } from './io'

export const STORE_OPTIONS = {
  store: { value: true },
  query: { value: true, repeat: true },
  from: { value: true },
  to: { value: true },
  'store-kind': { value: true },
  'store-credential': { value: true },
  /** Loki's X-Scope-OrgID. */
  'store-tenant': { value: true }
} as const

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** ISO-8601, epoch seconds or milliseconds, `now`, or `now-15m` / `-2h` (relative to now). */
export function parseTimeOption(name: string, text: string, now: number): number {
  const t = text.trim()
  if (t === 'now') return now
  const rel = /^(?:now)?-(\d+)([smhd])$/.exec(t)
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]]
  if (/^\d{9,10}$/.test(t)) return Number(t) * 1000
  if (/^\d{12,13}$/.test(t)) return Number(t)
  const iso = /^\d{4}-\d{2}-\d{2}/.test(t) ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || t.length === 10 ? t : `${t}Z`) : Number.NaN
  if (Number.isFinite(iso)) return iso
  throw new UsageError(`--${name} takes an ISO-8601 time (2026-03-10T14:00:00Z), epoch seconds or ms, "now" or "now-15m" (got "${text}")`)
}

export function storeSpecsOption(args: ParsedArgs, fieldMap: FieldMap | null, now = Date.now()): StoreSourceSpec[] {
  const url = stringOption(args, 'store')
  const queries = args.options.query
  const list = queries === undefined || typeof queries === 'boolean' ? [] : typeof queries === 'string' ? [queries] : queries
  if (url === undefined) {
    for (const name of ['query', 'from', 'to', 'store-kind', 'store-credential', 'store-tenant'])
      if (args.options[name] !== undefined) throw new UsageError(`--${name} needs --store URL`)
    return []
  }
  if (list.length === 0) throw new UsageError('--store needs --query (ClickHouse: "db.table" or "db.table WHERE …"; Loki: a LogQL stream selector {app="shop"}; Elasticsearch/OpenSearch: "index-pattern" or "index-pattern QUERY-STRING")')
  const fromText = stringOption(args, 'from')
  if (fromText === undefined) throw new UsageError('--store needs --from (the start of the window: ISO-8601, epoch, or now-1h)')
  const from = parseTimeOption('from', fromText, now)
  const toText = stringOption(args, 'to')
  const to = toText === undefined ? now : parseTimeOption('to', toText, now)
  if (to <= from) throw new UsageError(`--to (${new Date(to).toISOString()}) must be after --from (${new Date(from).toISOString()})`)
  const kind: StoreKind = choiceOption(args, 'store-kind', STORE_KINDS, 'clickhouse')
  const credText = stringOption(args, 'store-credential')
  const credential = credText === undefined ? { kind: 'none' as const } : parseCredentialRef(credText)
  // Not echoed: what was typed may be the secret itself.
  if (credential === null) throw new UsageError('--store-credential takes env:NAME or file:PATH, optionally after basic:, bearer: or apikey:, never the secret itself')
  if (credential.kind === 'keychain') throw new UsageError(`--store-credential: ${KEYCHAIN_DESKTOP_ONLY}`)
  const tenant = stringOption(args, 'store-tenant')
  return list.map((query) => {
    const parsed = StoreSourceSpec.safeParse({ kind, url, query, from, to, credential, ...(fieldMap ? { fieldMap } : {}), ...(tenant !== undefined ? { tenant } : {}) })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new UsageError(`--${issue.path[0] === 'url' ? 'store' : String(issue.path[0] ?? 'store')}: ${issue.message}`)
    }
    return parsed.data
  })
}

/** What a store read cost, printed beside the analysis: bytes received against what the engine scanned. */
export function storeCostLine(where: string, store: StoreSourceInfo): string {
  const warnings = store.warnings.length > 0 ? `; ${store.warnings.join('; ')}` : ''
  return `store ${where}: ${storeCost(store.bytesMoved, store.scannedBytes)}${warnings}`
}
