#!/usr/bin/env node
// npm run bench:live -- --throughput: a session following a log its writer fills at 50 MB/s, beside `tail -F | wc -c`.
//   - a writer process appends Elastic's real combined access log (line-aligned) at --rate MB/s
//     (default 50) for --seconds (default 20) to a file under .bench/
//   - the host is the built `triage500 serve` (out/main/cli.js), following that file as a source:
//     its peak RSS (VmHWM), how far behind the writer it is when the writer stops (bytes, and
//     seconds of writing) and how long it takes to catch up, and the event-loop delay seen from
//     outside as the latency of GET /api/ping every 50 ms (p50 / p99 / max)
//   - the floor: `tail -F` piped to `wc -c`, following the same writer, its peak RSS and whether
//     it has every byte within a second of the writer's end
// Targets (issue #18): peak RSS ≤ 400 MB, within 5 s of the writer at the end (or a visible
// "behind by N MB" with memory bounded), no request blocked more than 50 ms.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { connectSession as connect } from './session-client.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const sharedData = process.env.TRIAGE500_SHARED_DATA ?? path.resolve(root, '..', 'shared', 'data')
const sample = path.join(sharedData, 'nginx', 'elastic-examples_apache_access_combined_10k.log')
const benchDir = path.join(root, '.bench')
const cli = path.join(root, 'out', 'main', 'cli.js')
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? Number(process.argv[i + 1]) : dflt
}
const RATE_MB = arg('rate', 50)
const SECONDS = arg('seconds', 20)
const CATCH_UP_CAP_S = arg('catch-up-cap', 60)
const MB = 1e6

if (!existsSync(sample)) {
  console.error(`bench-live: ${sample} not found: the benchmark needs ../shared/data`)
  process.exit(2)
}
if (!existsSync(cli) || !existsSync(path.join(root, 'out', 'renderer'))) {
  console.log('bench-live: building first (npm run build)…')
  if (spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1)
}
mkdirSync(benchDir, { recursive: true })

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const lineCount = (buf) => {
  let n = 0
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) n++
  return n
}
/** Peak and current resident memory of a process, in MB (Linux /proc). */
function memOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN)
    return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 }
  } catch {
    return { peak: NaN, now: NaN }
  }
}
const pct = (xs, p) => {
  if (xs.length === 0) return NaN
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
}

/**
 * The writer, in its own process so it competes for the CPU like a real service: appends whole
 * lines of the sample at RATE_MB MB/s for SECONDS s, then prints the bytes and lines it wrote.
 */
const writerSource = `
const fs = require('node:fs')
const [file, sample, rateMb, seconds] = process.argv.slice(1)
const body = fs.readFileSync(sample)
const rate = Number(rateMb) * 1e6
const fd = fs.openSync(file, 'a')
const started = Date.now()
let written = 0, lines = 0, pos = 0
function tick() {
  const elapsed = (Date.now() - started) / 1000
  if (elapsed >= Number(seconds)) {
    fs.closeSync(fd)
    process.stdout.write(JSON.stringify({ written, lines, seconds: elapsed }) + '\\n')
    return
  }
  let want = Math.floor(rate * elapsed) - written
  while (want > 0) {
    let end = Math.min(body.length, pos + want)
    const nl = body.lastIndexOf(10, end - 1)
    end = nl >= pos ? nl + 1 : body.indexOf(10, pos) + 1
    const piece = body.subarray(pos, end)
    fs.writeSync(fd, piece)
    for (let i = piece.indexOf(10); i !== -1; i = piece.indexOf(10, i + 1)) lines++
    written += piece.length
    want -= piece.length
    pos = end >= body.length ? 0 : end
  }
  setTimeout(tick, 10)
}
tick()
`
function startWriter(file) {
  const child = spawn(process.execPath, ['-e', writerSource, file, sample, String(RATE_MB), String(SECONDS)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`writer exited with ${code}`))))
  })
}


async function benchSession(file, sampleBody) {
  const home = path.join(benchDir, 'live-home')
  rmSync(home, { recursive: true, force: true })
  const host = spawn(process.execPath, [...(process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean), cli, 'serve', '--no-open'], { env: { ...process.env, TRIAGE500_HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  host.stderr.on('data', (d) => (stderr += d))
  const url = await new Promise((resolve, reject) => {
    let out = ''
    host.stdout.on('data', (d) => {
      out += d
      const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(out)
      if (m) resolve(m)
    })
    host.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.trim()}`)))
  })
  const [, port, token] = url
  const session = await connect(port, token)
  try {
    const source = await session.call('addSource', { path: file })
    const card = async () => (await session.call('getSnapshot')).sources.find((s) => s.id === source.id)
    while ((await card()).state !== 'tailing') await sleep(100)
    const baseLines = (await card()).lines

    // Event-loop delay from outside: the latency of a trivial request, every 50 ms.
    const pings = []
    let pinging = true
    const pinger = (async () => {
      while (pinging) {
        const t = performance.now()
        await fetch(`http://127.0.0.1:${port}/api/ping`, { headers: { 'x-triage-token': token } })
        pings.push(performance.now() - t)
        await sleep(50)
      }
    })()
    let maxBehindShown = 0
    let polling = true
    const poller = (async () => {
      while (polling) {
        const c = await card()
        maxBehindShown = Math.max(maxBehindShown, c.behindBytes)
        await sleep(500)
      }
    })()

    // The same latency with nothing written: what the machine gives anyway (other load, the pinger itself).
    await sleep(3000)
    const idlePings = pings.splice(0)
    const wrote = await startWriter(file)
    const atEnd = await card()
    const pingsDuringWrite = [...pings]
    const linesBehind = baseLines + wrote.lines - atEnd.lines
    const bytesPerLine = sampleBody.length / lineCount(sampleBody)
    const behindBytes = Math.max(0, linesBehind * bytesPerLine)
    const memAtEnd = memOf(host.pid)

    const caughtStart = performance.now()
    let caughtUp = null
    let last = atEnd
    while ((performance.now() - caughtStart) / 1000 < CATCH_UP_CAP_S) {
      last = await card()
      if (last.lines >= baseLines + wrote.lines) {
        caughtUp = (performance.now() - caughtStart) / 1000
        break
      }
      await sleep(100)
    }
    pinging = false
    polling = false
    await Promise.all([pinger, poller])
    const mem = memOf(host.pid)
    return {
      wrote,
      rateMb: wrote.written / MB / wrote.seconds,
      peakRssMb: mem.peak,
      rssAtEndMb: memAtEnd.now,
      behindBytes,
      behindShownAtEnd: atEnd.behindBytes,
      maxBehindShown,
      behindSeconds: behindBytes / (wrote.written / wrote.seconds),
      caughtUp,
      remainingLines: baseLines + wrote.lines - last.lines,
      pings: pingsDuringWrite,
      idlePings,
      counts: { lines: last.lines, events: last.events, unparsed: last.unparsed }
    }
  } finally {
    session.close()
    host.kill('SIGTERM')
    await new Promise((r) => (host.exitCode !== null ? r() : host.once('exit', r)))
  }
}

async function benchTail(file) {
  const counted = path.join(benchDir, 'live-tail-count.txt')
  rmSync(counted, { force: true })
  // bash execs tail, so the child's pid is tail's; wc reads its output through a pipe.
  const tail = spawn('bash', ['-c', 'exec tail -F -c +1 "$0" 2>/dev/null > >(exec wc -c > "$1")', file, counted], { stdio: 'ignore' })
  await sleep(300)
  const wrote = await startWriter(file)
  await sleep(1000)
  const mem = memOf(tail.pid)
  tail.kill('SIGTERM')
  await new Promise((r) => tail.once('exit', r))
  let bytes = NaN
  for (let i = 0; i < 50 && !Number.isFinite(bytes); i++) {
    await sleep(100)
    if (existsSync(counted)) bytes = Number(readFileSync(counted, 'utf8').trim()) || NaN
  }
  return { wrote, rateMb: wrote.written / MB / wrote.seconds, peakRssMb: mem.peak, bytes, size: statSync(file).size }
}

const sampleBody = readFileSync(sample)
const cores = os.availableParallelism()
console.log(`\nLive follow: Elastic's real access log appended at ${RATE_MB} MB/s for ${SECONDS} s (${cores} cores, load ${os.loadavg()[0].toFixed(1)})\n`)

const liveFile = path.join(benchDir, 'live-access.log')
writeFileSync(liveFile, sampleBody)
const s = await benchSession(liveFile, sampleBody)
const tailFile = path.join(benchDir, 'live-tail.log')
writeFileSync(tailFile, '')
const t = await benchTail(tailFile)
rmSync(liveFile, { force: true })
rmSync(tailFile, { force: true })

const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '—')
const rows = [
  ['writer rate achieved (MB/s)', f(s.rateMb, 1), f(t.rateMb, 1), ''],
  ['peak RSS of the follower (MB)', f(s.peakRssMb), f(t.peakRssMb, 1), '≤ 400'],
  ['behind when the writer stops (MB)', f(s.behindBytes / MB, 1), f(Math.max(0, t.size - t.bytes) / MB, 1) + ' (1 s after)', ''],
  ['behind when the writer stops (s of writing)', f(s.behindSeconds, 1), '', '≤ 5'],
  ['"behind by" on the source card at the end (MB)', f(s.behindShownAtEnd / MB, 1), '', 'shown when behind'],
  ['largest "behind by" shown (MB)', f(s.maxBehindShown / MB, 1), '', ''],
  ['time to catch up after the writer stops (s)', s.caughtUp === null ? `> ${CATCH_UP_CAP_S} (${s.remainingLines} lines left)` : f(s.caughtUp, 1), '', ''],
  ['GET /api/ping latency p50 / p99 / max (ms)', `${f(pct(s.pings, 50), 1)} / ${f(pct(s.pings, 99), 1)} / ${f(Math.max(...s.pings), 1)}`, '', 'p99 ≤ 50'],
  ['  the same before the writer starts (ms)', `${f(pct(s.idlePings, 50), 1)} / ${f(pct(s.idlePings, 99), 1)} / ${f(Math.max(...s.idlePings), 1)}`, '', ''],
  ['  pings slower than 50 ms while written', `${s.pings.filter((x) => x > 50).length} of ${s.pings.length}`, '', '']
]
console.log(`${''.padEnd(48)} ${'triage500 serve'.padStart(22)} ${'tail -F | wc -c'.padStart(22)}  target`)
for (const [name, a, b, target] of rows) console.log(`${name.padEnd(48)} ${a.padStart(22)} ${b.padStart(22)}  ${target}`)
console.log(`\nsession read ${s.counts.lines.toLocaleString('en-US')} lines (${s.counts.events.toLocaleString('en-US')} events, ${s.counts.unparsed} unparsed); tail -F counted ${f(t.bytes / MB, 1)} of ${f(t.size / MB, 1)} MB`)
const ok = s.peakRssMb <= 400 && (s.behindSeconds <= 5 || s.maxBehindShown > 0) && pct(s.pings, 99) <= 50
console.log(ok ? 'within the targets' : 'OUTSIDE the targets')
if (!ok) process.exitCode = 1
