import { runCli } from './main'
import { processIO } from './io'

runCli(process.argv.slice(2), processIO()).then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`triage500: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
    process.exitCode = 1
  }
)
