import { UsageError } from './io'

export interface OptionSpec {
  /** Takes a value (`--format json`); otherwise a boolean flag. */
  value: boolean
  /** May be given more than once; values collect into an array. */
  repeat?: boolean
}

export interface ParsedArgs {
  options: Record<string, string | boolean | string[]>
  positionals: string[]
}

/** A small strict parser: unknown options and missing values are usage errors naming the option. */
export function parseArgs(argv: string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const options: ParsedArgs['options'] = {}
  const positionals: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    const name = arg.slice(2, eq === -1 ? undefined : eq)
    const def = spec[name]
    if (!def) throw new UsageError(`unknown option --${name}`)
    if (!def.value) {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`)
      options[name] = true
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else {
      value = argv[i + 1]
      i++
    }
    if (value === undefined || value === '') throw new UsageError(`option --${name} needs a value`)
    if (def.repeat) {
      const prev = options[name]
      options[name] = Array.isArray(prev) ? [...prev, value] : [value]
    } else options[name] = value
  }
  return { options, positionals }
}

export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const v = args.options[name]
  return typeof v === 'string' ? v : undefined
}

export function intOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = stringOption(args, name)
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`option --${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  return n
}

export function choiceOption<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const raw = stringOption(args, name)
  if (raw === undefined) return fallback
  if (!(choices as readonly string[]).includes(raw))
    throw new UsageError(`option --${name} must be one of ${choices.join(', ')}, got "${raw}"`)
  return raw as T
}
