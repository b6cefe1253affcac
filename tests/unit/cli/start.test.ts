import { describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from '../../support/shared-data'

const built = existsSync(path.join(repoRoot, 'out', 'main', 'cli.js'))
const electronCanRun = existsSync(path.join(repoRoot, 'node_modules', 'electron', 'path.txt')) && Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
const reason = !built ? 'out/main/cli.js missing (npm test builds first)' : electronCanRun ? 'Electron can run here: npm start opens the desktop app' : ''
if (reason) console.log(`[start.test] skipped: ${reason}`)

describe.skipIf(reason !== '')('npm start where Electron cannot run', () => {
  it('says why in one line, starts browser mode and prints a URL that serves the app', async () => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'triage500-start-'))
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'start.mjs'), '--no-open'], {
      cwd: repoRoot,
      env: { ...process.env, TRIAGE500_HOME: home, TRIAGE500_SKIP_BUILD: '1', DISPLAY: '', WAYLAND_DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      let out = ''
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString()
          const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(out)
          if (m) resolve(m[1])
        })
        child.on('exit', (code) => reject(new Error(`start exited ${code}: ${out}`)))
      })
      expect(out.split('\n')[0]).toMatch(/^triage500: cannot open the desktop app \(.+\); starting browser mode instead/)
      const page = await fetch(url.replace(/#.*$/, ''))
      expect(page.status).toBe(200)
      expect(await page.text()).toContain('<div id="root">')
    } finally {
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
      await rm(home, { recursive: true, force: true })
    }
  }, 60_000)
})
