import { test, expect, _electron as electron } from '@playwright/test'
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../support/shared-data'

/** The electron package's binary path, or why there is none (its download is blocked on some machines). */
function electronBinary(): { path: string } | { reason: string } {
  try {
    const require = createRequire(import.meta.url)
    const bin = require('electron') as unknown as string
    if (typeof bin === 'string' && existsSync(bin)) return { path: bin }
    return { reason: `the electron package points at ${String(bin)}, which does not exist` }
  } catch (err) {
    return { reason: `no Electron binary on this machine (${err instanceof Error ? err.message.split('\n')[0] : String(err)})` }
  }
}

const found = electronBinary()
if ('reason' in found) console.log(`[electron.spec] skipped: ${found.reason}`)

test.describe('desktop app (Electron)', () => {
  test.skip('reason' in found, 'reason' in found ? found.reason : '')

  test('opens the window with the bridge, sandboxed, and lists nothing yet', async () => {
    const app = await electron.launch({
      executablePath: 'path' in found ? found.path : undefined,
      args: [path.join(repoRoot, 'out', 'main', 'index.js'), '--no-sandbox']
    })
    try {
      const win = await app.firstWindow()
      await expect(win.getByRole('heading', { name: 'Runbook' })).toBeVisible()
      const bridge = await win.evaluate(() => {
        const w = window as unknown as { triage?: Record<string, unknown>; require?: unknown; process?: unknown }
        return { keys: Object.keys(w.triage ?? {}).sort(), hasRequire: typeof w.require, hasProcess: typeof w.process }
      })
      expect(bridge.keys).toContain('addSource')
      expect(bridge.keys).not.toContain('invoke')
      expect(bridge.hasRequire).toBe('undefined')
      expect(bridge.hasProcess).toBe('undefined')
      const before = win.url()
      await win.evaluate(() => {
        window.location.href = 'https://example.com/'
      })
      await win.waitForTimeout(300)
      expect(win.url()).toBe(before)
    } finally {
      await app.close()
    }
  })
})
