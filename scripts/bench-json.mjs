#!/usr/bin/env node
// npm run bench:json — a 500 MB Envoy-shaped JSON access log (generated: Envoy's default JSON keys,
// deterministic values), read by `triage500 analyze` beside `jq` counting its 5xx on the same file.
// lnav has no Envoy format, so jq is the peer. Wall time and peak RSS (GNU time), best of --runs.
import { spawnSync } from 'node:child_process'
import { createWriteStream, existsSync, mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const benchDir = path.join(root, '.bench')
const file = path.join(benchDir, 'envoy-500mb.jsonl')
const cli = path.join(root, 'out', 'main', 'cli.js')
const runsArg = process.argv.indexOf('--runs')
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 3
const TARGET_BYTES = 500e6

if (!existsSync(cli)) {
  console.log('bench:json: building first (npm run build)…')
  if (spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1)
}

/** Writes the file once; returns the true 5xx count it holds, so both tools can be checked. */
async function build() {
  mkdirSync(benchDir, { recursive: true })
  let seed = 42
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const routes = ['/api/orders', '/api/orders/{id}', '/api/cart', '/api/users/{id}/profile', '/healthz', '/api/search', '/static/app.js']
  const methods = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE']
  const t0 = Date.UTC(2026, 2, 1, 0, 0, 0)
  const out = createWriteStream(file)
  let bytes = 0
  let lines = 0
  let s5xx = 0
  while (bytes < TARGET_BYTES) {
    const t = t0 + lines * 45
    const r = rnd()
    const code = r < 0.004 ? 503 : r < 0.01 ? 500 : r < 0.012 ? 504 : r < 0.06 ? 404 : r < 0.1 ? 302 : 200
    if (code >= 500) s5xx++
    const route = routes[Math.floor(rnd() * routes.length)].replace('{id}', String(Math.floor(rnd() * 100000)))
    const rec = {
      start_time: new Date(t).toISOString(),
      method: methods[Math.floor(rnd() * methods.length)],
      path: route,
      protocol: 'HTTP/1.1',
      response_code: code,
      response_flags: code === 503 ? 'UF' : '-',
      bytes_received: Math.floor(rnd() * 2000),
      bytes_sent: Math.floor(rnd() * 20000),
      duration: Math.floor(rnd() * 300),
      upstream_service_time: String(Math.floor(rnd() * 280)),
      x_forwarded_for: `10.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}`,
      user_agent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
      request_id: `${Math.floor(rnd() * 1e9).toString(16)}-${lines.toString(16)}`,
      authority: 'shop.example.com',
      upstream_host: `10.0.3.${1 + Math.floor(rnd() * 8)}:8080`
    }
    const line = `${JSON.stringify(rec)}\n`
    bytes += Buffer.byteLength(line)
    lines++
    if (!out.write(line)) await new Promise((res) => out.once('drain', res))
  }
  await new Promise((res) => out.end(res))
  return { lines, s5xx }
}

const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null
function measure(cmd, args) {
  let best = null
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint()
    const res = gnuTime ? spawnSync(gnuTime, ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 }) : spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28 })
    const wall = Number(process.hrtime.bigint() - started) / 1e9
    if (res.status !== 0) return { error: (res.stderr || '').trim().split('\n').pop() || `exit ${res.status}` }
    const rssKb = gnuTime ? Number((res.stderr.trim().split('\n').pop() || '').split(' ')[1]) : NaN
    if (!best || wall < best.wall) best = { wall, rssMb: rssKb / 1024, stdout: res.stdout }
  }
  return best
}

const truth = await build()
console.log(`\nInput: ${path.relative(root, file)} (${(statSync(file).size / 1e6).toFixed(0)} MB, ${truth.lines.toLocaleString('en-US')} Envoy-shaped JSON lines, ${truth.s5xx.toLocaleString('en-US')} × 5xx), best of ${RUNS}\n`)
const rows = []
const ours = measure(process.execPath, [cli, 'analyze', '--format', 'json', file])
if (ours.error) rows.push(['triage500 analyze (full parse, both cores)', NaN, NaN, ours.error])
else {
  const a = JSON.parse(ours.stdout)
  const got5xx = Object.entries(a.statusCounts).reduce((n, [s, c]) => (Number(s) >= 500 ? n + c : n), 0)
  const ok = a.requests === truth.lines && got5xx === truth.s5xx
  if (!ok) process.exitCode = 1
  rows.push(['triage500 analyze (full parse, both cores)', ours.wall, ours.rssMb, `${a.sources[0].format}, ${a.requests.toLocaleString('en-US')} requests, ${got5xx.toLocaleString('en-US')} × 5xx${ok ? '' : '  MISMATCH'}`])
}
if (spawnSync('sh', ['-c', 'command -v jq'], { encoding: 'utf8' }).stdout.trim()) {
  const jq = measure('sh', ['-c', `jq -c 'select(.response_code >= 500) | .response_code' '${file}' | wc -l`])
  rows.push(['jq (count 5xx only)', jq.wall ?? NaN, jq.rssMb ?? NaN, jq.error ?? `${jq.stdout.trim()} × 5xx`])
  if (!ours.error && !jq.error) console.log(`triage500 / jq = ${(ours.wall / jq.wall).toFixed(2)}`)
} else rows.push(['jq', NaN, NaN, 'not installed (apt-get install jq)'])
const fmt = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '—')
console.log(`${'tool'.padEnd(44)} ${'time s'.padStart(7)} ${'peak RSS MB'.padStart(12)}  notes`)
for (const [name, wall, rss, note] of rows) console.log(`${name.padEnd(44)} ${fmt(wall, 2).padStart(7)} ${fmt(rss, 0).padStart(12)}  ${note}`)
