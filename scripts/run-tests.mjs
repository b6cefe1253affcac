#!/usr/bin/env node
// npm test: build, then unit + component (vitest) and e2e (Playwright), then one summary line.
import { spawnSync } from 'node:child_process'
import { readFileSync, mkdirSync, rmSync } from 'node:fs'

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: false }).status ?? 1
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
mkdirSync('test-results', { recursive: true })
rmSync('test-results/vitest.json', { force: true })
rmSync('test-results/playwright.json', { force: true })

const steps = []
steps.push(['build', run(npx, ['electron-vite', 'build', '--logLevel', 'warn'])])
if (steps[0][1] !== 0) {
  console.error('build failed: no tests run')
  console.log('0 passed, 1 failed')
  process.exit(1)
}
steps.push(['vitest', run(npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json'])])
steps.push(['playwright', run(npx, ['playwright', 'test'])])

let passed = 0
let failed = 0
let skipped = 0
try {
  const v = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'))
  passed += v.numPassedTests
  failed += v.numFailedTests
  skipped += v.numPendingTests + (v.numTodoTests ?? 0)
} catch {
  failed++
  console.error('vitest wrote no results')
}
try {
  const p = JSON.parse(readFileSync('test-results/playwright.json', 'utf8'))
  passed += p.stats.expected + p.stats.flaky
  failed += p.stats.unexpected
  skipped += p.stats.skipped
} catch {
  failed++
  console.error('playwright wrote no results')
}
const bad = steps.filter(([, code]) => code !== 0).map(([name]) => name)
if (bad.length > 0 && failed === 0) failed = bad.length
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`)
process.exit(failed > 0 || bad.length > 0 ? 1 : 0)
