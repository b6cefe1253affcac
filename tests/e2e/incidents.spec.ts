import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { startServe, test, expect } from './serve-fixture'

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.b25jYWxsLXNlY3JldA.k3Jq9sXw0ZpTAb'
const TITLE = 'Checkout answering 500 after 2.15.0'
const NOTE = `Reproduced with curl -H "Authorization: Bearer ${TOKEN}" against the canary`
const DECISION = 'Rolled back checkout to 2.14.3 at 14:20'
const LINES = 600

/** Ten minutes of nginx combined lines, a 500 now and then, ending now. */
function accessLog(now: number): string {
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const p = (n: number) => String(n).padStart(2, '0')
  let out = ''
  for (let i = 0; i < LINES; i++) {
    const d = new Date(now - (LINES - i) * 1000)
    const stamp = `${p(d.getUTCDate())}/${month[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
    const status = i % 40 === 3 ? 500 : 200
    out += `10.1.0.${i % 250} - - [${stamp}] "GET /api/checkout/${1000 + (i % 53)} HTTP/1.1" ${status} ${status === 500 ? 173 : 1840} "-" "shop-web/4.2"\n`
  }
  return out
}

const sourceRow = (page: Page) => page.getByTestId('source').filter({ hasText: 'checkout-access.log' })

test('an incident survives a restart of the host, and its report exports redacted', async ({ page }) => {
  test.setTimeout(120_000)
  const home = await mkdtemp(path.join(os.tmpdir(), 'triage500-e2e-home-'))
  const logs = await mkdtemp(path.join(os.tmpdir(), 'triage500-e2e-logs-'))
  const log = path.join(logs, 'checkout-access.log')
  await writeFile(log, accessLog(Date.now()))
  let host = await startServe({ home })
  try {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.goto(host.url)
    await page.getByLabel('Log file path').fill(log)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(sourceRow(page).getByTestId('source-lines')).toHaveText(`${LINES} lines`)

    await page.getByLabel('Incident note').fill(NOTE)
    await page.getByRole('button', { name: 'Add note' }).click()
    await expect(page.getByRole('list', { name: 'Decisions and notes' })).toContainText(TOKEN)
    await page.getByLabel('Decision taken').fill(DECISION)
    await page.getByRole('button', { name: 'Record decision' }).click()
    await expect(page.getByRole('list', { name: 'Decisions and notes' })).toContainText(DECISION)

    await page.getByRole('heading', { level: 1 }).getByRole('button').click()
    const titleInput = page.getByRole('textbox', { name: 'Incident title' })
    await titleInput.fill(TITLE)
    await titleInput.press('Enter')
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^${TITLE}`))

    // The host goes away (a restart of the machine, of the app); a new one starts on the same data.
    await host.stop()
    host = await startServe({ home })
    await page.goto(host.url)
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(new RegExp(`^${TITLE}`))
    const journal = page.getByRole('list', { name: 'Decisions and notes' })
    await expect(journal).toContainText(NOTE)
    await expect(journal).toContainText(DECISION)
    await expect(sourceRow(page).getByTestId('source-lines')).toHaveText(`${LINES} lines`)
    await expect(page.getByTestId('incident-problems')).toHaveCount(0)

    await page.getByRole('button', { name: 'Export report…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Export the incident report' })
    await expect(dialog.getByRole('radio', { name: /Markdown/ })).toBeChecked()
    await expect(dialog.getByRole('checkbox', { name: /Redact secrets/ })).toBeChecked()
    const downloading = page.waitForEvent('download')
    await dialog.getByRole('button', { name: 'Export' }).click()
    const download = await downloading
    expect(download.suggestedFilename()).toMatch(/^\d{4}-\d\d-\d\d-checkout-answering-500-after-2-15-0-report\.md$/)
    const markdown = await readFile(await download.path(), 'utf8')
    expect(markdown).toContain(`# ${TITLE}`)
    for (const section of ['Summary', 'Timeline', 'Verdict and reasons', 'Error groups', 'Actions and notes', 'Sources']) expect(markdown).toContain(`## ${section}`)
    expect(markdown).toContain(DECISION)
    expect(markdown).toContain(log)
    expect(markdown).toContain('REDACTED')
    expect(markdown).not.toContain(TOKEN)
    await expect(dialog.getByTestId('export-result')).toHaveText(`Downloaded ${download.suggestedFilename()}`)

    // PDF in browser mode: the report is printed from a hidden frame, rendered for real.
    await dialog.getByRole('radio', { name: /PDF/ }).click()
    await dialog.getByRole('button', { name: 'Export' }).click()
    await expect(dialog.getByTestId('export-result')).toContainText('choose “Save as PDF”')
    const printed = page.frameLocator('iframe[data-report-print]')
    await expect(printed.getByRole('heading', { level: 1 })).toHaveText(TITLE)
    await expect(printed.getByRole('heading', { level: 2, name: 'Actions and notes', exact: true })).toBeAttached()
    expect(await page.locator('iframe[data-report-print]').getAttribute('srcdoc')).not.toContain(TOKEN)
  } finally {
    await host.stop()
    await rm(home, { recursive: true, force: true })
    await rm(logs, { recursive: true, force: true })
  }
})

test('incidents: a new one, the list, reopening the first and deleting the other', async ({ page, app }) => {
  await page.goto(app.url)
  const title = page.getByRole('heading', { level: 1 })
  const notes = page.getByRole('list', { name: 'Decisions and notes' })
  await expect(title.getByRole('button')).toBeEnabled()
  await title.getByRole('button').click()
  await page.getByRole('textbox', { name: 'Incident title' }).fill('First outage')
  await page.getByRole('textbox', { name: 'Incident title' }).press('Enter')
  await expect(title).toHaveText(/^First outage/)
  await page.getByLabel('Incident note').fill('only in the first')
  await page.getByRole('button', { name: 'Add note' }).click()
  await expect(notes).toContainText('only in the first')

  await page.getByRole('button', { name: 'New incident' }).click()
  await expect(title).toHaveText(/^Untitled incident/)
  await expect(notes).toHaveCount(0)

  await page.getByRole('button', { name: 'Incidents…' }).click()
  const dialog = page.getByRole('dialog', { name: 'Incidents' })
  await expect(dialog.getByTestId('incident-item')).toHaveCount(2)
  await dialog.getByRole('button', { name: 'Open “First outage”' }).click()
  await expect(dialog).toBeHidden()
  await expect(title).toHaveText(/^First outage/)
  await expect(notes).toContainText('only in the first')

  await page.getByRole('button', { name: 'Incidents…' }).click()
  await dialog.getByRole('button', { name: 'Delete “First outage”' }).click()
  await expect(dialog.getByRole('alert')).toContainText('cannot be deleted')
  await dialog.getByRole('button', { name: 'Delete “Untitled incident”' }).click()
  await dialog.getByRole('button', { name: 'Delete for good' }).click()
  await expect(dialog.getByTestId('incident-item')).toHaveCount(1)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  await page.getByRole('button', { name: 'Close incident' }).click()
  await expect(page.getByTestId('incident-closed')).toContainText('closed at')
})
