import { describe, expect, it } from 'vitest'
import { BANNERS, cleanVersion, matchBanner, sameVersion } from '../../../shared/analysis/deploys/banners'
import { matchMigration, matchSchemaError, MIGRATIONS, SCHEMA_ERRORS } from '../../../shared/analysis/deploys/migrations'

describe('startup banners', () => {
  it.each(BANNERS.map((b) => [b.id, b] as const))('%s reads its own sample line', (_id, b) => {
    const m = matchBanner(b.sample)
    expect(m?.pattern.id).toBe(b.id)
    expect({ version: m?.version ?? null, server: m?.server ?? null }).toEqual(b.expect)
  })

  it('tells the server version from the app version (gunicorn, Puma, Rails, Django name their own)', () => {
    for (const line of ['[2024-03-12 08:00:03 +0000] [1] [INFO] Starting gunicorn 21.2.0', '* Version 5.6.4 (ruby 3.0.2-p107), codename: Birdie\'s Version', '=> Rails 7.1.2 application starting in production ']) {
      const m = matchBanner(line)
      expect(m?.version, line).toBeNull()
      expect(m?.server, line).not.toBeNull()
    }
  })

  it('reads Spring Boot with and without a version, 2.x and 3.x', () => {
    expect(matchBanner('Starting OrdersApplication v3.8.1 on orders-7d9f with PID 1 (/app/orders.jar started by root in /app)')?.version).toBe('3.8.1')
    expect(matchBanner('Starting OrdersApplication using Java 17.0.9 with PID 1 (/app/classes started by dev in /app)')).toMatchObject({ version: null, pattern: { id: 'spring-boot-starting' } })
  })

  it('is not fooled by everyday lines', () => {
    for (const line of ['Starting job sync-inventory', 'GET /api/version 200', 'Completed 200 OK in 12ms', 'Started GET "/orders/42" for 10.0.0.1 at 2024-03-12 08:00:00 +0000', 'Listening to events from queue orders', 'unsupported client version: 3.1'])
      expect(matchBanner(line), line).toBeNull()
  })

  it('compares versions the way deploy tools and banners write them', () => {
    expect(sameVersion('v3.8.1', '3.8.1')).toBe(true)
    expect(sameVersion('registry/orders:3.8.1', '3.8.1')).toBe(true)
    expect(sameVersion('3.8.1', '3.8.10')).toBe(false)
    expect(cleanVersion('v2.14.0')).toBe('2.14.0')
    expect(cleanVersion('v145')).toBe('v145')
  })
})

describe('migrations and schema errors', () => {
  it.each(MIGRATIONS.map((m) => [m.id, m] as const))('%s reads its own sample line', (_id, m) => {
    const found = matchMigration(m.sample)
    expect(found?.pattern.id).toBe(m.id)
    expect(found?.id ?? null).toBe(m.expectId)
  })

  it.each(SCHEMA_ERRORS.map((p) => [p.id, p] as const))('%s reads its own sample line', (_id, p) => {
    expect(matchSchemaError(p.sample)?.id).toBe(p.id)
  })

  it('leaves errors that are not about the schema alone', () => {
    for (const text of ['connection to server at "pg-main" (10.0.0.5), port 5432 failed: Connection refused', 'duplicate key value violates unique constraint "orders_pkey"', 'relation between user and order is invalid: no owner', 'HikariPool-1 - Connection is not available, request timed out after 30000ms.'])
      expect(matchSchemaError(text), text).toBeNull()
    expect(matchMigration('INFO  Running the job migrate-cold-storage nightly')).toBeNull()
  })
})

describe('banners a sample line does not show', () => {
  it("php-fpm's second readiness line", () => {
    expect(matchBanner('[12-Mar-2024 08:00:02] NOTICE: ready to handle connections')?.pattern.id).toBe('php-fpm-ready')
  })
})
