/**
 * Error groups name one exception: type and message of the same one (the root cause of a
 * `Caused by` chain), and Tomcat's "threw exception […] with root cause" line and the trace it
 * prints after a blank line are one error, not two.
 */
import { describe, expect, it } from 'vitest'
import { analyzeFiles, springTime } from './judgement-run'

const T0 = Date.parse('2026-03-14T13:30:00Z')
const HIKARI = 'HikariPool-1 - Connection is not available, request timed out after 30000ms.'

/** logback's default pattern (`%d [%thread] %-5level %logger{36} - %msg%n`) as a Spring app configured it. */
function tomcatRootCause(t: number, thread: number): string[] {
  return [
    `${springTime(t)} [http-nio-8080-exec-${thread}] ERROR o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed; nested exception is org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: ${HIKARI}] with root cause`,
    '',
    `java.sql.SQLTransientConnectionException: ${HIKARI}`,
    '\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)',
    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:197)',
    '\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)',
    '\tat com.example.orders.OrderRepository.findById(OrderRepository.java:42)',
    '\tat com.example.orders.OrderService.get(OrderService.java:31)'
  ]
}

/** An app's own error with a wrapped cause, the way logback prints `Caused by`. */
function wrapped(t: number, thread: number): string[] {
  return [
    `${springTime(t)} [http-nio-8080-exec-${thread}] ERROR c.e.orders.InvoiceController - Invoice export failed`,
    'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "https://billing.partner.example/v2/invoices": Read timed out',
    '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:785)',
    '\tat com.example.orders.BillingClient.push(BillingClient.java:57)',
    '\tat com.example.orders.InvoiceController.export(InvoiceController.java:23)',
    'Caused by: java.net.SocketTimeoutException: Read timed out',
    '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
    '\tat com.example.orders.BillingClient.push(BillingClient.java:55)',
    '\t... 48 common frames omitted'
  ]
}

describe('error groups name one exception', () => {
  it('counts a "with root cause" line and its trace after a blank line as one error, titled by the root cause', async () => {
    const lines: string[] = [`${springTime(T0)} [main] INFO  c.e.orders.OrdersApplication - Started OrdersApplication in 6.512 seconds (process running for 7.1)`]
    for (let i = 0; i < 6; i++) lines.push(...tomcatRootCause(T0 + 60_000 + i * 7_000, 1 + i))
    const { snapshot } = await analyzeFiles({ 'orders.log': lines.join('\n') + '\n' })
    const groups = snapshot.v1.errorGroups
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(6)
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ type: 'java.sql.SQLTransientConnectionException', message: HIKARI, count: 6 })
    // The sample still shows the chain: the log line that announced it and the root cause's frames.
    expect(groups[0].sample).toContain('java.sql.SQLTransientConnectionException')
  })

  it('takes type and message from the same exception of a Caused-by chain', async () => {
    const lines: string[] = []
    for (let i = 0; i < 4; i++) lines.push(...wrapped(T0 + i * 30_000, 2 + i))
    const { snapshot } = await analyzeFiles({ 'orders.log': lines.join('\n') + '\n' })
    const [g] = snapshot.v1.errorGroups
    expect(g.count).toBe(4)
    expect(g.type).toBe('java.net.SocketTimeoutException')
    expect(g.message).toBe('Read timed out')
    expect(g.message).not.toContain('I/O error on POST')
  })
})
