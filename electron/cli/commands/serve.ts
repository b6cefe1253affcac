import { spawn } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, intOption } from '../args'
import { type CommandRunner, UsageError } from '../io'
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
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('uncaughtException', keepServing)
      process.off('unhandledRejection', keepServing)
      void Promise.all([host.close(), service.close()]).then(() => resolve())
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}
