import { mkdir } from 'node:fs/promises'
import { test, expect } from './serve-fixture'

test('the demo incident: one click, then the rollback verdict naming the new version', async ({ page, app }) => {
  // The demo deploys ~20 s in; errors follow ~2.5 s later and the verdict needs a little evidence after that.
  test.setTimeout(150_000)
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(app.url)

  const start = page.getByRole('button', { name: 'Try the demo incident' })
  await expect(start).toBeVisible()
  await start.click()

  const banner = page.getByTestId('demo-banner')
  await expect(banner).toContainText(/Demo running: a simulated shop-api; v2\.14\.0 is deployed at \d\d:\d\d:\d\d UTC and breaks GET \/api\/orders\/:id\/receipt/)
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Demo: shop-api answers 500 after a deploy')
  await expect(page.getByTestId('source').filter({ hasText: 'access.log' })).toBeVisible()

  const verdict = page.getByTestId('verdict')
  await expect(verdict.getByRole('heading', { name: 'Roll back the deploy' })).toBeVisible({ timeout: 90_000 })
  await expect(verdict).toContainText('v2.14.0', { timeout: 15_000 })
  await expect(page.getByRole('button', { name: /^Deploy v2\.14\.0 at .* \(suspect\)$/ })).toBeVisible()

  await mkdir('test-results', { recursive: true })
  await page.screenshot({ path: 'test-results/demo-1440.png' })

  await banner.getByRole('button', { name: 'Stop demo' }).click()
  await expect(banner).toBeHidden()
  // The incident keeps copies of the demo's logs (its evidence), read from the incident's folder.
  await expect(page.getByTestId('source')).toHaveCount(2)
  // The incident stays, with what was found: the verdict is journaled.
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Demo: shop-api answers 500 after a deploy')
})
