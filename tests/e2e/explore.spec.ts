import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './serve-fixture'

let dir: string
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-explore-'))
})
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const START = Date.UTC(2026, 11, 1, 10, 0, 0) // Tue 1 Dec 2026, 10:00 UTC
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const p2 = (n: number) => String(n).padStart(2, '0')
const clf = (t: number) => {
  const d = new Date(t)
  return `${p2(d.getUTCDate())}/${MON[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`
}

/** 3.5 days of nginx combined lines, one a minute; in the last half day every 7th is a POST /api/orders/<id> answered 500. */
async function writeAccessLog(): Promise<string> {
  const lines: string[] = []
  const n = Math.round(3.5 * 24 * 60)
  for (let i = 0; i < n; i++) {
    const t = START + i * 60_000
    const late = i > n - 12 * 60
    const fail = late && i % 7 === 0
    const req = fail ? `POST /api/orders/${4100 + (i % 90)} HTTP/1.1` : `GET /api/products/${i % 40}?page=${i % 3} HTTP/1.1`
    lines.push(`10.0.${i % 4}.${20 + (i % 9)} - - [${clf(t)}] "${req}" ${fail ? 500 : 200} ${fail ? 173 : 2048} "https://shop.example/cart" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"`)
  }
  const file = path.join(dir, 'access.log')
  await writeFile(file, `${lines.join('\n')}\n`)
  return file
}

/** A Spring Boot log with two distinct failures in the same days. */
async function writeAppLog(): Promise<string> {
  const out: string[] = []
  const iso = (t: number) => new Date(t).toISOString()
  for (let k = 0; k < 6; k++) {
    const t = START + 3 * 24 * 3_600_000 + k * 600_000
    out.push(
      `${iso(t)} ERROR 4711 --- [nio-8080-exec-${k + 1}] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception`,
      `java.lang.NullPointerException: Cannot invoke "com.shop.orders.Order.total()" because "order" is null`,
      `\tat com.shop.orders.OrderService.price(OrderService.java:88)`,
      `\tat com.shop.orders.OrderController.create(OrderController.java:41)`,
      `${iso(t + 60_000)} ERROR 4711 --- [nio-8080-exec-${k + 2}] c.shop.catalog.StockClient              : stock lookup failed`,
      `org.springframework.dao.QueryTimeoutException: PreparedStatementCallback; SQL [select qty from stock where sku = ?]; timeout`,
      `\tat com.shop.catalog.StockRepository.quantity(StockRepository.java:57)`
    )
  }
  const file = path.join(dir, 'app.log')
  await writeFile(file, `${out.join('\n')}\n`)
  return file
}

test('range selection lists the matching 5xx and opens their raw lines; a filter changes timeline and groups; dated axis; no sideways scroll', async ({ page, app }) => {
  const access = await writeAccessLog()
  const appLog = await writeAppLog()
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(app.url)
  for (const file of [access, appLog]) {
    await page.getByLabel('Log file path').fill(file)
    await page.getByRole('button', { name: 'Add', exact: true }).click()
    await expect(page.getByTestId('source').filter({ hasText: path.basename(file) })).toBeVisible()
  }
  const summary = page.getByTestId('timeline-summary')
  await expect(summary).toContainText('5,040 requests')

  // A 3.5-day log's axis names its days.
  await expect(page.getByTestId('timeline-axis')).toContainText(/(Wed 2 Dec|Thu 3 Dec|Fri 4 Dec)/)
  await expect(summary).toContainText(/Tue 1 Dec 10:00:00 – Fri 4 Dec \d\d:\d\d:\d\d UTC/)

  // Drag across the last fifth of the chart: the late failures.
  const plot = page.getByRole('group', { name: /^Timeline chart/ })
  const box = await plot.boundingBox()
  if (!box) throw new Error('the timeline has no box')
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 })
  await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(page.getByTestId('timeline-selected')).toContainText('Selected')
  await expect(page.getByTestId('explore-status')).toContainText(/matching requests and events in /)

  await page.getByLabel('Filter requests and events').fill('status>=500')
  await page.getByLabel('Filter requests and events').press('Enter')
  await expect(page.getByTestId('explore-status')).toContainText(/\d+ matching requests? (and|or) events? in .* for status>=500/)
  const rows = page.getByTestId('event-row')
  await expect(rows.first()).toContainText('500')
  await expect(rows.first()).toContainText('POST /api/orders/')
  await rows.first().click()
  const raw = page.getByTestId('raw-lines')
  await expect(raw.locator('li.target')).toContainText('"POST /api/orders/')
  await expect(raw.locator('li.target')).toContainText('" 500 ')
  // For the README: the selected range on the timeline, and the list with a row's raw lines open.
  await page.getByRole('region', { name: 'Timeline' }).screenshot({ path: 'docs/screenshots/timeline-selection.png' })
  await page.getByRole('region', { name: 'Requests and events' }).screenshot({ path: 'docs/screenshots/explore-list.png' })

  // A filter for one failure: the timeline draws its counts, the groups narrow to it.
  await page.getByRole('button', { name: 'Clear selection' }).click()
  // status>=500 matches requests only: no error event of the app log has a status, so no group stays.
  await expect(page.getByTestId('groups-filtered')).toContainText('0 of 2')
  await page.getByRole('button', { name: 'Clear filter' }).click()
  await expect(page.getByTestId('group-row')).toHaveCount(2)
  await page.getByLabel('Filter requests and events').fill('"OrderService"')
  await page.getByLabel('Filter requests and events').press('Enter')
  await expect(summary).toContainText('Filter "OrderService":')
  await expect(page.getByTestId('groups-filtered')).toContainText('1 of 2')
  await expect(page.getByTestId('group-row')).toHaveCount(1)
  await expect(page.getByTestId('group-row')).toContainText('NullPointerException')

  // Everything open, still no sideways scroll at 1280×720.
  for (const s of await page.locator('details > summary').all()) await s.click()
  await page.getByTestId('group-row').getByRole('button').first().click()
  await page.getByTestId('event-row').first().click()
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
  expect(over).toBeLessThanOrEqual(1)
})
