#!/usr/bin/env node
// npm run bench: Triage500 beside its peers on the same input, then the grouping-accuracy table and the
// live-follow case (bench-live.mjs: 50 MB/s of appends beside tail -F | wc -c).
//   - builds .bench/access-500mb.log: Elastic's real 10k-line combined log repeated 210 times
//   - times `triage500 analyze --format json` and checks it counts 2,100,000 requests / 630 × 500
//   - times lnav (count of 5xx), ripgrep (5xx lines) and GoAccess (full report) where installed
// Numbers are wall time, CPU time (user + system) and peak RSS of the whole process (GNU time), best
// of --runs (default 3). On a shared machine wall time swings with the load; CPU time much less.
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const sharedData = process.env.TRIAGE500_SHARED_DATA ?? path.resolve(root, '..', 'shared', 'data')
const source = path.join(sharedData, 'nginx', 'elastic-examples_apache_access_combined_10k.log')
const benchDir = path.join(root, '.bench')
const bigLog = path.join(benchDir, 'access-500mb.log')
const cli = path.join(root, 'out', 'main', 'cli.js')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3
const onlySpeed = process.argv.includes('--speed-only')

if (!existsSync(source)) {
  console.error(`bench: ${source} not found: the benchmark needs ../shared/data`)
  process.exit(2)
}
if (!existsSync(cli)) {
  console.log('bench: building first (npm run build)…')
  if (spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1)
}

async function buildBigLog() {
  if (existsSync(bigLog) && statSync(bigLog).size === statSync(source).size * 210) return
  mkdirSync(benchDir, { recursive: true })
  const body = readFileSync(source)
  const out = createWriteStream(bigLog)
  for (let i = 0; i < 210; i++) if (!out.write(body)) await new Promise((r) => out.once('drain', r))
  await new Promise((r) => out.end(r))
}

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || null
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

/** Runs a command RUNS times; returns the best wall time, its peak RSS, the least CPU time and the last stdout. */
function measure(cmd, args) {
  let best = null
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    const res = gnuTime
      ? spawnSync(gnuTime, ['-f', '%e %M %U %S', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 })
      : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 })
    const wall = Number(process.hrtime.bigint() - started) / 1e9
    if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').pop() || `exit ${res.status}` }
    const timed = gnuTime ? (res.stderr.trim().split('\n').pop() || '').split(' ').map(Number) : []
    const rssKb = timed[1] ?? NaN
    const cpu = gnuTime ? timed[2] + timed[3] : NaN
    if (!best || wall < best.wall) best = { wall, rssMb: rssKb / 1024, cpu: Math.min(cpu, best?.cpu ?? Infinity), stdout: res.stdout }
    else best.cpu = Math.min(best.cpu, cpu)
  }
  return best
}

await buildBigLog()
const sizeMb = statSync(bigLog).size / 1e6
console.log(`\nInput: ${path.relative(root, bigLog)} (${sizeMb.toFixed(0)} MB, Elastic's real access log × 210), best of ${RUNS} runs, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores\n`)

const rows = []
const load = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ')
const loadBefore = load()
const ours = measure(process.execPath, [cli, 'analyze', '--format', 'json', bigLog])
let check = ''
if (ours.error) rows.push(['triage500 analyze (full parse, both cores)', NaN, NaN, NaN, ours.error])
else {
  const a = JSON.parse(ours.stdout)
  const ok = a.requests === 2_100_000 && a.statusCounts['500'] === 630
  check = ok ? '' : `  MISMATCH: expected 2,100,000 requests and 630 × 500`
  rows.push(['triage500 analyze (full parse, both cores)', ours.wall, ours.cpu, ours.rssMb, `${a.requests.toLocaleString('en-US')} requests, ${a.statusCounts['500']} × 500${check}`])
}
const one = measure(process.execPath, [cli, 'analyze', '--workers', '1', '--format', 'json', bigLog])
if (!one.error) rows.push(['triage500 analyze --workers 1', one.wall, one.cpu, one.rssMb, 'same parse on one core'])

let lnav = null
if (which('lnav')) {
  const r = measure('lnav', ['-n', '-c', ';SELECT count(*) FROM access_log WHERE sc_status >= 500', bigLog])
  if (r.error) rows.push(['lnav (count 5xx)', NaN, NaN, NaN, r.error])
  else {
    lnav = r
    rows.push(['lnav (count 5xx)', r.wall, r.cpu, r.rssMb, `${r.stdout.trim().split('\n').pop().trim()} × 5xx`])
  }
} else rows.push(['lnav', NaN, NaN, NaN, 'not installed (apt-get install lnav)'])
if (which('rg')) {
  const r = measure('rg', ['-c', '" 5[0-9][0-9] ', bigLog])
  rows.push(['ripgrep (lines with " 5xx ")', r.wall ?? NaN, r.cpu ?? NaN, r.rssMb ?? NaN, r.error ?? `${r.stdout.trim()} lines (grep only, no parse)`])
} else rows.push(['ripgrep', NaN, NaN, NaN, 'not installed (apt-get install ripgrep)'])
if (which('goaccess')) {
  const r = measure('goaccess', [bigLog, '--log-format=COMBINED', '--no-global-config', '-o', 'json'])
  rows.push(['GoAccess (full report, C)', r.wall ?? NaN, r.cpu ?? NaN, r.rssMb ?? NaN, r.error ?? 'JSON report'])
} else rows.push(['GoAccess', NaN, NaN, NaN, 'not installed (apt-get install goaccess)'])

const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '—')
console.log(`${'tool'.padEnd(44)} ${'time s'.padStart(7)} ${'CPU s'.padStart(7)} ${'peak RSS MB'.padStart(12)}  notes`)
for (const [name, wall, cpu, rss, note] of rows) console.log(`${name.padEnd(44)} ${fmt(wall, 2).padStart(7)} ${fmt(cpu, 2).padStart(7)} ${fmt(rss, 0).padStart(12)}  ${note}`)
console.log(`\nload average (1/5/15 min) before: ${loadBefore}, after: ${load()}`)
if (lnav && !ours.error) {
  console.log(`triage500 / lnav = ${(ours.wall / lnav.wall).toFixed(2)} wall (target ≤ 0.6), ${(ours.cpu / lnav.cpu).toFixed(2)} CPU; one core ${(one.wall / lnav.wall).toFixed(2)} wall; peak RSS ${ours.rssMb.toFixed(0)} MB (target < 400 MB)`)
}
if (check) process.exitCode = 1

// Where the time goes inside one run: parsing versus the verdict on the merged aggregates.
const timed = spawnSync(process.execPath, [cli, 'analyze', '--timings', '--format', 'json', bigLog], { encoding: 'utf8', maxBuffer: 1 << 28 })
const phase = /read\+parse (\d+) ms, analysis (\d+) ms/.exec(timed.stderr)
if (phase) {
  const [readMs, analysisMs] = [Number(phase[1]), Number(phase[2])]
  console.log(`phases: read+parse+group ${readMs} ms, analysis and verdict ${analysisMs} ms (${((100 * analysisMs) / (readMs + analysisMs)).toFixed(1)}% of the run; target ≤ 10%)`)
}

if (!onlySpeed && existsSync(path.join(root, 'scripts', 'bench-accuracy.mjs'))) {
  console.log('')
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-accuracy.mjs')], { stdio: 'inherit' })
  if (r.status !== 0) process.exitCode = 1
}

// A 500 MB JSON access log (Envoy-shaped) beside jq.
if (!onlySpeed && spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-json.mjs'), '--runs', String(RUNS)], { stdio: 'inherit' }).status !== 0) process.exitCode = 1

// Grouping and template mining where no two error messages are alike (1M lines), beside sort | uniq -c.
if (!onlySpeed && spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-grouping.mjs')], { stdio: 'inherit' }).status !== 0) process.exitCode = 1

// A session following a log written at 50 MB/s, beside tail -F | wc -c.
if (!onlySpeed && spawnSync(process.execPath, [path.join(root, 'scripts', 'bench-live.mjs')], { stdio: 'inherit' }).status !== 0) process.exitCode = 1
