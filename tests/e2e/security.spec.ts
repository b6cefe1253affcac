import WebSocket from 'ws'
import { test, expect } from './serve-fixture'

test('the page without its token says access is refused', async ({ page, app }) => {
  await page.goto(app.origin + '/')
  await expect(page.getByTestId('connection-notice')).toContainText('No access token')
})

test('a wrong token is refused in words', async ({ page, app }) => {
  await page.goto(`${app.origin}/#token=not-the-token`)
  await expect(page.getByTestId('connection-notice')).toContainText('Access refused')
})

test('the API refuses requests without the token or from another origin', async ({ request, app }) => {
  expect((await request.get(`${app.origin}/api/ping`)).status()).toBe(401)
  expect((await request.get(`${app.origin}/api/ping`, { headers: { 'x-triage-token': 'wrong' } })).status()).toBe(401)
  expect((await request.get(`${app.origin}/api/ping`, { headers: { 'x-triage-token': app.token } })).status()).toBe(200)
  const crossOrigin = await request.get(`${app.origin}/api/ping`, { headers: { 'x-triage-token': app.token, origin: 'http://evil.example' } })
  expect(crossOrigin.status()).toBe(403)
  const upload = await request.post(`${app.origin}/api/upload?name=x.log`, { data: 'a\n' })
  expect(upload.status()).toBe(401)
})

function wsStatus(url: string, origin: string): Promise<number | 'open'> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin })
    ws.on('open', () => {
      ws.close()
      resolve('open')
    })
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
    ws.on('error', () => undefined)
  })
}

test('the WebSocket needs the token and the app origin', async ({ app }) => {
  const wsBase = app.origin.replace('http', 'ws') + '/api/ws'
  expect(await wsStatus(wsBase, app.origin)).toBe(401)
  expect(await wsStatus(`${wsBase}?token=${app.token}`, 'http://evil.example')).toBe(403)
  expect(await wsStatus(`${wsBase}?token=${app.token}`, app.origin)).toBe('open')
})

test('navigation away is blocked: a file dropped outside any control does not replace the app', async ({ page, app }) => {
  await page.goto(app.url)
  await expect(page.getByRole('heading', { name: 'Runbook' })).toBeVisible()
  const prevented = await page.evaluate(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['<html>evil</html>'], 'page.html', { type: 'text/html' }))
    const over = new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true })
    document.body.dispatchEvent(over)
    return over.defaultPrevented
  })
  expect(prevented).toBe(true)
  const res = await page.request.get(app.url)
  const csp = res.headers()['content-security-policy'] ?? ''
  expect(csp).toContain("default-src 'self'")
  expect(csp).toContain("frame-ancestors 'none'")
  expect(page.url()).toBe(app.url)
})
