/**
 * Browser mode, a followed access log, lines appended while the page is open: the timeline's
 * request count and the verdict follow each append within 2 s (LIVE_BUDGET's promise of well
 * under a second, with room for a shared machine), several times in a row, without a reload.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test, expect } from './serve-fixture'

/** Each append must be on screen within this: the bar for the live view. */
const FOLLOW_MS = 2000
/** Lines of history before the first append (grows what each append is merged into). */
const HISTORY_LINES = 3000

let dir: string
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-live-'))
})
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number): string => String(n).padStart(2, '0')
/** A count as the page prints it. */
const n = (v: number): string => v.toLocaleString('en-US')

/** nginx's $time_local, in UTC. */
const timeLocal = (ms: number): string => {
  const d = new Date(ms)
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
}

const ROUTES = ['/api/cart', '/api/products/1842', '/api/orders/93311', '/static/app.3f9c2.js', '/api/session']

/** nginx combined lines at `at`, one route failing with `status` for `failing` of them. */
function accessLines(at: number, n: number, failing = 0, status = 500): string {
  let out = ''
  for (let i = 0; i < n; i++) {
    const fails = i < failing
    const route = fails ? '/api/checkout' : ROUTES[i % ROUTES.length]
    out += `10.0.3.${11 + (i % 4)} - - [${timeLocal(at + i)}] "${fails ? 'POST' : 'GET'} ${route} HTTP/1.1" ${fails ? status : 200} ${fails ? 162 : 1840 + i} "https://shop.example/" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"\n`
  }
  return out
}

test('a followed access log: the timeline and the verdict follow each append within 2 s, without reload', async ({ page, app }) => {
  const file = path.join(dir, 'access.log')
  const start = Date.now() - 10 * 60_000
  // Ten quiet minutes of history, a request every 200 ms.
  let history = ''
  for (let i = 0; i < HISTORY_LINES; i++) history += accessLines(start + i * 200, 1)
  await writeFile(file, history)

  await page.goto(app.url)
  await page.getByLabel('Log file path').fill(file)
  await page.getByRole('button', { name: 'Add', exact: true }).click()
  const card = page.getByTestId('source').filter({ hasText: 'access.log' })
  await expect(card).toContainText('following')
  const summary = page.getByTestId('timeline-summary')
  await expect(summary).toContainText(`${n(HISTORY_LINES)} requests, 0 5xx`)
  const verdict = page.getByTestId('verdict')
  await expect(verdict.getByRole('heading', { name: 'No sustained 5xx: keep watching' })).toBeVisible()
  const loads: string[] = []
  page.on('load', () => loads.push(page.url()))

  let total = HISTORY_LINES
  let errors = 0
  const rounds = [
    { n: 40, failing: 0 },
    { n: 120, failing: 90 },
    { n: 60, failing: 45 },
    { n: 30, failing: 0 },
    { n: 80, failing: 70 }
  ]
  for (const [k, round] of rounds.entries()) {
    await appendFile(file, accessLines(Date.now(), round.n, round.failing))
    // Every check of this append shares the one 2 s from the append, not 2 s each.
    const appendedAt = Date.now()
    const left = (): { timeout: number } => ({ timeout: Math.max(1, FOLLOW_MS - (Date.now() - appendedAt)) })
    total += round.n
    errors += round.failing
    await expect(summary, `append ${k + 1}: the timeline counts it`).toContainText(`${n(total)} requests, ${n(errors)} 5xx`, left())
    await expect(card.getByTestId('source-lines'), `append ${k + 1}: the card counts it`).toHaveText(`${n(total)} lines`, left())
    // The verdict's reasons carry the counts, so each append must reach the verdict too, not only the timeline.
    if (errors === 0) await expect(verdict, `append ${k + 1}: the verdict follows`).toContainText(`No 5xx in ${n(total)} requests`, left())
    else {
      await expect(verdict, `append ${k + 1}: the verdict follows`).toContainText(`POST /api/checkout holds 100% of the 5xx (${n(errors)} of ${n(errors)})`, left())
      await expect(verdict).toContainText(`the other routes fail 0% of ${n(total - errors)}`, left())
      await expect(verdict).toHaveClass(/alarm/)
    }
  }
  expect(loads).toEqual([])
})
