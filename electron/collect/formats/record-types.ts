/** A parsed JSON / logfmt record: its own module so readers of records (records.ts, otel.ts) share it without importing each other. */
export type RecordValue = unknown
export type Record_ = Record<string, RecordValue>
