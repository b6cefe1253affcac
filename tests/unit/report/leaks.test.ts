import { describe, expect, it } from 'vitest'
import { isCardNumber, redact, renderReport, type ReportFormat, type ReportModel } from '../../../shared/report'
import { realisticModel } from './incident-model'

// Every string the report model holds gets a secret of its own; not one may reach any format.

/** A Luhn-valid 16-digit Visa-like number that carries `n`. */
function cardNumber(n: number): string {
  const body = `4${String(n).padStart(6, '0')}55501234`
  for (let check = 0; check < 10; check++) if (isCardNumber(`${body}${check}`)) return `${body}${check}`
  throw new Error('no check digit')
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
/** A 40-character AWS-style secret, distinct for each `n`. */
function awsSecret(n: number): string {
  let out = ''
  let s = (n + 1) * 2654435761
  for (let i = 0; i < 36; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0
    out += BASE64[s % 64]
  }
  return `${out}${String(n).padStart(4, '0')}`
}

interface Planted {
  /** Raw values that must not appear in a redacted report. */
  values: string[]
  line: string
}

/** The n-th planted secret: key-named values, a card number, an AWS key pair, a bearer token, an email. */
function secret(n: number): Planted {
  const tag = `LEAK${String(n).padStart(4, '0')}`
  const kinds: Planted[] = [
    { values: [`${tag}apikey`], line: `GET /v1/x?api_key=${tag}apikey&page=2` },
    { values: [`${tag}secretkey`], line: `secret_key=${tag}secretkey` },
    { values: [`${tag}accesskey`], line: `retrying with access_key=${tag}accesskey` },
    { values: [`${tag}session`], line: `session_id=${tag}session` },
    { values: [`${tag}pw`], line: `password: ${tag}pw` },
    { values: [`${tag}tok`], line: `token=${tag}tok` },
    { values: [cardNumber(n)], line: `charged card ${cardNumber(n)} twice` },
    { values: [`AKIA${tag}ABCDEFGH`, awsSecret(n)], line: `creds AKIA${tag}ABCDEFGH ${awsSecret(n)}` },
    { values: [`${tag}bearer`], line: `Authorization: Bearer ${tag}bearer` },
    { values: [`${tag.toLowerCase()}@example.com`], line: `mail ${tag.toLowerCase()}@example.com` }
  ]
  return kinds[n % kinds.length]
}

/** A model with `intermittent`, missing configuration and a decision, so no optional string field is empty. */
function fullModel(): ReportModel {
  const m = realisticModel()
  if (!m.analysis) throw new Error('the realistic model has an analysis')
  m.analysis.v1.intermittent = { pattern: 'data', keys: ['user_id=4242', 'order_id=981'], shape: 'bursts' }
  m.analysis.v1.missingConfig = ['PRICING_TABLE_URL']
  m.incident.chosenPlaybook = 'rollback'
  return m
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/

/**
 * Puts a distinct secret into every string of the model. Strings the contract fixes to a closed
 * set or a timestamp (playbook names, statuses, kinds, ISO times, schema ids) cannot hold text in
 * a valid model; they get the secret appended only where the report still renders, which is
 * checked by `plantEverywhere` rendering each format.
 */
function plant(value: unknown, planted: Planted[], path: string, skip: (path: string, value: string) => boolean): unknown {
  if (typeof value === 'string') {
    if (skip(path, value)) return value
    const s = secret(planted.length)
    planted.push(s)
    return `${value} ${s.line}`
  }
  if (Array.isArray(value)) return value.map((v, i) => plant(v, planted, `${path}[${i}]`, skip))
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plant(v, planted, `${path}.${k}`, skip)]))
  return value
}

/** Closed-set fields (enums of the contract) and times: their values are names, not text. */
const CLOSED = /\.(?:schema|playbook|pattern|kind|status|format|chosenPlaybook|method)$|\.(?:at|from|to|firstSeen|lastSeen|createdAt|closedAt|addedAt|generatedAt)$/

const FORMATS: ReportFormat[] = ['markdown', 'html', 'json']

describe('incident report: a secret in any string field never leaks', () => {
  it.each(FORMATS)('%s: 0 leaks with a distinct secret in every free-text field', (format) => {
    const planted: Planted[] = []
    const model = plant(fullModel(), planted, '', (path, value) => CLOSED.test(path) || ISO_TIME.test(value)) as ReportModel
    expect(planted.length).toBeGreaterThan(80)
    const out = renderReport(model, format, { redact: true })
    const leaks = planted.flatMap((p) => p.values).filter((v) => out.includes(v))
    expect(leaks).toEqual([])
    // Every planted value is in the unredacted report: the fields are really printed (JSON) or the test proves nothing.
    if (format === 'json') {
      const raw = renderReport(model, format, { redact: false })
      expect(planted.flatMap((p) => p.values).filter((v) => !raw.includes(v))).toEqual([])
    }
  })

  it.each(FORMATS)('%s: closed-set fields and times carrying a secret render without leaking it', (format) => {
    const planted: Planted[] = []
    const model = plant(fullModel(), planted, '', (path, value) => !(CLOSED.test(path) || ISO_TIME.test(value))) as ReportModel
    expect(planted.length).toBeGreaterThan(20)
    let out = ''
    try {
      out = renderReport(model, format, { redact: true })
    } catch (err) {
      // Refusing a model whose times are not times is fine; printing their text is not.
      expect(String(err)).not.toMatch(/LEAK|AKIA|@example\.com/)
      return
    }
    expect(planted.flatMap((p) => p.values).filter((v) => out.includes(v))).toEqual([])
  })

  it('prints record ids with their key names, so the facts row and the reasons never show a bare secret', () => {
    const m = fullModel()
    const md = renderReport(m, 'markdown', { redact: true })
    expect(md).toContain('- **Ids the failures recur on:** user_id=4242, order_id=981')
  })
})

describe('redact: cards, key pairs, key names', () => {
  it('redacts only digit runs of 13–19 that pass Luhn (and start like a card)', () => {
    expect(redact('paid with 4111111111111111 ok')).toBe('paid with [REDACTED:card] ok')
    expect(redact('paid with 4111 1111 1111 1111 ok')).toBe('paid with [REDACTED:card] ok')
    expect(redact('amex 3782-822463-10005')).toBe('amex [REDACTED:card]')
    expect(redact('paid with 4111111111111112 ok')).toBe('paid with 4111111111111112 ok')
    expect(redact('at 1767225600000 ms, trace 123456789012')).toBe('at 1767225600000 ms, trace 123456789012')
    expect(redact('counts 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1')).toBe('counts 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1')
  })

  it('redacts a high-entropy secret written beside an AWS key id, not an ordinary word', () => {
    expect(redact('AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('[REDACTED:aws-access-key] [REDACTED:aws-secret]')
    expect(redact('AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY')).toBe('[REDACTED:aws-access-key]:[REDACTED:aws-secret]')
    expect(redact('key AKIAIOSFODNN7EXAMPLE used by deployment-controller-manager')).toBe('key [REDACTED:aws-access-key] used by deployment-controller-manager')
  })

  it('redacts by key name: api_key, secret_key, access_key, session_id, signature', () => {
    expect(redact('?api_key=a1&secret_key=b2&access_key=c3&session_id=d4&X-Amz-Signature=e5&page=2')).toBe(
      '?api_key=[REDACTED:api-key]&secret_key=[REDACTED:secret]&access_key=[REDACTED:api-key]&session_id=[REDACTED:cookie]&X-Amz-Signature=[REDACTED:secret]&page=2'
    )
  })

  it('Markdown: a link the engineer typed is never live, whatever its scheme', () => {
    const m = fullModel()
    m.incident.notes.push({ at: '2026-05-01T12:30:00.000Z', text: 'see [x](javascript:alert(1)) and [y](data:text/html;base64,PHNjcmlwdD4=) and [z]( vbscript:msgbox) [r][ref]\n[ref]: javascript:alert(2)' })
    const md = renderReport(m, 'markdown', { redact: false })
    expect(md).toContain('see [x\\](javascript:alert(1)) and [y\\](data:text/html;base64,PHNjcmlwdD4=) and [z\\]( vbscript:msgbox) [r\\][ref]')
    expect(md).toContain('[ref\\]: javascript:alert(2)')
    expect(md).not.toMatch(/[^\\]\]\s*[([:]\s*(?:javascript|data|vbscript):/)
  })
})
