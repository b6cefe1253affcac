#!/usr/bin/env node
// npm run bench:grouping: error grouping and template mining on a file where no two error
// messages are alike, beside the floor of merely counting its distinct lines.
//   - builds .bench/distinct-errors.log: N (default 1,000,000) pino JSON error lines, each with a
//     message of 4–12 tokens drawn from 600 pseudo-words, half of them carrying digits
//   - times `triage500 templates` and `triage500 analyze --format json` (built code in out/)
//   - times `sort FILE | uniq -c | wc -l` on the same file: the floor for "how many distinct lines"
// Numbers are wall time, CPU time (user + system: steadier than wall time on a shared machine)
// and peak RSS of the whole process (GNU time), one run each.
// Usage: npm run build && node scripts/bench-grouping.mjs [--lines N]
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'out', 'main', 'cli.js')
const benchDir = path.join(root, '.bench')
const linesArg = process.argv.indexOf('--lines')
const LINES = linesArg > 0 ? Number(process.argv[linesArg + 1]) : 1_000_000
if (!Number.isInteger(LINES) || LINES < 1) {
  console.error(`bench-grouping: --lines expects a positive whole number, got ${process.argv[linesArg + 1]}`)
  process.exit(2)
}
const file = path.join(benchDir, `distinct-errors-${LINES}.log`)
const stamp = `${file}.done`

if (!existsSync(cli)) {
  console.log('bench-grouping: building first (npm run build)…')
  if (spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1)
}

/** Seeded, so every run benchmarks the same file. */
function generator(seed) {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 4294967296
  }
}

async function buildFile() {
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === String(LINES)) return
  mkdirSync(benchDir, { recursive: true })
  const rnd = generator(18)
  const syllables = ['ka', 'lo', 'mi', 'ne', 'pu', 'ra', 'si', 'to', 'vu', 'ze', 'bi', 'do', 'fa', 'gu', 'he', 'jo']
  const words = Array.from({ length: 600 }, () => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => syllables[Math.floor(rnd() * syllables.length)]).join(''))
  const pick = () => words[Math.floor(rnd() * words.length)]
  const out = createWriteStream(file)
  const t0 = Date.UTC(2026, 0, 1)
  let chunk = ''
  for (let i = 0; i < LINES; i++) {
    const length = 4 + Math.floor(rnd() * 9)
    const tokens = Array.from({ length }, () => (i % 2 === 0 ? `${pick()}${Math.floor(rnd() * 1000)}` : pick()))
    chunk += `${JSON.stringify({ level: 50, time: t0 + i * 10, msg: tokens.join(' ') })}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((r) => out.once('drain', r))
      chunk = ''
    }
  }
  out.write(chunk)
  await new Promise((r) => out.end(r))
  writeFileSync(stamp, String(LINES))
}

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** One run: wall time, CPU seconds and peak RSS (GNU time), and stdout. */
function measure(cmd, args) {
  const started = process.hrtime.bigint()
  const res = gnuTime
    ? spawnSync(gnuTime, ['-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30 })
  const wall = Number(process.hrtime.bigint() - started) / 1e9
  if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').at(-1) || `exit ${res.status}` }
  const [, rssKb, user, sys] = gnuTime ? (res.stderr.trim().split('\n').at(-1) || '').split(' ').map(Number) : [NaN, NaN, NaN, NaN]
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: res.stdout }
}

await buildFile()
console.log(`\nInput: ${path.relative(root, file)} (${LINES.toLocaleString('en-US')} error lines, every message distinct), one run each\n`)

const rows = []
const floor = measure('sh', ['-c', 'LC_ALL=C sort "$1" | uniq -c | wc -l', 'sh', file])
rows.push(['sort FILE | uniq -c | wc -l (floor)', floor, floor.error ?? `${Number(floor.stdout.trim()).toLocaleString('en-US')} distinct lines`])

const templates = measure(process.execPath, [cli, 'templates', file])
rows.push(['triage500 templates', templates, templates.error ?? templates.stdout.split('\n', 1)[0]])

const analyze = measure(process.execPath, [cli, 'analyze', '--format', 'json', file])
let note = analyze.error
if (!note) {
  const a = JSON.parse(analyze.stdout)
  const events = a.sources.reduce((n, s) => n + s.events, 0)
  const listed = a.errorGroups.reduce((n, g) => n + g.count, 0)
  note = `${events.toLocaleString('en-US')} error events; the ${a.errorGroups.length} groups listed hold ${listed.toLocaleString('en-US')}`
  if (events !== LINES) {
    note += `  MISMATCH: expected ${LINES.toLocaleString('en-US')} events`
    process.exitCode = 1
  }
}
rows.push(['triage500 analyze --format json', analyze, note])
if (templates.error || analyze.error || floor.error) process.exitCode = 1

const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '—')
console.log(`${'command'.padEnd(36)} ${'wall s'.padStart(7)} ${'CPU s'.padStart(7)} ${'peak RSS MB'.padStart(12)}  notes`)
for (const [name, m, n] of rows) console.log(`${name.padEnd(36)} ${fmt(m.wall, 2).padStart(7)} ${fmt(m.cpu, 2).padStart(7)} ${fmt(m.rssMb, 0).padStart(12)}  ${n}`)
