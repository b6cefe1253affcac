import { type CliIO, type CommandRunner, UsageError } from './io'

interface CommandEntry {
  summary: string
  usage: string
  load: () => Promise<CommandRunner>
}

export const commands: Record<string, CommandEntry> = {
  analyze: {
    summary: 'analyze log files (with deploys and health samples) and print the verdict',
    usage: 'analyze [--deploys FILE] [--health FILE] [--format table|markdown|json|html] [--out FILE] [--title TEXT] [--no-redact] [--workers N] [--log-format FORMAT] [--map ROLE=FIELD]… [--timings] LOG…',
    load: async () => (await import('./commands/analyze')).runAnalyze
  },
  templates: {
    summary: 'print the message templates of one log file',
    usage: 'templates [--format json] LOG',
    load: async () => (await import('./commands/templates')).runTemplates
  },
  probe: {
    summary: 'poll a health or deploy endpoint once and print the normalized result',
    usage: "probe --kind health|deploy [--timeout-ms N] [--format json] [--fail] [--header 'Name: value'] [--map version=PATH[,at=PATH][,commit=PATH]] URL",
    load: async () => (await import('./commands/probe')).runProbe
  },
  demo: {
    summary: 'run the built-in simulated incident and print the analysis',
    usage: 'demo [--seconds N] [--format json|markdown]',
    load: async () => (await import('./commands/demo')).runDemo
  },
  serve: {
    summary: 'browser mode: serve the app on 127.0.0.1 and print its URL',
    usage: 'serve [--port N] [--no-open] [--max-upload-mb N] [--upload-quota-mb N]',
    load: async () => (await import('./commands/serve')).runServe
  }
}

export function helpText(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length))
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`)
  const usages = Object.values(commands).map((c) => `  triage500 ${c.usage}`)
  return [
    'triage500 — incident triage for services answering HTTP 500',
    '',
    'Usage: triage500 <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Synopsis:',
    ...usages,
    '',
    'Exit codes: 0 done (whatever the verdict), 1 a probed check is down (probe --fail), 2 bad usage or unreadable input.',
    ''
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText())
    return name === undefined ? 2 : 0
  }
  const entry = commands[name]
  if (!entry) {
    io.stderr(`triage500: unknown command "${name}" (try --help)\n`)
    return 2
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: triage500 ${entry.usage}\n`)
    return 0
  }
  try {
    const run = await entry.load()
    return await run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`triage500 ${name}: ${err.message}\n`)
      return 2
    }
    throw err
  }
}
