// Loaded into the benchmark's host with `node --import` (never into the product): the host's own
// main thread's event-loop delay, from perf_hooks, written to $TRIAGE500_LOOP_PROBE every 250 ms; SIGUSR2
// starts a new measurement (the benchmark sends it when its writer starts).
import { renameSync, writeFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { isMainThread } from 'node:worker_threads'

const out = process.env.TRIAGE500_LOOP_PROBE
// `--import` runs in every worker thread too: only the main thread's loop is the host's.
if (out && isMainThread) {
  const h = monitorEventLoopDelay({ resolution: 10 })
  h.enable()
  process.on('SIGUSR2', () => h.reset())
  const ms = (ns) => ns / 1e6
  setInterval(() => {
    // Whole or not at all: the benchmark may read it at any moment.
    writeFileSync(`${out}.tmp`, JSON.stringify({ p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max), count: h.count }))
    renameSync(`${out}.tmp`, out)
  }, 250).unref()
}
