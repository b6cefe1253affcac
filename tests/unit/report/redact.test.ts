import { describe, expect, it } from 'vitest'
import { redact, redactDeep } from '../../../shared/report'
import { secretsFor } from './incident-model'

const MARKER_OF: Record<string, string> = {
  bearer: 'bearer',
  'stripe-live': 'api-key',
  'stripe-test': 'api-key',
  'stripe-restricted': 'api-key',
  'aws-access-key': 'aws-access-key',
  'aws-session-key': 'aws-access-key',
  'aws-secret': 'aws-secret',
  'github-token': 'github-token',
  'github-pat': 'github-token',
  'slack-token': 'slack-token',
  'google-api-key': 'google-api-key',
  jwt: 'jwt',
  'password-kv': 'password',
  'password-json': 'password',
  'url-password': 'password',
  'cookie-header': 'cookie',
  'set-cookie': 'cookie',
  session: 'cookie',
  authorization: 'authorization',
  email: 'email'
}

describe('redact', () => {
  it.each(secretsFor('X').map((s) => [s.kind, s] as const))('replaces a %s by its marker', (_kind, secret) => {
    const out = redact(secret.line)
    expect(out).not.toContain(secret.value)
    expect(out).toContain(`[REDACTED:${MARKER_OF[secret.kind]}]`)
  })

  it('keeps the text around a secret and the non-secret parts of headers, URLs and JSON', () => {
    expect(redact('DATABASE_URL=postgres://orders:pgXs3cret@db.internal:5432/orders')).toBe('DATABASE_URL=postgres://orders:[REDACTED:password]@db.internal:5432/orders')
    expect(redact('payload {"user":"bob","password":"horse battery","remember":true}')).toBe('payload {"user":"bob","password":"[REDACTED:password]","remember":true}')
    expect(redact('{\\"client_secret\\":\\"abc123\\",\\"id\\":7}')).toBe('{\\"client_secret\\":\\"[REDACTED:secret]\\",\\"id\\":7}')
    expect(redact('{"api_key": 123456789, "ok": true}')).toBe('{"api_key": "[REDACTED:api-key]", "ok": true}')
    expect(redact("curl -H 'Authorization: Bearer abc.def' https://x.example/a")).toBe("curl -H 'Authorization: [REDACTED:authorization]' https://x.example/a")
    expect(redact('GET /reset?token=abc123&next=/home')).toBe('GET /reset?token=[REDACTED:token]&next=/home')
    expect(redact('db_password: "p@ss w0rd"')).toBe('db_password: "[REDACTED:password]"')
    expect(redact('curl -u deploy:hunter2 https://ci.internal')).toBe('curl -u deploy:[REDACTED:password] https://ci.internal')
    expect(redact("curl -b 'sid=abc; theme=dark' https://x.example")).toBe("curl -b '[REDACTED:cookie]' https://x.example")
    expect(redact('X-Api-Key: 9f8e7d6c5b4a')).toBe('X-Api-Key: [REDACTED:api-key]')
    expect(redact('-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----')).toBe('[REDACTED:private-key]')
  })

  it('redacts a bare AWS secret access key and high-entropy secrets beside other clouds\' key ids', () => {
    const key = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'
    expect(redact(`Rotated the leaked key; the old one was ${key}, revoked at 14:10`)).toBe('Rotated the leaked key; the old one was [REDACTED:aws-secret], revoked at 14:10')
    expect(redact(`export AWS_SECRET_ACCESS_KEY="${key}"`)).not.toContain(key)
    expect(redact(`"SecretAccessKey": "${key}"`)).not.toContain(key)
    expect(redact('decided: revoke h3Rq8Zk/1vLw9XbP+Tn4yG7mK2sD5fJ0aE6cU8iO now')).toBe('decided: revoke [REDACTED:aws-secret] now')
    expect(redact('hmac GOOGTS7C7FUP3AIRVJTE2BCD secret bGoa+V7g/yqDXvKRqq+JTFn4uQZbPiQJo4pf9RzJ')).toBe('hmac GOOGTS7C7FUP3AIRVJTE2BCD secret [REDACTED:secret]')
    expect(redact('LTAI5tQ3m7Zb9xK2pVn8 s3cr3t=Xk9mQ2pL7vN4bR8tY1wZ6cF3hJ5d')).not.toContain('Xk9mQ2pL7vN4bR8tY1wZ6cF3hJ5d')
  })

  it('keeps commit ids, paths and class names of 40 characters', () => {
    const kept = [
      'Deploy 2.15.0 went live (commit 8c2d4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d)',
      'COMMIT 8C2D4E6F8A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D',
      'at com/acme/pricing/PriceCalculatorImpl2V1 line 3',
      'GET /api/v2/Orders/ProcessPaymentsCallback1 200'
    ]
    for (const text of kept) expect(redact(text)).toBe(text)
  })

  it('leaves ordinary log text alone', () => {
    const ordinary = [
      '10.0.0.7 - - [01/May/2026:12:03:04 +0000] "POST /api/checkout HTTP/1.1" 500 612 "-" "okhttp/4.12.0"',
      'java.lang.NullPointerException: Cannot invoke "com.acme.pricing.Discount.apply(java.math.BigDecimal)" because "discount" is null',
      '\tat com.acme.pricing.PriceCalculator.total(PriceCalculator.java:88)',
      'installed react@19.1.0 and lodash@4.17.21',
      'image registry.internal/checkout@sha256:4b1e0a9d2c3f5e6a',
      'the session expired and the token was refused',
      'upstream timed out (110: Connection timed out) while reading response header from upstream, upstream: "http://10.0.0.5:8080/api/checkout"',
      'Deploy 2.15.0 went live (commit 8c2d4e6f8a0b)',
      'HikariPool-1 - Connection is not available, request timed out after 30000ms.'
    ]
    for (const line of ordinary) expect(redact(line)).toBe(line)
  })

  it('is idempotent: redacting twice changes nothing more', () => {
    for (const s of secretsFor('TWICE')) {
      const once = redact(s.line)
      expect(redact(once)).toBe(once)
    }
  })

  it('redacts every string of a structure, counts the replacements, and leaves the input and its keys untouched', () => {
    const input = { notes: [{ text: 'mail bob@example.com', at: '2026-05-01T12:00:00Z' }], count: 3, ok: true, none: null, data: { 'password=x': 'password=hunter2' } }
    const counter = { n: 0 }
    const out = redactDeep(input, counter)
    expect(out).toEqual({ notes: [{ text: 'mail [REDACTED:email]', at: '2026-05-01T12:00:00Z' }], count: 3, ok: true, none: null, data: { 'password=x': 'password=[REDACTED:password]' } })
    expect(counter.n).toBe(2)
    expect(input.notes[0].text).toBe('mail bob@example.com')
  })
})
