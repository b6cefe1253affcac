#!/usr/bin/env node
// npm start: build, then open the desktop app; where Electron cannot run (its binary is missing
// and cannot be fetched, or there is no display), say so in one line and start browser mode,
// printing its URL, so `npm start` always reaches the app.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
const passthrough = process.argv.slice(2)

/** The electron package's binary, read from its path.txt as require('electron') would, without its side effects. */
function electronBinary() {
  const dir = path.join(root, 'node_modules', 'electron')
  const pathFile = path.join(dir, 'path.txt')
  if (!existsSync(pathFile)) return null
  const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? binary : null
}

/** Why Electron cannot open a window here, or null when it can. */
function whyNoElectron() {
  if (process.env.TRIAGE500_BROWSER === '1') return 'TRIAGE500_BROWSER=1'
  if (electronBinary() === null) {
    // The package fetches its binary on first use; try that once (a laptop with internet gets the app).
    const installer = path.join(root, 'node_modules', 'electron', 'install.js')
    if (existsSync(installer)) spawnSync(process.execPath, [installer], { stdio: 'ignore', timeout: 180_000 })
    if (electronBinary() === null) return "Electron's binary is missing and could not be downloaded"
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display (DISPLAY and WAYLAND_DISPLAY are unset)'
  return null
}

// Tests that already built set TRIAGE500_SKIP_BUILD=1 (npm test builds once for every suite).
if (process.env.TRIAGE500_SKIP_BUILD !== '1' || !existsSync(path.join(root, 'out', 'main', 'cli.js'))) {
  const build = spawnSync(npx, ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const why = whyNoElectron()
const child =
  why === null
    ? spawn(npx, ['electron-vite', 'preview', ...passthrough], { cwd: root, stdio: 'inherit' })
    : (console.log(`triage500: cannot open the desktop app (${why}); starting browser mode instead — open the URL below.`),
      spawn(process.execPath, [path.join(root, 'out', 'main', 'cli.js'), 'serve', ...passthrough], { cwd: root, stdio: 'inherit' }))
// The child owns the terminal: forward one stop signal and leave with its exit code.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
