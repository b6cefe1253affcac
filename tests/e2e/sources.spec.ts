import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './serve-fixture'

let dir: string
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-logs-'))
})
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function writeLog(name: string, lines: number): Promise<string> {
  const file = path.join(dir, name)
  const body = Array.from({ length: lines }, (_, i) => `127.0.0.1 - - [10/Oct/2026:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /api/items/${i} HTTP/1.1" 200 ${100 + i} "-" "curl/8"`).join('\n')
  await writeFile(file, `${body}\n`)
  return file
}

test('adds a log file by its path and lists its size and line count', async ({ page, app }) => {
  const file = await writeLog('by-path.log', 1234)
  await page.goto(app.url)
  await page.getByLabel('Log file path').fill(file)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const row = page.getByTestId('source').filter({ hasText: 'by-path.log' })
  await expect(row.getByTestId('source-lines')).toHaveText('1,234 lines')
  await expect(row.getByTestId('source-size')).toContainText('KB')
})

test('adds a log file dropped on the window (uploaded to the host)', async ({ page, app }) => {
  const file = await writeLog('dropped.log', 321)
  const content = await readFile(file, 'utf8')
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Runbook' })).toBeVisible()
  const dataTransfer = await page.evaluateHandle(
    ({ text, name }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([text], name, { type: 'text/plain' }))
      return dt
    },
    { text: content, name: 'dropped.log' }
  )
  // Drop on the runbook area, not a dedicated target: the whole window accepts files.
  const target = page.getByRole('heading', { name: 'Runbook' })
  await target.dispatchEvent('dragenter', { dataTransfer })
  await target.dispatchEvent('dragover', { dataTransfer })
  await target.dispatchEvent('drop', { dataTransfer })
  const row = page.getByTestId('source').filter({ hasText: 'dropped.log' })
  await expect(row.getByTestId('source-lines')).toHaveText('321 lines')
  expect(page.url()).toBe(app.url)
})

test('adds a log file from the file picker', async ({ page, app }) => {
  const file = await writeLog('picked.log', 77)
  await page.goto(app.url)
  await page.getByTestId('file-picker').setInputFiles(file)
  await expect(page.getByTestId('source').filter({ hasText: 'picked.log' }).getByTestId('source-lines')).toHaveText('77 lines')
})

test('says in words why a path cannot be added, and keeps what was added', async ({ page, app }) => {
  const good = await writeLog('kept.log', 5)
  await page.goto(app.url)
  await page.getByLabel('Log file path').fill(good)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('source').filter({ hasText: 'kept.log' }).getByTestId('source-lines')).toHaveText('5 lines')

  await page.getByLabel('Log file path').fill(path.join(dir, 'does-not-exist.log'))
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('source-error')).toContainText('no such file')

  await page.getByLabel('Log file path').fill(dir)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('source-error')).toContainText('is a directory')

  const binary = path.join(dir, 'core.bin')
  await writeFile(binary, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]))
  await page.getByLabel('Log file path').fill(binary)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  await expect(page.getByTestId('source-error')).toContainText('binary')

  await expect(page.getByTestId('source')).toHaveCount(1)
})

test('shows the inferred field map of a JSON log, corrects one field, and the counts follow', async ({ page, app }) => {
  // Synthetic proxy lines: `status` is what the proxy answered, `upstream_status` what the app gave.
  const file = path.join(dir, 'proxy.jsonl')
  const T0 = Date.UTC(2026, 2, 1, 12)
  const lines = Array.from({ length: 60 }, (_, i) =>
    JSON.stringify({ ts: new Date(T0 + i * 1000).toISOString(), verb: 'GET', uri: `/api/items/${i}`, status: 200, upstream_status: i % 3 === 0 ? 503 : 200 }))
  await writeFile(file, `${lines.join('\n')}\n`)
  await page.goto(app.url)
  await page.getByLabel('Log file path').fill(file)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const row = page.getByTestId('source').filter({ hasText: 'proxy.jsonl' })
  await expect(row.getByTestId('field-status')).toHaveText(/status ← status/)
  await expect(row.getByTestId('field-method')).toHaveText(/method ← verb/)
  await expect(page.getByTestId('timeline-summary')).toContainText('60 requests, 0 5xx')
  await row.getByRole('button', { name: 'correct a field' }).click()
  await row.getByLabel('Role to map in proxy.jsonl').selectOption('status')
  await row.getByLabel('Field for the role in proxy.jsonl').fill('upstream_status')
  await row.getByRole('button', { name: 'Re-read' }).click()
  await expect(row.getByTestId('field-status')).toHaveText(/status ← upstream_status/)
  await expect(page.getByTestId('timeline-summary')).toContainText('60 requests, 20 5xx')
})
