import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, intOption } from '../args'
import { type CliIO, type CommandRunner, UsageError } from '../io'
import { errorLine, findRendererDir, MAX_UPLOAD_BYTES, startHost, UPLOAD_QUOTA_BYTES } from '../../host/server'
import { SessionService } from '../../session/service'
import { IncidentStore } from '../../session/store'
import { triageHome } from '../../session/home'
import { startDemoInSession } from '../../demo'

function openInBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open'
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url]
  try {
    const child = spawn(cmd, args, { detached: true, stdio: 'ignore' })
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No opener on this machine: the URL is printed anyway.
  }
}

export const runServe: CommandRunner = async (argv, io) => {
  const args = parseArgs(argv, { port: { value: true }, 'no-open': { value: false }, 'max-upload-mb': { value: true }, 'upload-quota-mb': { value: true } })
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}"`)
  const port = intOption(args, 'port', 0, 65535) ?? 0
  const MB = 1 << 20
  const maxUploadBytes = (intOption(args, 'max-upload-mb', 1, 1 << 20) ?? MAX_UPLOAD_BYTES / MB) * MB
  const uploadQuotaBytes = (intOption(args, 'upload-quota-mb', 1, 1 << 24) ?? UPLOAD_QUOTA_BYTES / MB) * MB
  const here = path.dirname(fileURLToPath(import.meta.url))
  const rendererDir = findRendererDir(here)
  if (!rendererDir) throw new UsageError('the renderer is not built: run `npm run build` first')
  const home = triageHome()
  // Incidents persist under $TRIAGE500_HOME like the desktop app's under its data folder.
  const uploadDir = path.join(home, 'uploads')
  const service = new SessionService({ storage: new IncidentStore(home), uploadDir, demo: (sink) => startDemoInSession(sink) })
  let host
  try {
    host = await startHost({ service, rendererDir, uploadDir, port, maxUploadBytes, uploadQuotaBytes })
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is already in use on 127.0.0.1`)
    throw err
  }
  // The last resort for the service's timers and tails: one line, and the server keeps serving.
  const keepServing = (err: unknown): void => io.stderr(`triage500 serve: internal error (still serving): ${errorLine(err)}\n`)
  process.on('uncaughtException', keepServing)
  process.on('unhandledRejection', keepServing)
  io.stdout(`${host.url}\n`)
  io.stderr(`Triage500 browser mode on 127.0.0.1:${host.port} (incidents under ${home}); Ctrl+C stops it.\n`)
  if (args.options['no-open'] !== true) openInBrowser(host.url)
  await stopOnSignal(io, async () => {
    process.off('uncaughtException', keepServing)
    process.off('unhandledRejection', keepServing)
    // Followers first (tails, pollers, the demo's service), so nothing writes to a closing socket.
    await service.close()
    await host.close()
  })
  // Whatever still holds the event loop (a read that ignores its abort, a stray timer) does not
  // hold the exit: this fires only if the process is still alive, and then ends it.
  setTimeout(() => process.exit(0), EXIT_GRACE_MS).unref()
  return 0
}

/** How long closing may take before serve stops anyway, and how long the exit may then linger. */
const CLOSE_GRACE_MS = 5000
const EXIT_GRACE_MS = 1000

/**
 * Resolves once `close` has run after the first SIGINT/SIGTERM (or after CLOSE_GRACE_MS, if
 * closing hangs); a second signal exits at once, as users expect of a second Ctrl+C.
 */
function stopOnSignal(io: CliIO, close: () => Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    let stopping = false
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        io.stderr(`triage500 serve: ${signal} again: stopping now\n`)
        process.exit(signal === 'SIGINT' ? 130 : 143)
      }
      stopping = true
      io.stderr(`triage500 serve: ${signal}: closing followers and connections (${signal === 'SIGINT' ? 'Ctrl+C' : signal} again stops at once)\n`)
      const grace = setTimeout(() => {
        io.stderr(`triage500 serve: closing took over ${CLOSE_GRACE_MS / 1000} s: stopping anyway\n`)
        resolve()
      }, CLOSE_GRACE_MS)
      close()
        .catch((err: unknown) => io.stderr(`triage500 serve: closing failed: ${errorLine(err)}\n`))
        .finally(() => {
          clearTimeout(grace)
          resolve()
        })
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })
}
