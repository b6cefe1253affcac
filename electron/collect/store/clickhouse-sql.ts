/**
 * The SQL a ClickHouse store read sends, written for the oldest engine we meet (18.16: no
 * toStartOfInterval, no DateTime64, no X-ClickHouse-Summary header). Pure string building: the
 * adapter (clickhouse.ts) decides what to ask, this module only says it in SQL.
 */
import { StoreError } from './errors'

export interface ColumnInfo {
  name: string
  type: string
}

export const ident = (name: string): string => `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``
export const literal = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

const NAME = String.raw`(?:[A-Za-z_][A-Za-z0-9_]*|\x60(?:[^\x60\\]|\\.)+\x60)`
const TABLE_RE = new RegExp(String.raw`^\s*(${NAME}(?:\.${NAME})?)\s*(?:\bWHERE\b\s*([\s\S]+?))?\s*;?\s*$`, 'i')

/** `db.table`, `table` or either followed by `WHERE <condition>`: what a ClickHouse store source reads. */
export function parseTableQuery(query: string): { table: string; where: string | null } {
  const m = TABLE_RE.exec(query)
  if (!m) throw new StoreError('query', `query must name a table ("db.table", optionally "WHERE <condition>"), got "${query.slice(0, 80)}"`)
  return { table: m[1], where: m[2] ?? null }
}

/** The type under Nullable(…) / LowCardinality(…). */
export function baseType(type: string): string {
  let t = type.trim()
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(t)
    if (!m) return t
    t = m[1]
  }
}

export const isDateTime = (type: string): boolean => /^DateTime\b/.test(baseType(type))
export const isDate = (type: string): boolean => baseType(type) === 'Date'
export const isNumber = (type: string): boolean => /^(U?Int\d+|Float\d+|Decimal)/.test(baseType(type))
export const isString = (type: string): boolean => /^(String|FixedString)/.test(baseType(type))

/** How a time column is read into epoch seconds and milliseconds. */
export type TimeKind = 'datetime' | 'date' | 'string' | 'epoch-s' | 'epoch-ms' | 'epoch-us' | 'epoch-ns'

export interface TimeExpr {
  /** Epoch seconds, UInt32 (0 when unreadable). */
  seconds: string
  /** Epoch milliseconds, UInt64 (0 when unreadable). */
  millis: string
  /** A condition selecting [from, to] that the primary key can use where the column is a DateTime. */
  window(fromMs: number, toMs: number): string
}

export function timeExpr(column: string, kind: TimeKind): TimeExpr {
  const c = ident(column)
  const secondsOf = (fromMs: number): number => Math.floor(fromMs / 1000)
  switch (kind) {
    case 'datetime':
    case 'date': {
      const seconds = kind === 'date' ? `toUInt32(toDateTime(${c}))` : `toUInt32(${c})`
      return {
        seconds,
        millis: `toUInt64(${seconds}) * 1000`,
        window: (f, t) => `${c} >= toDateTime(${secondsOf(f)}) AND ${c} <= toDateTime(${secondsOf(t)})`
      }
    }
    case 'string': {
      // parseDateTimeBestEffort drops the fraction: its first three digits are the milliseconds (`.5` is 500).
      const seconds = `toUInt32(parseDateTimeBestEffortOrZero(toString(${c})))`
      const digits = `extract(toString(${c}), ':[0-9]{2}[.,]([0-9]+)')`
      const millis = `toUInt64OrZero(substring(concat(${digits}, '000'), 1, 3))`
      return {
        seconds,
        millis: `toUInt64(${seconds}) * 1000 + ${millis}`,
        window: (f, t) => `${seconds} BETWEEN ${secondsOf(f)} AND ${secondsOf(t)}`
      }
    }
    default: {
      const per = { 'epoch-s': 1, 'epoch-ms': 1e3, 'epoch-us': 1e6, 'epoch-ns': 1e9 }[kind]
      const seconds = per === 1 ? `toUInt32(${c})` : `toUInt32(intDiv(toUInt64(${c}), ${per}))`
      const millis = per === 1 ? `toUInt64(${c}) * 1000` : per === 1e3 ? `toUInt64(${c})` : `intDiv(toUInt64(${c}), ${per / 1e3})`
      return { seconds, millis, window: (f, t) => `${c} BETWEEN ${(f / 1000) * per} AND ${(t / 1000) * per}` }
    }
  }
}

/** An epoch column's unit from the size of its values (seconds are ~1.7e9 today). */
export function epochKind(sample: number): TimeKind {
  if (sample > 1e17) return 'epoch-ns'
  if (sample > 1e14) return 'epoch-us'
  if (sample > 1e11) return 'epoch-ms'
  return 'epoch-s'
}

/** A status read as a number whatever the column's type (`"500"` strings from nginx JSON too). */
export function statusExpr(column: string, type: string): string {
  return isNumber(type) ? `toUInt16(${ident(column)})` : `toUInt16OrZero(toString(${ident(column)}))`
}

/** A column's text, '' for NULL. */
export const textExpr = (column: string): string => `ifNull(toString(${ident(column)}), '')`

/** Set: not empty, not `-` (what nginx writes for "none"). */
export const presentExpr = (column: string): string => `${textExpr(column)} NOT IN ('', '-')`

/**
 * A path with its all-digit segments collapsed to `0` and its query cut, so the engine groups
 * `/orders/17` and `/orders/18` together and sends one row for both. Only a cardinality bound:
 * the route itself is still normalized client-side (shared/analysis/route.ts), where every digit
 * segment becomes `:id` anyway, so nothing is decided here that the files would decide otherwise.
 */
export function pathKeyExpr(pathSql: string): string {
  const digits = (sql: string): string => `replaceRegexpAll(${sql}, '/[0-9]+(/|$)', '/0\\\\1')`
  // Twice: a match takes the slash after the segment, so `/1/2` needs a second pass for `2`.
  return digits(digits(`replaceRegexpAll(${pathSql}, '[?#].*$', '')`))
}
