#!/usr/bin/env node
// node scripts/bench-impact.mjs [--events N] [--runs R] — what the impact aggregate costs at ingest:
// the same request events (nginx-shaped: 3% 5xx, POST re-sends, crawlers, 200k client addresses)
// folded by this tree's RequestAggregate beside the branch base's (no impact), each bundled with
// rolldown and run in its own node process. Prints events/s and the size of toData() side by side.
import { execSync, spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? Number(process.argv[i + 1]) : fallback
}
const EVENTS = arg('--events', 2_000_000)
const RUNS = arg('--runs', 3)
const dir = path.join(root, '.bench', 'impact')
const base = execSync('git merge-base HEAD main', { cwd: root }).toString().trim()
rmSync(dir, { recursive: true, force: true })
mkdirSync(path.join(dir, 'peer'), { recursive: true })
execSync(`git archive ${base} shared | tar -x -C ${JSON.stringify(path.join(dir, 'peer'))}`, { cwd: root })

const entry = (aggregatePath) => `
import { RequestAggregate } from ${JSON.stringify(aggregatePath)}
const N = ${EVENTS}
let seed = 7
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
const people = ['Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', 'Mozilla/5.0 (iPhone) Safari/604.1', 'okhttp/4.12.0']
const crawlers = ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'Mozilla/5.0 (compatible; bingbot/2.0)']
// About 5% of requests are crawlers, from a few hundred addresses (half of them in Google's range).
const agentOf = () => (rnd() < 0.05 ? crawlers[Math.floor(rnd() * 2)] : people[Math.floor(rnd() * 3)])
const t0 = Date.UTC(2026, 2, 14, 13, 0)
const events = new Array(N)
for (let i = 0; i < N; i++) {
  const r = rnd()
  const post = rnd() < 0.1
  const status = r < 0.03 ? 502 : r < 0.08 ? 404 : 200
  const path = post ? '/api/checkout' : '/products/' + Math.floor(rnd() * 50000)
  events[i] = { kind: 'request', line: i + 1, lines: 1, offset: 0, time: t0 + i * 5, method: post ? 'POST' : 'GET', path, route: post ? path : '/products/:id',
    status, bytes: 512, durationMs: 30, requestId: null, client: null, userAgent: agentOf(), upstreamStatus: null, instance: null }
  events[i].client = events[i].userAgent.includes('compatible')
    ? (rnd() < 0.5 ? '66.249.' + (64 + Math.floor(rnd() * 8)) : '45.134.' + Math.floor(rnd() * 4)) + '.' + Math.floor(rnd() * 40)
    : '10.' + Math.floor(rnd() * 4) + '.' + Math.floor(rnd() * 256) + '.' + Math.floor(rnd() * 200)
}
globalThis.gc?.()
const started = performance.now()
const agg = new RequestAggregate()
for (let i = 0; i < N; i++) agg.addRequest(events[i])
const data = agg.toData()
const ms = performance.now() - started
const dataBytes = JSON.stringify(data).length
console.log(JSON.stringify({ ms, dataMb: dataBytes / 1e6, impact: data.impact ? { retried: data.impact.retriedNonIdempotent, crawlers: data.impact.crawlers.length } : null }))
`
const bundles = {}
for (const [name, aggregate] of [['this', path.join(root, 'shared/analysis/aggregate.ts')], ['peer', path.join(dir, 'peer/shared/analysis/aggregate.ts')]]) {
  const src = path.join(dir, `${name}-entry.ts`)
  writeFileSync(src, entry(aggregate.replace(/\.ts$/, '')))
  const out = path.join(dir, `${name}.mjs`)
  const built = spawnSync('npx', ['rolldown', src, '--file', out, '--platform', 'node', '--format', 'esm'], { cwd: root, encoding: 'utf8' })
  if (built.status !== 0) throw new Error(built.stderr)
  bundles[name] = out
}
const best = {}
for (let run = 0; run < RUNS; run++) {
  for (const name of ['peer', 'this']) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', bundles[name]], { encoding: 'utf8' })
    if (r.status !== 0) throw new Error(r.stderr)
    const result = JSON.parse(r.stdout)
    if (!best[name] || result.ms < best[name].ms) best[name] = result
  }
}
const row = (label, r) => `${label.padEnd(34)} ${(EVENTS / (r.ms / 1000) / 1e6).toFixed(2).padStart(8)} M events/s ${r.ms.toFixed(0).padStart(7)} ms ${r.dataMb.toFixed(2).padStart(7)} MB as plain data`
console.log(`${EVENTS.toLocaleString('en-US')} request events, best of ${RUNS} (base ${base.slice(0, 10)})`)
console.log(row('RequestAggregate, base (no impact)', best.peer))
console.log(row('RequestAggregate + impact (this)', best.this))
console.log(`impact: ${JSON.stringify(best.this.impact)}`)
