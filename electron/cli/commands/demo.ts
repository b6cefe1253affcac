import type { AnalysisSnapshot } from '../../../shared/contract/analysis'
import { startDemoInSession, type DemoService } from '../../demo'
import { SessionService } from '../../session/service'
import { choiceOption, intOption, parseArgs } from '../args'
import { type CliIO, type CommandRunner, UsageError } from '../io'
import { count, duration } from '../../../shared/format'

const FORMATS = ['markdown', 'json'] as const
const DEFAULT_SECONDS = 45
const PROGRESS_EVERY_S = 5
/** The deploy lands a little before the middle of the run: a clear before and after. */
const DEPLOY_AT_SHARE = 0.45

/**
 * The analysis of what the session collected: the files the demo wrote, with the deploys and
 * health samples the session's pollers saw. Swap for the session's own analysis once it has one.
 */
/** The session's own analysis of what its tails and pollers collected, once the tails are quiet. */
async function analyzeDemo(session: SessionService): Promise<AnalysisSnapshot> {
  await session.idle()
  // A trace at the very end of a tail is closed after a short quiet period (see LogSource).
  await new Promise((resolve) => setTimeout(resolve, 600))
  const snapshot = await session.getAnalysis({})
  if (!snapshot) throw new Error('the demo produced no evidence to analyze')
  return snapshot
}

/** Resolves at `at` (epoch ms), or early when aborted. */
function waitUntil(at: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, at - Date.now()))
    signal.addEventListener('abort', done, { once: true })
  })
}

async function progressLine(session: SessionService, demo: DemoService, elapsedS: number, seconds: number): Promise<string> {
  const s = demo.stats()
  const snap = await session.getSnapshot({})
  const lines = snap.sources.reduce((n, src) => n + src.lines, 0)
  const health = session.targets.healthSamples
  const lastHealth = health.length > 0 ? (health[health.length - 1].ok ? 'UP' : 'DOWN') : 'not polled yet'
  return `demo ${String(elapsedS).padStart(String(seconds).length)}s/${seconds}s: ${count(s.requests)} requests, ${count(s.serverErrors)} × 5xx, live ${s.liveVersion}; session read ${count(lines)} lines, health ${lastHealth}, ${session.targets.deploys.length} deploy(s) seen\n`
}

export const runDemo: CommandRunner = async (argv, io) => {
  const args = parseArgs(argv, { seconds: { value: true }, format: { value: true } })
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument "${args.positionals[0]}" (usage: demo [--seconds N] [--format json|markdown])`)
  const seconds = intOption(args, 'seconds', 5, 3600) ?? DEFAULT_SECONDS
  const format = choiceOption(args, 'format', FORMATS, 'markdown')

  const session = new SessionService()
  let started: Awaited<ReturnType<typeof startDemoInSession>>
  try {
    started = await startDemoInSession(session, {
      deployAfterMs: Math.round(seconds * 1000 * DEPLOY_AT_SHARE),
      // Short runs shift traffic sooner so the failing half still holds enough requests.
      trafficShiftAfterMs: Math.min(2500, Math.max(1500, seconds * 100))
    })
  } catch (err) {
    await session.close()
    throw new UsageError(`cannot start the demo: ${err instanceof Error ? err.message : String(err)}`)
  }
  const { demo, info } = started
  // Ctrl-C ends the run early; the analysis is still printed and the temp folder removed.
  const interrupted = new AbortController()
  const onSigint = (): void => interrupted.abort()
  process.once('SIGINT', onSigint)
  try {
    io.stderr(
      `demo: shop-api ${info.oldVersion} on http://127.0.0.1:${info.port} (health ${info.healthUrl}, version ${info.versionUrl})\n` +
        `demo: logs in ${info.dir}; ${info.newVersion} deploys in ~${duration(info.deployAfterMs)}; running ${duration(seconds * 1000)}\n`
    )
    await runFor(seconds, session, demo, io, interrupted.signal)
    await demo.stopTraffic()
    const analysis = await analyzeDemo(session)
    if (format === 'json') io.stdout(`${JSON.stringify(analysis.v1, null, 2)}\n`)
    else {
      // The report the app exports: the session's incident, analysis, runbook and journal.
      io.stdout((await session.exportReport({ format: 'markdown', redact: true })).content)
    }
    const writeError = demo.stats().writeError
    if (writeError) io.stderr(`demo: ${writeError}\n`)
    return 0
  } finally {
    process.off('SIGINT', onSigint)
    await session.close()
    await demo.stop()
  }
}

async function runFor(seconds: number, session: SessionService, demo: DemoService, io: CliIO, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now()
  for (let t = PROGRESS_EVERY_S; t <= seconds && !signal.aborted; t += PROGRESS_EVERY_S) {
    await waitUntil(startedAt + t * 1000, signal)
    if (!signal.aborted) io.stderr(await progressLine(session, demo, t, seconds))
  }
  await waitUntil(startedAt + seconds * 1000, signal)
  if (signal.aborted) io.stderr(`demo: interrupted after ${duration(Date.now() - startedAt)}\n`)
}
