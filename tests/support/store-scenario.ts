/**
 * A generated incident (not real logs) in the shapes real stacks write, for the store tests: an
 * nginx JSON access log (`log_format … escape=json` with $time_iso8601, $request_uri, $status,
 * $upstream_addr…) and a Spring Boot app's logstash-logback-encoder JSON log. At `deployAt`
 * v2.8.0 ships and GET /api/orders/:id/invoice starts answering 500 with a NullPointerException;
 * a payment-gateway timeout hums along at a low rate before and after. The same rows are written
 * as files and loaded into ClickHouse tables, so `analyze` can read both and must agree.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'

export const SCENARIO_START = Date.UTC(2026, 2, 10, 14, 0, 0)
export const SCENARIO_MINUTES = 20
export const DEPLOY_AT = SCENARIO_START + 12 * 60_000

function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const UPSTREAMS = ['10.0.3.14:8080', '10.0.3.15:8080', '10.0.3.16:8080']
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'okhttp/4.12.0'
]
const NPE_STACK = [
  'java.lang.NullPointerException: Cannot invoke "com.shop.billing.TaxRate.apply(java.math.BigDecimal)" because "rate" is null',
  '\tat com.shop.billing.InvoiceService.render(InvoiceService.java:88)',
  '\tat com.shop.orders.OrderController.invoice(OrderController.java:142)',
  '\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)',
  '\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)',
  '\tat org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:61)'
].join('\n')
const TIMEOUT_STACK = [
  'java.net.SocketTimeoutException: Read timed out',
  '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
  '\tat com.shop.payments.GatewayClient.capture(GatewayClient.java:57)',
  '\tat com.shop.orders.CheckoutService.pay(CheckoutService.java:119)'
].join('\n')

export interface ScenarioRows {
  access: Record<string, unknown>[]
  app: Record<string, unknown>[]
}

/** Whole-second times in the access log (nginx's $time_iso8601), milliseconds in the app's. */
export function scenarioRows(seed = 17): ScenarioRows {
  const random = prng(seed)
  const access: Record<string, unknown>[] = []
  const app: Record<string, unknown>[] = []
  const end = SCENARIO_START + SCENARIO_MINUTES * 60_000
  let requestNo = 0
  for (let second = SCENARIO_START; second < end; second += 1000) {
    const perSecond = 6 + Math.floor(random() * 5)
    for (let i = 0; i < perSecond; i++) {
      requestNo++
      const id = 10_000 + Math.floor(random() * 5000)
      const pick = random()
      let method = 'GET'
      let uri: string
      if (pick < 0.35) uri = `/api/products/${id}`
      else if (pick < 0.55) uri = `/api/orders/${id}/invoice`
      else if (pick < 0.7) uri = `/api/cart?session=${id}`
      else if (pick < 0.8) {
        method = 'POST'
        uri = '/api/checkout'
      } else uri = '/healthz'
      const upstream = UPSTREAMS[requestNo % UPSTREAMS.length]
      const requestId = `${(requestNo * 2654435761 >>> 0).toString(16).padStart(8, '0')}${requestNo.toString(16).padStart(8, '0')}`
      let status = random() < 0.01 ? 404 : 200
      const msInSecond = Math.floor(random() * 1000)
      const appTime = new Date(second + msInSecond).toISOString()
      if (uri.includes('/invoice') && second >= DEPLOY_AT && random() < 0.6) {
        status = 500
        app.push({
          '@timestamp': appTime,
          '@version': '1',
          message: `Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: java.lang.NullPointerException] with root cause`,
          logger_name: 'org.apache.catalina.core.ContainerBase.[Tomcat].[localhost].[/].[dispatcherServlet]',
          thread_name: `http-nio-8080-exec-${1 + (requestNo % 20)}`,
          level: 'ERROR',
          level_value: 40000,
          stack_trace: NPE_STACK,
          HOSTNAME: `shop-api-7d9f8b6c4-${['x2kqp', 'm8wzt', 'q4hjn'][requestNo % 3]}`
        })
      } else if (method === 'POST' && random() < 0.04) {
        status = 502
        app.push({
          '@timestamp': appTime,
          '@version': '1',
          message: `Payment capture failed for order ${id}: gateway did not answer within 3000 ms`,
          logger_name: 'com.shop.orders.CheckoutService',
          thread_name: `http-nio-8080-exec-${1 + (requestNo % 20)}`,
          level: 'ERROR',
          level_value: 40000,
          stack_trace: TIMEOUT_STACK,
          HOSTNAME: `shop-api-7d9f8b6c4-${['x2kqp', 'm8wzt', 'q4hjn'][requestNo % 3]}`
        })
      } else if (random() < 0.05) {
        app.push({
          '@timestamp': appTime,
          '@version': '1',
          message: `Completed ${method} ${uri.split('?')[0]} in ${5 + Math.floor(random() * 40)} ms`,
          logger_name: 'com.shop.web.RequestLoggingFilter',
          thread_name: `http-nio-8080-exec-${1 + (requestNo % 20)}`,
          level: 'INFO',
          level_value: 20000,
          HOSTNAME: `shop-api-7d9f8b6c4-${['x2kqp', 'm8wzt', 'q4hjn'][requestNo % 3]}`
        })
      }
      access.push({
        time_iso8601: new Date(second).toISOString().replace('.000Z', '+00:00'),
        remote_addr: `203.0.113.${1 + (requestNo % 200)}`,
        request_method: method,
        request_uri: uri,
        status,
        body_bytes_sent: status === 200 ? 200 + Math.floor(random() * 3000) : 150,
        request_time: Math.round((0.005 + random() * 0.2) * 1000) / 1000,
        upstream_addr: upstream,
        http_user_agent: AGENTS[requestNo % AGENTS.length],
        request_id: requestId
      })
    }
  }
  app.sort((a, b) => String(a['@timestamp']).localeCompare(String(b['@timestamp'])))
  return { access, app }
}

export const ACCESS_TABLE_COLUMNS =
  '(time_iso8601 DateTime, remote_addr String, request_method String, request_uri String, status UInt16, body_bytes_sent UInt64, request_time Float64, upstream_addr String, http_user_agent String, request_id String)'
export const APP_TABLE_COLUMNS =
  '(`@timestamp` String, `@version` String, message String, logger_name String, thread_name String, level String, level_value UInt32, stack_trace String, HOSTNAME String)'

/** The rows as ClickHouse's JSONEachRow input (18.16 reads DateTime as `YYYY-MM-DD hh:mm:ss` only). */
export function accessInsertBody(rows: Record<string, unknown>[]): string {
  return rows.map((r) => JSON.stringify({ ...r, time_iso8601: String(r.time_iso8601).slice(0, 19).replace('T', ' ') })).join('\n')
}

export const jsonLines = (rows: Record<string, unknown>[]): string => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

/** Writes access.log, app.log and deploys.json into `dir`; returns their paths. */
export function writeScenarioFiles(dir: string, rows: ScenarioRows): { access: string; app: string; deploys: string } {
  const files = { access: path.join(dir, 'access.log'), app: path.join(dir, 'app.log'), deploys: path.join(dir, 'deploys.json') }
  writeFileSync(files.access, jsonLines(rows.access))
  writeFileSync(files.app, jsonLines(rows.app))
  writeFileSync(files.deploys, JSON.stringify([{ version: 'v2.8.0', at: new Date(DEPLOY_AT).toISOString() }]))
  return files
}
