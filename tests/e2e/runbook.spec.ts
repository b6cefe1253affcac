import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { appendFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { repoRoot } from '../support/shared-data'
import { test, expect } from './serve-fixture'

/** An nginx combined-log line stamped at `t` (epoch ms, UTC). */
function accessLine(t: number, method: string, url: string, status: number): string {
  const d = new Date(t)
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()]
  const p = (n: number) => String(n).padStart(2, '0')
  const stamp = `${p(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  return `10.0.${(t >> 8) & 255}.${t & 255} - - [${stamp}] "${method} ${url} HTTP/1.1" ${status} ${status >= 500 ? 173 : 2048} "-" "Mozilla/5.0 (shop-web)"\n`
}

/** A deploy endpoint in the Dockerflow shape whose live version the test changes. */
async function startVersionServer(): Promise<{ url: string; deploy(version: string): void; close(): Promise<void> }> {
  let live = { version: 'v2.13.2', commit: '9f1c2ab77e0d4c1b8a3f5e6d7c8b9a0f1e2d3c4b' }
  const server = http.createServer((req, res) => {
    if (req.url !== '/__version__') {
      res.writeHead(404).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ...live, source: 'https://github.com/example/shop', build: 'https://ci.example.com/shop/builds/812' }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/__version__`,
    deploy: (version) => {
      live = { version, commit: '4be77d0c1a2b3c4d5e6f708192a3b4c5d6e7f809' }
    },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

let dir: string
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-runbook-'))
})
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

test('a deploy that breaks the service leads to a filled rollback runbook', async ({ page, app, context }) => {
  test.setTimeout(180_000)
  const versions = await startVersionServer()
  try {
    // Twenty quiet minutes of traffic up to now: a 500 now and then.
    const log = path.join(dir, 'access.log')
    const now = Date.now()
    let history = ''
    for (let t = now - 20 * 60_000, i = 0; t < now - 2000; t += 2000, i++) history += accessLine(t, 'GET', `/api/orders/${1000 + (i % 97)}`, i % 150 === 7 ? 500 : 200)
    await writeFile(log, history)

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin })
    await page.setViewportSize({ width: 1440, height: 900 })
    await page.goto(app.url)
    await page.getByLabel('Log file path').fill(log)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(page.getByTestId('source').filter({ hasText: 'access.log' }).getByTestId('source-lines')).toHaveText(/lines$/)

    await page.getByLabel('Endpoint kind').selectOption('deploy')
    await page.getByLabel('Endpoint name').fill('shop')
    await page.getByLabel('Endpoint URL').fill(versions.url)
    await page.getByRole('button', { name: 'Poll' }).click()
    const deployState = page.getByTestId('target').filter({ hasText: 'shop' }).getByTestId('target-state')
    await expect(deployState).toContainText('live: v2.13.2')

    // The deploy goes out; the poller sees it on its next round (15 s by default).
    versions.deploy('v2.14.0')
    await expect(deployState).toContainText('live: v2.14.0', { timeout: 40_000 })

    // The service now fails half its requests; the test keeps appending live traffic until the verdict turns.
    const verdict = page.getByTestId('verdict').getByRole('heading', { name: 'Roll back the deploy' })
    const deadline = Date.now() + 60_000
    for (let batch = 0; !(await verdict.isVisible()); batch++) {
      if (Date.now() > deadline) throw new Error(`no rollback verdict after ${batch} batches; banner: ${await page.getByTestId('verdict').innerText()}`)
      let lines = ''
      const t = Date.now()
      for (let i = 0; i < 20; i++) lines += accessLine(t, 'GET', `/api/orders/${2000 + batch * 20 + i}`, i % 2 === 0 ? 500 : 200)
      await appendFile(log, lines)
      await verdict.waitFor({ timeout: 1000 }).catch(() => undefined)
    }

    // The runbook is filled from the evidence: the suspect version and its before/after 5xx rates.
    const correlation = page.getByTestId('step-deploy-correlation')
    await expect(correlation).toContainText('v2.14.0 went live at')
    await expect(correlation).toContainText(/5xx rate before: [\d.]+% → after: [\d.]+%/)
    await expect(correlation.getByTestId('step-status')).toHaveText('checked by the evidence')
    await expect(page.getByRole('button', { name: /^Deploy v2\.14\.0 at .* \(suspect\)$/ })).toBeVisible()

    // The replay command is copied as shown.
    const replay = page.getByTestId('step-replay')
    const command = (await replay.getByTestId('replay-command').innerText()).trim()
    expect(command).toMatch(/^curl .*\/api\/orders\/\d+/)
    await replay.getByRole('button', { name: 'Copy the replay command' }).click()
    await expect(replay.getByRole('button', { name: 'Copy the replay command' })).toHaveText('Copied')
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command)

    const drawMs = await page.getByTestId('timeline-canvas').getAttribute('data-draw-ms')
    console.info(`timeline draw in Chromium: ${drawMs} ms`)

    const shots = path.join(repoRoot, 'test-results')
    await mkdir(shots, { recursive: true })
    // The main screen as the engineer first sees it: from the top.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(shots, 'runbook-1440.png') })
    await page.setViewportSize({ width: 1280, height: 720 })
    await expect(verdict).toBeVisible()
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: path.join(shots, 'runbook-1280.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: path.join(shots, 'runbook-1280-dark.png') })
  } finally {
    await versions.close()
  }
})
