export interface LocalClickHouse {
  /** `http://127.0.0.1:<port>` */
  url: string
  httpPort: number
  tcpPort: number
  dir: string
  pid: number | undefined
  /** One statement as `default`; `body` is POSTed as the statement's data. Throws the server's message. */
  query(sql: string, body?: string): Promise<string>
  stop(): Promise<void>
}
export function clickhouseBinary(): string | null
export function startClickHouse(options?: { password?: string; startTimeoutMs?: number }): Promise<LocalClickHouse>
