import { choiceOption, intOption, parseArgs, stringOption } from '../args'
import { UsageError, type CommandRunner } from '../io'
import type { HealthSample } from '../../../shared/model/evidence'
import { clock, duration, iso } from '../../../shared/format'
import { isDown } from '../../../shared/analysis/verdict/health'
import { PollError, PollTargetError, parseDeployMapping, pollDeployOnce, pollHealthOnce, resolveTarget } from '../../collect/poll'
import type { DeployMapping, DeployObservation } from '../../collect/poll'

const USAGE_SPEC = {
  kind: { value: true },
  'timeout-ms': { value: true },
  format: { value: true },
  /** `Name: value`, sent to the probed origin only (e.g. Authorization). */
  header: { value: true, repeat: true },
  /** Generic deploy JSON: `version=PATH[,at=PATH][,commit=PATH]`. */
  map: { value: true },
  /** Exit 1 when the check is down (or no deploy could be read), so a script can stop on it. */
  fail: { value: false }
} as const

function headersFrom(values: string[]): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const raw of values) {
    const colon = raw.indexOf(':')
    const name = colon === -1 ? '' : raw.slice(0, colon).trim()
    if (!name) throw new UsageError('option --header must be "Name: value"')
    headers[name] = raw.slice(colon + 1).trim()
  }
  return headers
}

function healthText(sample: HealthSample): string {
  const head = `${sample.ok ? 'ok' : 'NOT OK'}: ${sample.status === null ? 'no answer' : `HTTP ${sample.status}`}${
    sample.latencyMs === null ? '' : ` in ${duration(sample.latencyMs)}`
  }${sample.error ? ` (${sample.error})` : ''}`
  const components = sample.components.map((c) => `  ${c.ok ? 'ok    ' : 'FAILED'}  ${c.name}  ${c.status}${c.detail ? `  ${c.detail}` : ''}`)
  return [head, ...components].join('\n') + '\n'
}

function deployAt(observation: DeployObservation): string {
  return iso(observation.at ?? observation.observedAt)
}

function deployText(observation: DeployObservation): string {
  const since =
    observation.atKind === 'deployed'
      ? `deployed ${clock(observation.at as number, { date: true })}`
      : observation.atKind === 'built'
        ? `built ${clock(observation.at as number, { date: true })} (deploy time not given)`
        : observation.atKind === 'committed'
          ? `committed ${clock(observation.at as number, { date: true })} (deploy time not given)`
          : `seen live ${clock(observation.observedAt, { date: true })} (deploy time not given)`
  return `version ${observation.version}${observation.commit ? ` (commit ${observation.commit})` : ''}, ${since} [${observation.shape}]\n`
}

/** `probe --kind health|deploy [--timeout-ms N] [--format json] [--header H]… [--map M] [--fail] URL`: one poll. */
export const runProbe: CommandRunner = async (argv, io) => {
  const args = parseArgs(argv, USAGE_SPEC)
  if (stringOption(args, 'kind') === undefined) throw new UsageError('missing --kind (health or deploy)')
  const kind = choiceOption(args, 'kind', ['health', 'deploy'] as const, 'health')
  const format = choiceOption(args, 'format', ['text', 'json'] as const, 'text')
  const timeoutMs = intOption(args, 'timeout-ms', 1, 600_000) ?? 5_000
  if (args.positionals.length !== 1)
    throw new UsageError(args.positionals.length === 0 ? 'missing URL to probe' : `expected one URL, got ${args.positionals.length}`)
  const url = args.positionals[0]
  const down = args.options.fail === true ? 1 : 0
  const headerValues = args.options.header
  const headers = headersFrom(Array.isArray(headerValues) ? headerValues : [])
  const mapText = stringOption(args, 'map')
  if (mapText !== undefined && kind !== 'deploy') throw new UsageError('option --map applies to --kind deploy only')
  let mapping: DeployMapping | undefined
  try {
    mapping = mapText === undefined ? undefined : parseDeployMapping(mapText)
  } catch (err) {
    throw new UsageError(`option --map: ${(err as Error).message}`)
  }
  const target = { name: 'probe', url, timeoutMs, headers, mapping }
  try {
    resolveTarget(target)
  } catch (err) {
    if (err instanceof PollTargetError) throw new UsageError(err.message)
    throw err
  }

  if (kind === 'health') {
    const sample = await pollHealthOnce(target)
    const { ok, status, latencyMs, error, components } = sample
    io.stdout(format === 'json' ? `${JSON.stringify({ ok, status, latencyMs, error, components })}\n` : healthText(sample))
    return isDown(sample) ? down : 0
  }
  try {
    const observation = await pollDeployOnce(target)
    const result = { version: observation.version, at: deployAt(observation), ...(observation.commit ? { commit: observation.commit } : {}) }
    io.stdout(format === 'json' ? `${JSON.stringify(result)}\n` : deployText(observation))
  } catch (err) {
    if (!(err instanceof PollError)) throw err
    io.stdout(format === 'json' ? `${JSON.stringify({ version: null, at: null, error: err.message })}\n` : `no deploy read: ${err.message}\n`)
    return down
  }
  return 0
}
