/** Where a CLI command writes; injected so commands run in tests without a child process. */
export interface CliIO {
  stdout(text: string): void
  stderr(text: string): void
  cwd: string
  /** Set when stdout is a terminal: its width. A terminal gets the table by default, a pipe the report. */
  terminal?: { columns: number } | null
}

/** A user mistake: printed as one line on stderr, exit code 2, never a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export type CommandRunner = (argv: string[], io: CliIO) => Promise<number>

export const processIO = (): CliIO => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  terminal: process.stdout.isTTY ? { columns: process.stdout.columns || 80 } : null
})
