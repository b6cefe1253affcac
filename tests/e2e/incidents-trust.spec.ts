import { mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { test, expect } from './serve-fixture'

const SHOTS = 'docs/screenshots'

/** WCAG contrast of each filled (primary/danger) button's text on its own background, from computed colours. */
async function buttonContrasts(page: Page): Promise<{ label: string; ratio: number }[]> {
  return page.evaluate(() => {
    const rgb = (css: string): [number, number, number, number] => {
      const m = /rgba?\(([^)]+)\)/.exec(css)
      const [r, g, b, a = '1'] = (m?.[1] ?? '0,0,0,0').split(/[ ,/]+/).filter(Boolean)
      return [Number(r), Number(g), Number(b), Number(a)]
    }
    const lum = ([r, g, b]: number[]) => {
      const lin = (c: number) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4)
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }
    return [...document.querySelectorAll('button')]
      .filter((b) => b.offsetParent !== null && !(b as HTMLButtonElement).disabled)
      .map((b) => ({ b, bg: rgb(getComputedStyle(b).backgroundColor), fg: rgb(getComputedStyle(b).color) }))
      .filter(({ bg }) => bg[3] === 1)
      .map(({ b, bg, fg }) => {
        const [l1, l2] = [lum(bg), lum(fg)].sort((x, y) => y - x)
        return { label: b.textContent?.trim() || b.getAttribute('aria-label') || '?', ratio: (l1 + 0.05) / (l2 + 0.05) }
      })
  })
}

test('first load in dark mode: no console errors, and primary buttons at >= 4.5:1', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'dark' })
  const errors: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(e.message))
  await page.goto(app.url)
  await expect(page.getByRole('button', { name: 'Try the demo incident' })).toBeVisible()
  const contrasts = await buttonContrasts(page)
  expect(contrasts.length).toBeGreaterThan(0)
  for (const c of contrasts) expect(c.ratio, `${c.label}: ${c.ratio.toFixed(2)}:1`).toBeGreaterThanOrEqual(4.5)
  expect(errors).toEqual([])
})

test('the demo keeps its evidence after Stop; its error group drawer fits 1280x720 without horizontal scroll', async ({ page, app }) => {
  test.setTimeout(180_000)
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(app.url)
  await page.getByRole('button', { name: 'Try the demo incident' }).click()
  const verdict = page.getByTestId('verdict')
  await expect(verdict.getByRole('heading', { name: 'Roll back the deploy' })).toBeVisible({ timeout: 120_000 })

  const groupButton = page.getByTestId('group-row').first().getByRole('button')
  await groupButton.click()
  const drawer = page.getByTestId('group-drawer')
  await expect(drawer).toBeVisible()
  await expect(drawer.getByRole('heading', { name: 'Versions live then' })).toBeVisible()
  await drawer.scrollIntoViewIfNeeded()
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
  expect(widths.scroll).toBeLessThanOrEqual(widths.client)
  await mkdir(SHOTS, { recursive: true })
  await drawer.screenshot({ path: path.join(SHOTS, 'group-drawer.png') })

  const banner = page.getByTestId('demo-banner')
  await banner.getByRole('button', { name: 'Stop demo' }).click()
  await expect(banner).toBeHidden()
  // The incident owns copies of the demo's logs: the verdict and the requests remain.
  await expect(page.getByTestId('source')).toHaveCount(2)
  await expect(verdict.getByRole('heading', { name: 'Roll back the deploy' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByTestId('timeline-summary')).toHaveText(/^[1-9][\d,]* requests, [1-9][\d,]* 5xx/)
  const kept = await readdir(path.join(app.home, 'incidents'), { recursive: true })
  expect(kept.filter((f) => f.includes(`evidence${path.sep}`)).sort()).toEqual(expect.arrayContaining([expect.stringMatching(/access\.log$/), expect.stringMatching(/shop-api\.log$/)]))

  await page.getByRole('button', { name: 'Incidents…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Incidents' })
  await expect(dialog.getByTestId('incident-verdict').first()).toBeVisible()
  await expect(dialog.getByTestId('incident-item').filter({ hasText: 'Demo:' }).getByTestId('incident-verdict')).toHaveText('Verdict: Roll back the deploy')
  await dialog.screenshot({ path: path.join(SHOTS, 'incidents-list.png') })
})

test('deleting an incident removes the files uploaded into it', async ({ page, app }) => {
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Runbook' })).toBeVisible()
  const line = (i: number) => `10.1.2.3 - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/cart/${i} HTTP/1.1" ${i % 7 === 0 ? 500 : 200} 512 "-" "okhttp/4.12.0"`
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer()
    dt.items.add(new File([text], 'uploaded.log', { type: 'text/plain' }))
    return dt
  }, Array.from({ length: 50 }, (_, i) => line(i)).join('\n') + '\n')
  const target = page.getByRole('heading', { name: 'Runbook' })
  await target.dispatchEvent('dragenter', { dataTransfer })
  await target.dispatchEvent('dragover', { dataTransfer })
  await target.dispatchEvent('drop', { dataTransfer })
  await expect(page.getByTestId('source').filter({ hasText: 'uploaded.log' }).getByTestId('source-lines')).toHaveText('50 lines')
  const uploads = path.join(app.home, 'uploads')
  expect(await readdir(uploads)).toHaveLength(1)

  await page.getByRole('button', { name: 'New incident' }).click()
  await expect(page.getByTestId('source')).toHaveCount(0)
  await page.getByRole('button', { name: 'Incidents…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Incidents' })
  const withUpload = dialog.getByTestId('incident-item').filter({ hasText: 'uploaded.log' })
  await withUpload.getByRole('button', { name: /^Delete/ }).click()
  await withUpload.getByRole('button', { name: 'Delete for good' }).click()
  await expect(dialog.getByTestId('incident-item')).toHaveCount(1)
  expect(await readdir(uploads)).toEqual([])
})

test('without its token the page shows no live-looking button; a narrow window (200% zoom) puts the verdict above Sources', async ({ page, app }) => {
  await page.goto(`${app.origin}/`)
  await expect(page.getByTestId('connection-notice')).toContainText('No access token')
  await expect(page.getByRole('button')).toHaveCount(0)

  // 1280 px at 200% zoom is 640 CSS px wide.
  // A fresh page: from `/` to `/#token=…` is only a fragment change, not a load.
  const narrow = await page.context().newPage()
  await narrow.setViewportSize({ width: 640, height: 720 })
  await narrow.goto(app.url)
  const verdict = narrow.getByTestId('verdict')
  const sources = narrow.getByRole('heading', { name: 'Sources' })
  await expect(verdict).toBeVisible()
  await expect(sources).toBeVisible()
  const [v, s] = [await verdict.boundingBox(), await sources.boundingBox()]
  expect(v && s && v.y < s.y).toBe(true)
})
