import { describe, expect, it } from 'vitest'
import { renderReport, reportFile, UNREDACTED_WARNING, type ReportModel } from '../../../shared/report'
import { plantedSecrets, realisticModel } from './incident-model'

const SECTIONS = ['Summary', 'Impact', 'Timeline', 'Verdict and reasons', 'Runbook', 'Error groups', 'Deploys', 'Dependencies', 'Replay', 'Actions and notes']
const planted = plantedSecrets()
const formats = ['markdown', 'html', 'json'] as const

describe('incident report: sections', () => {
  const model = realisticModel()
  const md = renderReport(model, 'markdown', { redact: true })
  const html = renderReport(model, 'html', { redact: true })

  it('has every section in Markdown and HTML, in order', () => {
    const mdHeadings = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1].replace(/:.*$/, ''))
    expect(mdHeadings.slice(0, SECTIONS.length)).toEqual(SECTIONS)
    const htmlHeadings = [...html.matchAll(/<h2>([^<]+)<\/h2>/g)].map((m) => m[1])
    expect(htmlHeadings.slice(0, SECTIONS.length)).toEqual(SECTIONS)
    expect(md.startsWith('# Checkout answering 500 after 2.15.0\n')).toBe(true)
  })

  it('states the impact: requests and 5xx in the window, duration, endpoints affected', () => {
    expect(md).toContain('- **Requests:** 105,868')
    expect(md).toMatch(/- \*\*5xx responses:\*\* 8,375 \(7\.9% of requests\) — 500: 8,215, 502: 160/)
    expect(md).toContain('- **Duration:** 38 min (2026-05-01 12:03:00 UTC → 2026-05-01 12:41:00 UTC)')
    expect(md).toContain('- **Endpoints affected:** POST /api/checkout (8,610 5xx, 40%); GET /api/orders/:id (312 5xx, 1%); POST /api/cart/:id/quote (302 5xx, 3.1%)')
    expect(md).toMatch(/^`[▁▂▃▄▅▆▇█]+`$/m)
  })

  it('says who the 5xx hurt: clients, crawlers and their span, re-sent POST/PATCH, cached 5xx', () => {
    expect(md).toContain('- **Clients that got a 5xx:** 4,212')
    expect(md).toContain('- **Search crawlers:** ⚠ Googlebot (verified by its published address ranges): 63 5xx on 41 URLs, 12:04:30 UTC → 12:39:00 UTC (34 min 30 s); ' +
      "Googlebot (likely spoofed: the address is outside the crawler's published ranges): 12 5xx on 12 URLs")
    expect(md).toContain('URLs that keep failing for days drop out of the index.')
    expect(md).toContain('- **POST/PATCH re-sent after a 5xx:** ⚠ 318 requests re-sent by the same client to the same path within 1 min of a 5xx: check for duplicate side effects')
    expect(md).toContain('- **5xx served from a CDN cache:** unknown: no cache status in these logs')
    const section = /<section id="impact"><h2>Impact<\/h2>(.*?)<\/section>/.exec(html)?.[1] ?? ''
    expect(section).toContain('<tr class="alert"><th>POST/PATCH re-sent after a 5xx</th><td>318 requests re-sent')
    expect(section).toContain('<tr><th>Clients that got a 5xx</th><td>4,212</td></tr>')
  })

  it('builds the timeline from the journal plus deploys and onset it does not already hold, in time order', () => {
    const rows = [...md.matchAll(/^\| (2026-[^|]+) \| (\w+) \| (.+) \|$/gm)].map((m) => [m[1].trim(), m[2], m[3]])
    expect(rows.map((r) => r[0])).toEqual([...rows.map((r) => r[0])].sort())
    const deploys = rows.filter((r) => r[1] === 'Deploy').map((r) => r[2])
    expect(deploys).toEqual(['Deploy 2.14.3 went live (commit 4b1e0a9d2c3f)', 'Deploy 2.15.0 went live (commit 8c2d4e6f8a0b)', 'Deploy 2.14.3 went live (commit 4b1e0a9d2c3f)'])
    expect(rows.filter((r) => r[1] === 'Detection')).toHaveLength(1)
    expect(rows.filter((r) => r[1] === 'Health').map((r) => r[2])).toEqual(['orders-db is failing: status DOWN; failing: db (DOWN)', 'orders-db is healthy again'])
  })

  it('gives the verdict with reasons and evidence, the runbook steps, deploys, dependencies, replay and notes', () => {
    expect(md).toContain('**rollback** — Roll back the deploy (confidence 92%)')
    expect(md).toContain('  - evidence: deploy 2.15.0 at 2026-05-01 12:01:00 UTC')
    expect(md).toContain('- **dependency** — A dependency is failing (confidence 41%)')
    expect(md).toContain('- [x] **Roll back to the previous version** — done')
    expect(md).toContain('  - note: rolled back via Argo CD at 12:17')
    expect(md).toContain('- [-] **Do not forward-fix under load** — skipped')
    expect(md).toContain('**suspect: 5xx rate 0.11% before → 20% after**')
    expect(md).toContain('  - 2026-05-01 12:22:00 UTC → 2026-05-01 12:26:00 UTC (4 min): status DOWN; failing: db (DOWN)')
    expect(md).toContain('- `payments-api`: healthy throughout')
    expect(md).toContain("```sh\ncurl -X POST 'https://checkout.internal/api/checkout?cart=8812' -H 'Accept: application/json'")
    expect(md).toContain('**POST is not idempotent:')
    expect(md).toContain('- 2026-05-01 12:15:00 UTC **Decision:** Roll back to 2.14.3 now; investigate the discount loader offline.')
    expect(md).toContain('**Note:** Error rate back to baseline after the rollback.  \n  Keeping the incident open for 10 more minutes.')
  })

  it('shows one stack trace per group trimmed to at most 15 frames, keeping the root cause', () => {
    for (const out of [md, html]) {
      const firstTrace = out.split('java.lang.NullPointerException: Cannot invoke')[2] ?? ''
      const block = firstTrace.slice(0, firstTrace.indexOf('Caused by:'))
      expect(block.split('\n').filter((l) => l.startsWith('\tat '))).toHaveLength(15)
      expect(block).toContain('… 7 more frames trimmed')
    }
    expect(md).toContain('Caused by: java.lang.IllegalStateException: discount table not loaded for region eu-west-1')
    expect(md).toContain('Caused by: java.sql.SQLTransientConnectionException: HikariPool-1')
  })

  it('renders a self-contained HTML page: inline CSS and SVG chart, no scripts, nothing loaded from elsewhere, print styles', () => {
    expect(html).not.toMatch(/<script|<link|<iframe|<img|@import|url\(/i)
    expect(html).not.toMatch(/\s(?:src|href)\s*=/i)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`)
    expect(html).toContain('@media print{')
    expect(html).toMatch(/<svg class="chart" viewBox="0 0 960 240" role="img"/)
    expect(html.match(/<g class="deploy">/g)).toHaveLength(3)
    expect(html).toContain('<line class="onset"')
    expect(html).toMatch(/<path class="rate" d="M56\.0,/)
    expect(html).not.toContain(UNREDACTED_WARNING)
  })

  it('escapes what the engineer typed: no markup injection in HTML, no broken tables in Markdown', () => {
    const m = realisticModel()
    m.incident.title = 'Checkout <script>alert(1)</script> | down'
    m.journal.push({ at: '2026-05-01T12:30:00.000Z', kind: 'note', text: 'cells | split? <img src=x onerror=alert(1)> *bold* `tick`' })
    const h = renderReport(m, 'html', { redact: true })
    expect(h).not.toContain('<script>alert')
    expect(h).not.toContain('<img')
    expect(h).toContain('Checkout &lt;script&gt;alert(1)&lt;/script&gt; | down')
    const mdOut = renderReport(m, 'markdown', { redact: true })
    expect(mdOut).toContain('| Note | cells \\| split? \\<img src=x onerror=alert(1)\\> \\*bold\\* \\`tick\\` |')
  })

  it('reports an incident without any analysis yet, every section saying why it is empty', () => {
    const m: ReportModel = { ...realisticModel(), analysis: null, runbook: null }
    const out = renderReport(m, 'markdown', { redact: true })
    expect(out).toContain('**What happened:** No evidence has been analysed yet.')
    expect(out).toContain('No verdict: no evidence has been analysed.')
    expect(out).toContain('No runbook was followed.')
    expect(out).toContain('No application errors in the evidence.')
    expect(out).toContain('| `2.15.0` | 2026-05-01 12:01:00 | `8c2d4e6f8a0b` |  |')
    expect(out).toContain('No failing request to replay.')
    expect(renderReport(m, 'html', { redact: true })).not.toContain('<svg')
  })

  it("cites a store source's cost and warnings beside its counts; a file's line stays as it was", () => {
    const m = realisticModel()
    const file = m.incident.sources[0].path
    const store = 'http://127.0.0.1:8123 access WHERE service = checkout'
    m.incident.sources.push({ path: store, addedAt: m.incident.createdAt, sizeBytes: 0, mtimeMs: 0 })
    m.storeReads = [{ path: store, kind: 'clickhouse', bytesMoved: 512 * 1024, scannedBytes: 2 * 1024 ** 3, warnings: ['1 of 2 shards failed: partial counts'] }]
    const out = renderReport(m, 'markdown', { redact: false })
    expect(out).toContain(`- \`${store}\` — not analysed; clickhouse store: 512 KB moved of 2 GB scanned by the engine (0.024%); 1 of 2 shards failed: partial counts`)
    const fileLine = out.split('\n').find((l) => l.startsWith(`- \`${file}\``))
    expect(fileLine).toBeDefined()
    expect(fileLine).not.toContain('store:')
  })

  it('names the file after the incident, without leaking a secret in the title', () => {
    const m = realisticModel()
    expect(reportFile(m, 'html')).toEqual({ fileName: '2026-05-01-checkout-answering-500-after-2-15-0-report.html', mimeType: 'text/html' })
    expect(reportFile(m, 'markdown').fileName.endsWith('-report.md')).toBe(true)
    m.incident.title = 'pager from jane@example.com'
    expect(reportFile(m, 'json')).toEqual({ fileName: '2026-05-01-pager-from-redacted-email-report.json', mimeType: 'application/json' })
  })
})

describe('incident report: redaction', () => {
  const model = realisticModel({ plant: true })

  it('plants secrets in every place a report shows text', () => {
    expect(new Set(planted.map((s) => s.where))).toEqual(new Set(['note', 'trace', 'curl', 'path', 'decision']))
  })

  it.each(formats)('%s: no planted secret survives (notes, decisions, stack traces, replay curl, source paths)', (format) => {
    const out = renderReport(model, format, { redact: true })
    const leaked = planted.filter((s) => out.includes(s.value)).map((s) => `${s.where}/${s.kind}`)
    expect(leaked).toEqual([])
    for (const kind of ['bearer', 'api-key', 'aws-access-key', 'aws-secret', 'github-token', 'slack-token', 'google-api-key', 'jwt', 'password', 'cookie', 'authorization', 'email'])
      expect(out).toContain(`[REDACTED:${kind}]`)
    expect(out).not.toContain(UNREDACTED_WARNING)
  })

  it.each(formats)('%s with redact: false keeps every value and says so prominently', (format) => {
    const out = renderReport(model, format, { redact: false })
    const missing = planted.filter((s) => !out.includes(s.value)).map((s) => `${s.where}/${s.kind}`)
    expect(missing).toEqual([])
    expect(out).toContain(UNREDACTED_WARNING)
    expect(out).not.toContain('[REDACTED:')
  })

  it('puts the warning at the top of Markdown and HTML', () => {
    const md = renderReport(model, 'markdown', { redact: false })
    expect(md.split('\n')[2]).toBe(`> **⚠ ${UNREDACTED_WARNING}.** Secrets and personal data in this report were NOT redacted.`)
    const html = renderReport(model, 'html', { redact: false })
    expect(html).toMatch(/<title>\[UNREDACTED\] /)
    expect(html.indexOf('class="banner"')).toBeLessThan(html.indexOf('<h2>'))
  })

  it('JSON is the model after redaction, marked as such', () => {
    const doc = JSON.parse(renderReport(model, 'json', { redact: true })) as Record<string, unknown> & ReportModel
    expect(doc.schema).toBe('triage500.report/v1')
    expect(doc.redacted).toBe(true)
    expect(doc.redactions).toBeGreaterThan(planted.length)
    expect(doc.incident.id).toBe(model.incident.id)
    expect(doc.analysis?.timeline.buckets).toEqual(model.analysis?.timeline.buckets)
    expect(doc.incident.notes[0]).toEqual(model.incident.notes[0])
    expect(doc.incident.notes.at(-1)?.text).toBe('escalated to [REDACTED:email]')
    const raw = JSON.parse(renderReport(model, 'json', { redact: false })) as Record<string, unknown>
    const { schema, redacted, redactions, warning, ...rest } = raw
    expect({ schema, redacted, redactions, warning }).toEqual({ schema: 'triage500.report/v1', redacted: false, redactions: 0, warning: UNREDACTED_WARNING })
    expect(rest).toEqual(JSON.parse(JSON.stringify(model)))
  })
})
