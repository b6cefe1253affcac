import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { FIELD_ROLES, type DeployEvent, type FieldMap, type FieldRole, type HealthSample } from '../../../shared/model/evidence'
import { FORMAT_DEFINITIONS, isKnownFormat } from '../../collect/formats'
import type { AnalysisSnapshot } from '../../../shared/contract/analysis'
import type { Runbook } from '../../../shared/contract/runbook'
import type { SourceInfo } from '../../../shared/contract'
import { choiceOption, intOption, parseArgs, stringOption, type ParsedArgs } from '../args'
import { type CommandRunner, UsageError } from '../io'
import { analyzeOnce } from '../../session/one-shot'
import { renderTable } from '../table'
import { UserError } from '../../session/errors'
import { exportIncidentReport } from '../../session/export'
import { newIncidentState } from '../../session/incident'
import { EvidenceFileError, readDeploysFile, readHealthFile } from '../../collect/evidence-files'
import { STORE_OPTIONS, storeCostLine, storeSpecsOption } from '../store-options'
import { SENTRY_OPTIONS, sentryOption } from '../sentry-options'
import { readSentryIssues, SentryError } from '../../collect/sentry'
import { joinSentry } from '../../../shared/analysis/sentry'

const FORMATS = ['table', 'markdown', 'json', 'html'] as const

export const runAnalyze: CommandRunner = async (argv, io) => {
  const args = parseArgs(argv, {
    deploys: { value: true },
    health: { value: true },
    format: { value: true },
    out: { value: true },
    workers: { value: true },
    'no-redact': { value: false },
    timings: { value: false },
    'log-format': { value: true },
    map: { value: true, repeat: true },
    title: { value: true },
    ...STORE_OPTIONS,
    ...SENTRY_OPTIONS
  })
  // A terminal gets the summary table; a pipe or --out file the Markdown report, as before.
  const format = choiceOption(args, 'format', FORMATS, io.terminal && stringOption(args, 'out') === undefined ? 'table' : 'markdown')
  const resolve = (p: string): string => path.resolve(io.cwd, p)
  const workers = intOption(args, 'workers', 1, 64)
  const forced = logFormatOption(stringOption(args, 'log-format'))
  const fieldMap = fieldMapOption(args.options.map)
  const stores = storeSpecsOption(args, fieldMap)
  const sentry = sentryOption(args)
  if (args.positionals.length === 0 && stores.length === 0)
    throw new UsageError('no LOG file given (usage: analyze [--deploys FILE] [--health FILE] [--format table|markdown|json|html] [--out FILE] [--store URL --query Q --from T [--to T]] LOG…)')
  let deploys: DeployEvent[] = []
  let health: HealthSample[] = []
  try {
    const deploysFile = stringOption(args, 'deploys')
    const healthFile = stringOption(args, 'health')
    if (deploysFile) deploys = await readDeploysFile(resolve(deploysFile), { displayName: deploysFile })
    if (healthFile) health = await readHealthFile(resolve(healthFile), { displayName: healthFile })
  } catch (err) {
    if (err instanceof EvidenceFileError) throw new UsageError(err.message)
    throw err
  }

  let snapshot: AnalysisSnapshot
  let runbook: Runbook
  let sources: SourceInfo[]
  try {
    // The app's path: a session reads the files as sources and runs the verdict.
    const result = await analyzeOnce({ paths: args.positionals.map(resolve), stores, format: forced, fieldMap, ...(workers === undefined ? {} : { workers }), deploys, health })
    snapshot = result.snapshot
    runbook = result.runbook
    sources = result.sources
    for (const s of result.sources) if (s.store) io.stderr(`${storeCostLine(s.path, s.store)}\n`)
    if (args.options.timings === true)
      io.stderr(`timings: read+parse ${Math.round(result.readMs)} ms, analysis ${Math.round(result.analysisMs)} ms (verdict ${Math.round(snapshot.computeMs)} ms)\n`)
  } catch (err) {
    if (err instanceof UserError) throw new UsageError(err.message)
    throw err
  }
  if (sentry !== null) {
    const window = snapshot.v1.window
    if (window === null) throw new UsageError('--sentry needs dated evidence: the logs give no window to ask Sentry about')
    try {
      const reading = await readSentryIssues({ ...sentry, from: Date.parse(window.from), to: Date.parse(window.to) })
      for (const w of reading.warnings) io.stderr(`${w}\n`)
      snapshot = joinSentry(snapshot, reading.issues)
    } catch (err) {
      // One line and a failed command: a report quietly without Sentry would read as "no Sentry issue".
      if (err instanceof SentryError) throw new UsageError(err.message)
      throw err
    }
  }
  let text: string
  if (format === 'json') text = `${JSON.stringify(snapshot.v1, null, 2)}\n`
  else if (format === 'table') text = renderTable(snapshot, runbook, { columns: io.terminal?.columns ?? 80 })
  else {
    // The same report the app exports, for an incident made of just these files.
    const incident = newIncidentState(stringOption(args, 'title') ?? `Analysis of ${[...args.positionals.map((p) => path.basename(p)), ...stores.map((s) => s.query)].join(', ')}`)
    incident.sources = snapshot.v1.sources.map((s) => ({ path: s.path, addedAt: incident.createdAt, sizeBytes: 0, mtimeMs: 0 }))
    text = exportIncidentReport({ incident, analysis: snapshot, runbook, journal: [], sources, format, redact: args.options['no-redact'] !== true }).content
  }
  const out = stringOption(args, 'out')
  if (out) {
    try {
      await writeFile(resolve(out), text)
    } catch (err) {
      throw new UsageError(`cannot write ${resolve(out)}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
    }
    io.stderr(`wrote ${resolve(out)}\n`)
  } else io.stdout(text)
  return 0
}

/** `--map status=response_code` (repeatable): which field plays a role, overriding what inference chose. */
function fieldMapOption(values: ParsedArgs['options'][string] | undefined): FieldMap | null {
  if (values === undefined || typeof values === 'boolean') return null
  const map: FieldMap = {}
  for (const value of typeof values === 'string' ? [values] : values) {
    const eq = value.indexOf('=')
    const role = eq > 0 ? value.slice(0, eq) : ''
    const field = value.slice(eq + 1)
    if (!isFieldRole(role) || field === '') throw new UsageError(`--map takes ROLE=FIELD with ROLE one of ${FIELD_ROLES.join(', ')} (got "${value}")`)
    map[role] = field
  }
  return map
}

function isFieldRole(name: string): name is FieldRole {
  return (FIELD_ROLES as readonly string[]).includes(name)
}

function logFormatOption(value: string | undefined): string | null {
  if (value === undefined) return null
  if (value !== 'unknown' && isKnownFormat(value)) return value
  throw new UsageError(`--log-format must be one of ${FORMAT_DEFINITIONS.map((d) => d.id).join(', ')} (got "${value}")`)
}
