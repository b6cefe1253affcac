/**
 * Words that follow the evidence: a step is not "intermittent", a refused connection is not an
 * exhausted pool, and a record id is not a count of users.
 */
import { describe, expect, it } from 'vitest'
import { emptyIncident } from '../../../shared/contract'
import { reportFacts } from '../../../shared/report/facts'
import { access, fail, min, type Req, T0, traffic } from './scenario'
import { analyzeFiles, springTime } from './judgement-run'

const started = `${springTime(T0 - 60_000)}  INFO 1 --- [           main] c.e.shop.ShopApplication                 : Started ShopApplication in 5.113 seconds (process running for 5.8)`

/** A Spring Boot request failure with its trace (default layout). */
const springError = (r: Req, n: number, head: string, trace: string[]): string[] => [
  `${springTime(r.time + 2)} ERROR 1 --- [nio-8080-exec-${1 + (n % 9)}] c.e.shop.web.ErrorLogger                 : ${head}`,
  ...trace
]

describe('wording follows the evidence', () => {
  it('calls a steady step from 0% to 20% a sustained step, not intermittent bursts', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 81 })
    const failed = fail(reqs, (r, rnd) => (r.time >= min(20) && rnd() < 0.2 ? 500 : null), 83)
    const log = [
      started,
      ...failed.flatMap((r, n) =>
        springError(r, n, `Request ${r.method} ${r.path} failed`, [
          'java.lang.IllegalStateException: Pricing rules not loaded',
          '\tat com.example.shop.pricing.PriceBook.current(PriceBook.java:51)',
          '\tat com.example.shop.CartService.total(CartService.java:88)'
        ])
      )
    ]
    const { snapshot, runbook } = await analyzeFiles({ 'access.log': access.nginx(reqs), 'shop.log': log.join('\n') + '\n' })
    const v1 = snapshot.v1
    expect(v1.verdict?.playbook).toBe('intermittent')
    expect(v1.intermittent?.shape).toBe('step')
    expect(runbook.title).toMatch(/^A sustained step in 5xx/)
    expect(runbook.title).not.toMatch(/intermittent/i)
    const lead = v1.verdict?.reasons[0] ?? ''
    expect(lead).toMatch(/^A sustained step, not bursts: 5xx went from 0(?:\.\d+)?% to (?:19|20|21)(?:\.\d+)?% at 13:50:\d\d UTC/)
    expect(lead).not.toMatch(/burst(?!s:)/)
  })

  it('says connection refused, not pool exhausted, for "Failed to obtain JDBC Connection … refused"', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 91 })
    const failed = fail(reqs, (r, rnd) => (r.time >= min(15) && r.time < min(28) && r.path !== '/health' && rnd() < 0.5 ? 500 : null), 93)
    const log = [
      started,
      ...failed.flatMap((r, n) =>
        springError(r, n, `Request ${r.method} ${r.path} failed`, [
          'org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is org.postgresql.util.PSQLException: Connection to pg-main:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
          '\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:82)',
          '\tat com.example.shop.CartRepository.find(CartRepository.java:40)',
          'Caused by: org.postgresql.util.PSQLException: Connection to pg-main:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.',
          '\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:319)',
          'Caused by: java.net.ConnectException: Connection refused',
          '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)',
          '\t... 41 common frames omitted'
        ])
      )
    ]
    const { snapshot } = await analyzeFiles({ 'access.log': access.nginx(reqs), 'shop.log': log.join('\n') + '\n' })
    const v1 = snapshot.v1
    expect(v1.verdict?.playbook).toBe('dependency')
    expect(v1.dependency?.target).toBe('pg-main:5432')
    const reasons = v1.verdict?.reasons.join('\n') ?? ''
    expect(reasons).toMatch(/connection refused ×\d/)
    expect(reasons).not.toMatch(/pool exhausted/)
  })

  it('shows the ids the failures recur on as ids, never as a count of users', async () => {
    const reqs = traffic({ minutes: 40, perSecond: 5, seed: 95 })
    // Every failure is about order 42 (bad data), spread through the window in bursts.
    const failed = fail(reqs, (r, rnd) => (r.path.startsWith('/api/orders/') && Math.floor((r.time - T0) / 300_000) % 2 === 1 && rnd() < 0.9 ? 500 : null), 97)
    for (const r of failed) r.path = '/api/orders/42'
    const log = [
      started,
      ...failed.flatMap((r, n) =>
        springError(r, n, `Request GET /api/orders/42 failed for order 42`, [
          'java.lang.NullPointerException: Cannot invoke "com.example.shop.Address.country()" because "order.shippingAddress" is null',
          '\tat com.example.shop.OrderView.of(OrderView.java:33)'
        ])
      )
    ]
    const { snapshot } = await analyzeFiles({ 'access.log': access.nginx(reqs), 'shop.log': log.join('\n') + '\n' })
    expect(snapshot.v1.intermittent?.keys).toEqual(['42'])
    const facts = reportFacts({ incident: emptyIncident('inc-1', 'Orders 500s', '2026-03-14T13:30:00Z'), analysis: snapshot, journal: [], runbook: null, generatedAt: '2026-03-14T14:30:00Z' })
    const rows = new Map(facts.impact)
    expect([...rows.keys()].some((k) => /users|affected/i.test(k) && rows.get(k) === '42')).toBe(false)
    expect(rows.get('Ids the failures recur on')).toBe('42')
  })
})
