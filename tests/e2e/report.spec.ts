import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'
import { renderReport } from '../../shared/report'
import { realisticModel } from '../unit/report/incident-model'

let dir: string
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-report-'))
})
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const SECTIONS = ['Summary', 'Timeline', 'Verdict and reasons', 'Runbook', 'Error groups', 'Deploys', 'Dependencies', 'Replay', 'Actions and notes', 'Sources']

async function writeReport(name: string, html: string): Promise<string> {
  const file = path.join(dir, name)
  await writeFile(file, html)
  return pathToFileURL(file).href
}

test('the HTML report renders from a file on its own: sections, chart, no network', async ({ page }) => {
  const url = await writeReport('report.html', renderReport(realisticModel(), 'html', { redact: true }))
  const requests: string[] = []
  page.on('request', (r) => requests.push(r.url()))
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(url)

  await expect(page.getByRole('heading', { level: 1, name: 'Checkout answering 500 after 2.15.0' })).toBeVisible()
  for (const name of SECTIONS) await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible()
  const chart = page.locator('svg.chart')
  await expect(chart).toBeVisible()
  const box = await chart.boundingBox()
  expect(box?.width).toBeGreaterThan(900)
  expect(box?.height).toBeGreaterThan(150)
  await expect(chart.locator('g.deploy')).toHaveCount(3)
  await expect(chart.locator('text', { hasText: '2.15.0' })).toBeVisible()
  await expect(page.locator('#groups pre').first()).toContainText('Caused by: java.lang.IllegalStateException')
  await expect(page.locator('.verdict')).toContainText('rollback — Roll back the deploy')

  // Nothing but the page itself was requested: no fonts, images, styles or scripts from anywhere.
  expect(requests).toEqual([url])
  await mkdir('test-results', { recursive: true })
  await page.screenshot({ path: 'test-results/report-1440.png', fullPage: true })
})

test('the unredacted report shows its warning banner; print layout keeps the sections', async ({ page }) => {
  const url = await writeReport('unredacted.html', renderReport(realisticModel({ plant: true }), 'html', { redact: false }))
  await page.goto(url)
  await expect(page.getByRole('alert')).toContainText('Contains unredacted secrets — internal use only')
  // Long unbroken values (tokens, paths) wrap inside their cells instead of widening the page.
  const overflowing = await page.evaluate(() => {
    const right = document.querySelector('main')?.getBoundingClientRect().right ?? 0
    return [...document.querySelectorAll('table')].filter((t) => t.getBoundingClientRect().right > right + 1).length
  })
  expect(overflowing).toBe(0)
  await page.emulateMedia({ media: 'print' })
  for (const name of SECTIONS) await expect(page.getByRole('heading', { level: 2, name, exact: true })).toBeVisible()
  const pdf = await page.pdf({ format: 'A4', printBackground: true })
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
  expect(pdf.length).toBeGreaterThan(20_000)
})
