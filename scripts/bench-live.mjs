#!/usr/bin/env node
// npm run bench:live: line → snapshot latency of a followed log, as issue #15 asks for it.
//   - history: an nginx access log (~3.3 requests/s spread over 1 h, 1 d or 7 d: ≈ 2M requests
//     at 7 d, 0.1% 5xx) and a Spring Boot app log (an INFO line every 10 s, an ERROR now and then)
//   - the host: the built `triage500 serve` (out/main/cli.js), following both files as sources,
//     with scripts/bench-loop-probe.mjs loaded (perf_hooks event-loop delay, no inspector)
//   - a writer appends access lines at 200, 2,000 or 10,000 lines/s (every 50 ms, 10% of them
//     5xx) plus an app line per 20 access lines (an ERROR with a stack for every 5xx batch)
//   - a client on the real WebSocket API pulls the analysis on every "analysis" notification;
//     per appended 5xx line, the time until a snapshot counts it: p50 / p95 / max, and the
//     host's event-loop delay p99, CPU (% of one core) and RSS
//   - the floor: `tail -F` piped to this process, on the same file: when each 5xx line arrives
// Usage: npm run bench:live [-- --cells 2000x7d,200x1h] [--seconds 15]   (default: all 9 cells)
//        npm run bench:live -- --throughput [--rate MB/s]   (issue #18: 50 MB/s ingestion)
// Targets: p95 ≤ 1 s and p50 ≤ 300 ms at 2,000 lines/s with 7 d; loop delay p99 ≤ 50 ms; RSS flat
// in history beyond the per-second buckets; 10,000 lines/s does not fall behind without bound.
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { connectSession as connect } from './session-client.mjs'

if (process.argv.includes('--throughput')) {
  await import('./bench-live-throughput.mjs')
} else {
  await main()
}

async function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const benchDir = path.join(root, '.bench', 'live')
  const cli = path.join(root, 'out', 'main', 'cli.js')
  const probe = path.join(root, 'scripts', 'bench-loop-probe.mjs')
  const argOf = (name, dflt) => {
    const i = process.argv.indexOf(`--${name}`)
    return i > 0 ? process.argv[i + 1] : dflt
  }
  const SECONDS = Number(argOf('seconds', 15))
  const HISTORY = { '1h': 3600, '1d': 86_400, '7d': 7 * 86_400 }
  const cells = argOf('cells', '200x1h,2000x1h,10000x1h,200x1d,2000x1d,10000x1d,200x7d,2000x7d,10000x7d')
    .split(',')
    .map((c) => {
      const [rate, hist] = c.split('x')
      if (!(hist in HISTORY) || !(Number(rate) > 0)) throw new Error(`bench-live: bad cell ${c} (e.g. 2000x7d)`)
      return { rate: Number(rate), hist }
    })

  if (!existsSync(cli) || !existsSync(path.join(root, 'out', 'renderer'))) {
    console.log('bench-live: building first (npm run build)…')
    if (spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1)
  }
  mkdirSync(benchDir, { recursive: true })
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
  const pct = (xs, p) => {
    if (xs.length === 0) return NaN
    const s = [...xs].sort((a, b) => a - b)
    return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]
  }

  // Log lines in the shapes nginx and Spring Boot write.
  const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const p2 = (n) => String(n).padStart(2, '0')
  const p3 = (n) => String(n).padStart(3, '0')
  const clf = (ms) => {
    const d = new Date(ms)
    return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
  }
  const iso = (ms) => {
    const d = new Date(ms)
    return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${p3(d.getUTCMilliseconds())}`
  }
  const ROUTES = ['/api/orders/1042', '/api/cart', '/static/js/app.3f9c1.js', '/api/users/77/profile', '/healthz', '/api/search?q=shoes', '/api/orders/1043/items']
  const AGENTS = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36', 'okhttp/4.12.0', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)']
  let n = 0
  const access = (ms, status) => {
    n++
    const route = ROUTES[n % ROUTES.length]
    const method = n % 11 === 0 ? 'POST' : 'GET'
    return `10.2.${n % 200}.${(n >> 8) % 250} - - [${clf(ms)}] "${method} ${route} HTTP/1.1" ${status} ${status >= 500 ? 157 : 312 + (n % 4000)} "-" "${AGENTS[n % AGENTS.length]}" ${(0.002 + (n % 90) / 1000).toFixed(3)}\n`
  }
  const appInfo = (ms) => `${iso(ms)}  INFO 2114 --- [nio-8080-exec-${(n % 10) + 1}] c.e.shop.orders.OrderController         : order lookup served in ${n % 40} ms\n`
  const appError = (ms) =>
    `${iso(ms)} ERROR 2114 --- [nio-8080-exec-${(n % 10) + 1}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception\n` +
    'org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection\n' +
    '\tat org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException(HibernateJpaDialect.java:277) ~[spring-orm-5.3.23.jar:5.3.23]\n' +
    '\tat com.example.shop.orders.OrderService.find(OrderService.java:88) ~[classes/:na]\n'

  /** History files for a span, generated once and copied per cell (a few requests/s over the span, ending a minute ago). */
  function history(hist) {
    const accessFile = path.join(benchDir, `history-${hist}-access.log`)
    const appFile = path.join(benchDir, `history-${hist}-app.log`)
    const metaFile = path.join(benchDir, `history-${hist}.json`)
    if (existsSync(metaFile)) return { accessFile, appFile, ...JSON.parse(readFileSync(metaFile, 'utf8')) }
    const end = Date.now() - 60_000
    const start = end - HISTORY[hist] * 1000
    let requests = 0
    let s5xx = 0
    const fa = openSync(accessFile, 'w')
    const fp = openSync(appFile, 'w')
    let buf = []
    let app = []
    for (let t = start; t < end; t += 300) {
      const status = requests % 997 === 0 ? 500 : requests % 13 === 0 ? 404 : 200
      requests++
      if (status >= 500) s5xx++
      buf.push(access(t, status))
      if (requests % 33 === 0) app.push(status >= 500 || requests % 3331 === 0 ? appError(t) : appInfo(t))
      if (buf.length >= 50_000) {
        writeSync(fa, buf.join(''))
        writeSync(fp, app.join(''))
        buf = []
        app = []
      }
    }
    writeSync(fa, buf.join(''))
    writeSync(fp, app.join(''))
    closeSync(fa)
    closeSync(fp)
    const meta = { requests, s5xx }
    writeFileSync(metaFile, JSON.stringify(meta))
    return { accessFile, appFile, ...meta }
  }

  /** CPU seconds (user + system, all threads) of a process so far (Linux /proc). */
  function cpuOf(pid) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
      return (Number(f[11]) + Number(f[12])) / 100
    } catch {
      return NaN
    }
  }
  function rssOf(pid) {
    try {
      return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024
    } catch {
      return NaN
    }
  }
  const fivexx = (analysis) => {
    const c = analysis?.v1?.statusCounts ?? {}
    let s = 0
    for (const [k, v] of Object.entries(c)) if (Number(k) >= 500 && Number(k) < 600) s += v
    return s
  }

  async function runCell({ rate, hist }) {
    const h = history(hist)
    const dir = path.join(benchDir, `cell-${rate}-${hist}`)
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const accessFile = path.join(dir, 'access.log')
    const appFile = path.join(dir, 'app.log')
    copyFileSync(h.accessFile, accessFile)
    copyFileSync(h.appFile, appFile)
    const loopFile = path.join(dir, 'loop.json')
    const host = spawn(process.execPath, ['--import', pathToFileURL(probe).href, cli, 'serve', '--no-open'], {
      env: { ...process.env, TRIAGE500_HOME: path.join(dir, 'home'), TRIAGE500_LOOP_PROBE: loopFile },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stderr = ''
    host.stderr.on('data', (d) => (stderr += d))
    const [, port, token] = await new Promise((resolve, reject) => {
      let out = ''
      host.stdout.on('data', (d) => {
        out += d
        const m = /http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(out)
        if (m) resolve(m)
      })
      host.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr.trim()}`)))
    })
    // Every snapshot the client pulls: when it arrived and how many 5xx it counts.
    const seen = []
    let pulling = false
    let again = false
    let session = null
    const pull = async () => {
      if (pulling) return void (again = true)
      pulling = true
      do {
        again = false
        const a = await session.call('getAnalysis')
        seen.push({ at: performance.now(), s5xx: fivexx(a) })
      } while (again)
      pulling = false
    }
    session = await connect(port, token, (event, payload) => {
      if (event === 'session.changed' && payload.topics.includes('analysis')) void pull()
    })
    const loadStart = performance.now()
    try {
      await session.call('addSource', { path: accessFile })
      await session.call('addSource', { path: appFile })
      for (;;) {
        const cards = (await session.call('getSnapshot')).sources
        if (cards.every((s) => s.state === 'tailing') && fivexx(await session.call('getAnalysis')) >= h.s5xx) break
        if (performance.now() - loadStart > 300_000 || cards.some((s) => s.state === 'error'))
          throw new Error(`history not loaded: ${cards.map((s) => `${s.name} ${s.state} ${s.lines} lines ${s.error ?? ''}`).join('; ')}`)
        await sleep(500)
      }
      const loadS = (performance.now() - loadStart) / 1000
      const rssLoaded = rssOf(host.pid)
      // The floor: tail -F on the same file, read by this process.
      const floor = []
      const tail = spawn('tail', ['-F', '-n', '0', accessFile], { stdio: ['ignore', 'pipe', 'ignore'] })
      let rest = ''
      let floorSeen = 0
      tail.stdout.on('data', (d) => {
        const text = rest + d
        const lines = text.split('\n')
        rest = lines.pop()
        for (const l of lines) if (/" 5\d\d /.test(l)) floor.push({ at: performance.now(), k: ++floorSeen })
      })
      await sleep(500)
      // The writer: every 50 ms, rate/20 access lines (every 10th a 5xx) and an app line per 20.
      const written = [] // per 5xx line: when written, its index among appended 5xx
      let appended5xx = 0
      const fa = openSync(accessFile, 'a')
      const fp = openSync(appFile, 'a')
      const per = Math.max(1, Math.round(rate / 20))
      const baseline5xx = fivexx(await session.call('getAnalysis'))
      // The host's loop-delay measurement starts with the writer.
      process.kill(host.pid, 'SIGUSR2')
      const cpu0 = cpuOf(host.pid)
      const t0 = performance.now()
      let linesWritten = 0
      while (performance.now() - t0 < SECONDS * 1000) {
        const tick = performance.now()
        const now = Date.now()
        let a = ''
        let p = ''
        const at = performance.now()
        for (let i = 0; i < per; i++) {
          const bad = i % 10 === 5
          a += access(now, bad ? (i % 30 === 5 ? 502 : 500) : 200)
          if (bad) written.push({ at, k: ++appended5xx })
          if (i % 20 === 0) p += bad ? appError(now) : appInfo(now)
        }
        writeSync(fa, a)
        writeSync(fp, p)
        linesWritten += per
        await sleep(Math.max(0, 50 - (performance.now() - tick)))
      }
      const writeS = (performance.now() - t0) / 1000
      closeSync(fa)
      closeSync(fp)
      // Catch-up: every appended 5xx counted, within 30 s.
      const caughtFrom = performance.now()
      while (performance.now() - caughtFrom < 30_000 && (seen.length === 0 || seen[seen.length - 1].s5xx < baseline5xx + appended5xx)) await sleep(100)
      const caughtS = (performance.now() - caughtFrom) / 1000
      const cpu = (cpuOf(host.pid) - cpu0) / ((performance.now() - t0) / 1000)
      let loop = null
      for (let i = 0; i < 5 && loop === null; i++) {
        try {
          loop = JSON.parse(readFileSync(loopFile, 'utf8'))
        } catch {
          await sleep(100)
        }
      }
      tail.kill('SIGTERM')
      const latency = (events, count) =>
        written.map((w) => {
          const s = events.find((x) => x.at >= w.at && count(x) >= w.k)
          return s ? s.at - w.at : Infinity
        })
      const lat = latency(seen, (x) => x.s5xx - baseline5xx)
      const floorLat = latency(floor, (x) => x.k)
      return {
        rate,
        hist,
        requests: h.requests,
        loadS,
        achieved: linesWritten / writeS,
        n5xx: appended5xx,
        p50: pct(lat, 50),
        p95: pct(lat, 95),
        max: Math.max(...lat),
        floorP50: pct(floorLat, 50),
        floorP95: pct(floorLat, 95),
        loopP99: loop?.p99 ?? NaN,
        loopMax: loop?.max ?? NaN,
        cpu,
        rssLoaded,
        rssEnd: rssOf(host.pid),
        caughtS,
        snapshots: seen.length
      }
    } finally {
      session.close()
      host.kill('SIGTERM')
      await new Promise((r) => (host.exitCode !== null ? r() : host.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    }
  }

  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : x === Infinity ? 'never' : '—')
  console.log(`\nLive line → snapshot: nginx access + Spring Boot app log followed by \`triage500 serve\`, ${SECONDS} s per cell (${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(1)})\n`)
  const head = ['lines/s', 'history', 'requests', 'load s', 'p50 ms', 'p95 ms', 'max ms', 'floor p50/p95', 'loop p99 ms', 'CPU %', 'RSS MB', 'catch-up s']
  console.log(head.map((x) => x.padStart(x === 'floor p50/p95' ? 14 : 10)).join(' '))
  const results = []
  for (const cell of cells) {
    let r
    try {
      r = await runCell(cell)
    } catch (err) {
      console.log(`${String(cell.rate).padStart(10)} ${cell.hist.padStart(10)}  failed: ${err instanceof Error ? err.message : String(err)}`)
      process.exitCode = 1
      continue
    }
    results.push(r)
    const row = [
      `${r.rate} (${f(r.achieved)})`,
      r.hist,
      r.requests.toLocaleString('en-US'),
      f(r.loadS, 1),
      f(r.p50),
      f(r.p95),
      f(r.max),
      `${f(r.floorP50)}/${f(r.floorP95)}`,
      f(r.loopP99, 1),
      f(r.cpu * 100),
      `${f(r.rssLoaded)}→${f(r.rssEnd)}`,
      f(r.caughtS, 1)
    ]
    console.log(row.map((x, i) => String(x).padStart(i === 7 ? 14 : 10)).join(' '))
  }
  const key = results.find((r) => r.rate === 2000 && r.hist === '7d')
  if (key) {
    const ok = key.p95 <= 1000 && key.p50 <= 300 && key.loopP99 <= 50
    console.log(`\n2,000 lines/s on 7 d: p50 ${f(key.p50)} ms (≤ 300), p95 ${f(key.p95)} ms (≤ 1000), loop p99 ${f(key.loopP99, 1)} ms (≤ 50): ${ok ? 'within the targets' : 'OUTSIDE the targets'}`)
    if (!ok) process.exitCode = 1
  }
  console.log('p50/p95/max: per appended 5xx line, until a pulled snapshot counts it; floor: tail -F on the same file; RSS: loaded → end of writing;')
  console.log('catch-up: after the writer stops, until a snapshot counts every appended 5xx (30 s cap).')
}
