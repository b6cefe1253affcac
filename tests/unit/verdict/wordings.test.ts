import { describe, expect, it } from 'vitest'
import { configNames } from '../../../shared/analysis/verdict/config'
import { dependencyTarget, matchDependency } from '../../../shared/analysis/verdict/signatures'
import { chooseBucketMs } from '../../../shared/analysis/verdict/series'
import { curlFor, redactQuery } from '../../../shared/analysis/verdict/replay'
import { isIdempotent } from '../../../shared/model/methods'
import { idsInMessage, idsInPath, recordIdLabel } from '../../../shared/analysis/verdict/ids'

describe('missing configuration, in the words of each stack', () => {
  const cases: [string, string, string[]][] = [
    ['node', 'Error: Missing required environment variable: PAYMENTS_API_KEY', ['PAYMENTS_API_KEY']],
    ['node', 'TypeError: process.env.STRIPE_SECRET is undefined', ['STRIPE_SECRET']],
    ['node', 'REDIS_URL is not defined in env', ['REDIS_URL']],
    ['node zod', '❌ Invalid environment variables: { DATABASE_URL: [ \'Required\' ], SMTP_HOST: [ \'Required\' ] }', ['DATABASE_URL', 'SMTP_HOST']],
    ['node envalid', 'Missing environment variables:\n    JWT_SECRET: undefined', ['JWT_SECRET']],
    ['node', 'Environment variable "SENTRY_DSN" is not set', ['SENTRY_DSN']],
    ['python os.environ', 'Traceback (most recent call last):\n  File "/app/settings.py", line 3, in <module>\n    DB = os.environ["DATABASE_URL"]\nKeyError: \'DATABASE_URL\'', ['DATABASE_URL']],
    ['python pydantic', 'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings\ndatabase_url\n  Field required [type=missing, input_value={}, input_type=dict]', ['database_url']],
    ['django', 'django.core.exceptions.ImproperlyConfigured: Set the SECRET_KEY environment variable', ['SECRET_KEY']],
    ['django', 'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.', ['SECRET_KEY']],
    ['spring', 'java.lang.IllegalArgumentException: Could not resolve placeholder \'payments.api.key\' in value "${payments.api.key}"', ['payments.api.key']],
    ['spring', 'Failed to bind properties under \'spring.datasource.url\' to java.lang.String', ['spring.datasource.url']],
    ['go envconfig', 'envconfig.Process: required key PAYMENTS_API_KEY missing value', ['PAYMENTS_API_KEY']],
    ['go env', 'env: required environment variable "DATABASE_URL" is not set', ['DATABASE_URL']],
    ['rails', 'KeyError: key not found: "STRIPE_API_KEY"', ['STRIPE_API_KEY']],
    ['rails', "ArgumentError: Missing `secret_key_base` for 'production' environment, set this string with `bin/rails credentials:edit`", ['secret_key_base']]
  ]
  it.each(cases)('%s: %s', (_stack, text, expected) => {
    expect(configNames(text)).toEqual(expected)
  })

  it('ignores key lookups that are not environment variables, and ordinary errors', () => {
    expect(configNames("KeyError: 'user_id'")).toEqual([])
    expect(configNames('KeyError: key not found: "name"')).toEqual([])
    expect(configNames("TypeError: Cannot read properties of undefined (reading 'price')")).toEqual([])
    expect(configNames('Missing configuration file, using defaults')).toEqual([])
  })
})

describe('dependency failures and the peer they name', () => {
  const cases: [string, string, string | null][] = [
    ['refused', 'Error: connect ECONNREFUSED 10.0.0.5:5432', 'postgres'],
    ['refused', 'Redis connection to redis:6379 failed - connect ECONNREFUSED 172.18.0.3:6379', 'redis:6379'],
    ['dns', 'Error: getaddrinfo ENOTFOUND payments-api', 'payments-api'],
    ['dns', 'Get "http://payments-api/charge": dial tcp: lookup payments-api on 10.96.0.10:53: no such host', 'payments-api'],
    ['refused', 'psycopg2.OperationalError: could not connect to server: Connection refused\n\tIs the server running on host "postgres" (172.18.0.2) and accepting TCP/IP connections on port 5432?', 'postgres'],
    ['pool', 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.', 'database'],
    ['pool', 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30', 'database'],
    ['pool', 'FATAL: remaining connection slots are reserved for non-replication superuser connections', null],
    ['timeout', 'Error: ETIMEDOUT connect to https://payments.example.com:443/v1/charges', 'payments.example.com'],
    ['reset', 'Error: read ECONNRESET', null],
    ['dns', 'could not translate host name "db.internal" to address: Name or service not known', 'db.internal'],
    ['client', 'redis.exceptions.ConnectionError: Error 111 connecting to cache:6379. Connection refused.', 'cache:6379'],
    ['refused', "Can't connect to MySQL server on 'mysql-primary' (111)", 'mysql-primary']
  ]
  it.each(cases)('%s: %s', (kind, text, target) => {
    const m = matchDependency(text)
    expect(m).not.toBeNull()
    if (kind !== 'client') expect(m?.kind).toBe(kind)
    expect(m?.target).toBe(target)
  })

  it('a bad query is the code, not the database', () => {
    expect(matchDependency('psycopg2.errors.UndefinedColumn: column "currency" does not exist')).toBeNull()
    expect(matchDependency("TypeError: Cannot read properties of undefined (reading 'price')")).toBeNull()
  })

  it('names the technology when no host is given', () => {
    expect(dependencyTarget('RedisTimeoutException: Command timed out')).toBe('redis')
  })
})

describe('helpers', () => {
  it('snaps the bucket width to the window: about 60 to 240 buckets', () => {
    expect(chooseBucketMs(60_000)).toBe(1000)
    expect(chooseBucketMs(10 * 60_000)).toBe(5000)
    expect(chooseBucketMs(60 * 60_000)).toBe(30_000)
    expect(chooseBucketMs(4 * 3_600_000)).toBe(60_000)
    expect(chooseBucketMs(24 * 3_600_000)).toBe(900_000)
    expect(chooseBucketMs(4 * 86_400_000)).toBe(1_800_000)
  })

  it('replays idempotent methods only, without secrets', () => {
    expect(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotent)).toBe(true)
    expect(isIdempotent('POST') || isIdempotent('PATCH')).toBe(false)
    expect(redactQuery('/a?token=abc&user=4&api_key=zz&q=x')).toBe('/a?token=REDACTED&user=4&api_key=REDACTED&q=x')
    expect(curlFor('GET', "http://localhost/it's", 'r-1')).toBe(`curl -sS -X GET 'http://localhost/it'\\''s' -H 'X-Request-Id: r-1'  # host not in the log: localhost assumed`)
    expect(curlFor('PATCH', 'http://localhost/x', null)).toMatch(/^# PATCH is not idempotent[^\n]*\ncurl -sS -X PATCH 'http:\/\/localhost\/x'/)
    expect(curlFor('GET', 'http://localhost/x', null)).not.toMatch(/Authorization|Cookie/i)
  })

  it('finds record ids in paths, queries and messages', () => {
    expect(idsInPath('/api/users/4242/profile?tab=1')).toEqual([{ value: '4242', name: null }])
    expect(idsInPath('/api/orders?user_id=4242&page=2')).toEqual([{ value: '4242', name: 'user_id' }])
    expect(idsInMessage('invoice render failed for user 4242 (order_id=981)').map(recordIdLabel)).toEqual(['user=4242', 'order_id=981'])
    expect(idsInMessage('user not found')).toEqual([])
  })

  it('never takes a secret-named key for a record id', () => {
    expect(idsInPath('/api/orders/7?api_key=K1&secret_key=K2&access_key=K3&session_id=K4&sessionId=K5&token_id=K6&order_id=981').map(recordIdLabel)).toEqual(['7', 'order_id=981'])
    expect(idsInMessage('lookup failed for session-id 9f3a1 and session_id=77b2, order 981').map(recordIdLabel)).toEqual(['order=981'])
  })
})
