/**
 * A realistic report model: checkout starts answering 500 two minutes after deploy 2.15.0
 * (a NullPointerException in the new pricing code), the database health check flaps, the
 * engineer follows the rollback runbook. `plant` puts one secret of every kind into notes,
 * stack traces, the replay curl and source paths; `PLANTED` lists the raw values that must
 * never appear in a redacted report.
 */
import type { AnalysisSnapshot, TimelineBucket } from '../../../shared/contract/analysis'
import type { IncidentState, JournalEntry } from '../../../shared/contract/incident'
import type { ReportModel } from '../../../shared/report'

const T0 = Date.UTC(2026, 4, 1, 11, 30)
const MIN = 60_000
const iso = (ms: number): string => new Date(ms).toISOString()
const DEPLOY_AT = T0 + 31 * MIN
const ONSET = T0 + 33 * MIN

export interface PlantedSecret {
  kind: string
  /** The raw secret that must not survive redaction. */
  value: string
  /** A realistic line carrying it. */
  line: string
}

/** One secret of every kind; `tag` (capital letters) makes the values of each location distinct. */
export function secretsFor(tag: string): PlantedSecret[] {
  const t = tag.toUpperCase()
  const pad = (s: string, n: number, fill: string): string => (s + fill.repeat(n)).slice(0, n)
  const s = (kind: string, value: string, line: string): PlantedSecret => ({ kind, value, line })
  const jwt = `eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI${t}MTIzIn0.${t}dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U`
  return [
    s('bearer', `bEaReR${t}0123456789abcdefXYZ`, `retried the call with bearer bEaReR${t}0123456789abcdefXYZ and it still failed`),
    s('stripe-live', `sk_live_${t}51HxYzAbCdEf0123456789`, `payments client configured with sk_live_${t}51HxYzAbCdEf0123456789`),
    s('stripe-test', `sk_test_${t}51HxYzAbCdEf0123456789`, `staging uses sk_test_${t}51HxYzAbCdEf0123456789`),
    s('stripe-restricted', `rk_live_${t}51HxYzAbCdEf0123456789`, `refund worker key rk_live_${t}51HxYzAbCdEf0123456789`),
    s('aws-access-key', pad(`AKIA${t}`, 20, 'Q7EXAMPLE0'), `deployer uses ${pad(`AKIA${t}`, 20, 'Q7EXAMPLE0')} for S3`),
    s('aws-session-key', pad(`ASIA${t}`, 20, 'Y34FZKBOKM'), `temporary creds ${pad(`ASIA${t}`, 20, 'Y34FZKBOKM')} from STS`),
    s('aws-secret', pad(`wJalrXUtnFEMI/K7MDENG/bPxRfiCY${t}`, 40, 'Zz9+'), `aws_secret_access_key = ${pad(`wJalrXUtnFEMI/K7MDENG/bPxRfiCY${t}`, 40, 'Zz9+')}`),
    s('github-token', pad(`ghp_${t}`, 40, 'a1B2c3D4e5'), `CI token ${pad(`ghp_${t}`, 40, 'a1B2c3D4e5')} rotated`),
    s('github-pat', `github_pat_11${t}0abcdefghij_KLMNOPqrstuvwx0123456789`, `fine-grained github_pat_11${t}0abcdefghij_KLMNOPqrstuvwx0123456789 used by the bot`),
    s('slack-token', `xoxb-${t}1234567-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx`, `alerts posted with xoxb-${t}1234567-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx`),
    s('google-api-key', pad(`AIzaSyA-${t}`, 39, 'x_9Kq2'), `maps key ${pad(`AIzaSyA-${t}`, 39, 'x_9Kq2')} in config`),
    s('jwt', jwt, `request carried ${jwt}`),
    s('password-kv', `hunter2${t}pw`, `login failed for password=hunter2${t}pw`),
    s('password-json', `horse${t}battery`, `payload {"user":"bob","password":"horse${t}battery","remember":true}`),
    s('url-password', `pg${t}s3cret`, `DATABASE_URL=postgres://orders:pg${t}s3cret@db.internal:5432/orders`),
    s('cookie-header', `sess${t}abc123`, `Cookie: session=sess${t}abc123; theme=dark`),
    s('set-cookie', `sid${t}xyz789`, `Set-Cookie: sid=sid${t}xyz789; Path=/; HttpOnly`),
    s('session', `loose${t}value42`, `redirected with session=loose${t}value42`),
    s('authorization', `dXNlcjpwYXNzd29yZA${t}`, `Authorization: Basic dXNlcjpwYXNzd29yZA${t}`),
    s('email', `${t.toLowerCase()}.oncall@example.com`, `escalated to ${t.toLowerCase()}.oncall@example.com`)
  ]
}

export const PLANT_TAGS = { note: 'NOTE', trace: 'TRACE', curl: 'CURL', path: 'PATH', decision: 'DECIDE' } as const

/** Response-only or duplicate kinds a request line cannot carry (the curl's Authorization header carries the bearer). */
const NOT_IN_CURL = new Set(['set-cookie', 'authorization'])
const IN_PATHS = new Set(['email', 'stripe-live'])

/** Exactly the secrets `realisticModel({ plant: true })` contains, with where they are. */
export function plantedSecrets(): (PlantedSecret & { where: string })[] {
  return Object.entries(PLANT_TAGS).flatMap(([where, tag]) =>
    secretsFor(tag)
      .filter((s) => (tag === PLANT_TAGS.curl ? !NOT_IN_CURL.has(s.kind) : tag === PLANT_TAGS.path ? IN_PATHS.has(s.kind) : true))
      .map((s) => ({ where, ...s }))
  )
}

const JAVA_TRACE = `java.lang.NullPointerException: Cannot invoke "com.acme.pricing.Discount.apply(java.math.BigDecimal)" because "discount" is null
\tat com.acme.pricing.PriceCalculator.total(PriceCalculator.java:88)
\tat com.acme.checkout.CheckoutService.quote(CheckoutService.java:142)
\tat com.acme.checkout.CheckoutController.checkout(CheckoutController.java:57)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)
\tat org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188)
\tat org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118)
\tat org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:926)
\tat org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.handleInternal(RequestMappingHandlerAdapter.java:831)
\tat org.springframework.web.servlet.mvc.method.AbstractHandlerMethodAdapter.handle(AbstractHandlerMethodAdapter.java:87)
\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)
\tat org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979)
\tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014)
\tat org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914)
\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)
\tat org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:205)
\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:149)
\tat org.apache.tomcat.websocket.server.WsFilter.doFilter(WsFilter.java:51)
Caused by: java.lang.IllegalStateException: discount table not loaded for region eu-west-1
\tat com.acme.pricing.DiscountTable.lookup(DiscountTable.java:31)
\t... 22 more`

const POOL_TRACE = `org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection
\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)
\tat com.acme.orders.OrderRepository.findById(OrderRepository.java:40)
Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.
\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)`

function buckets(): TimelineBucket[] {
  const out: TimelineBucket[] = []
  for (let i = 0; i < 90; i++) {
    const t = T0 + i * MIN
    const total = 1150 + Math.round(180 * Math.sin(i / 7)) + (i % 5) * 13
    const after = t >= ONSET && t < T0 + 71 * MIN
    const s500 = after ? Math.round(total * (0.18 + 0.05 * Math.sin(i / 3))) : i % 9 === 0 ? 1 : 0
    const s502 = t >= T0 + 52 * MIN && t < T0 + 56 * MIN ? 40 : 0
    out.push({ t, total, s5xx: s500 + s502, s4xx: Math.round(total * 0.02), s500, s502, s503: 0, s504: 0, appErrors: s500 })
  }
  return out
}

function analysis(plant: boolean): AnalysisSnapshot {
  const traceSecrets = plant ? secretsFor(PLANT_TAGS.trace).map((s) => s.line) : []
  const javaSample = plant ? JAVA_TRACE.replace('\n', `\n${traceSecrets.map((l) => `\tcontext: ${l}`).join('\n')}\n`) : JAVA_TRACE
  const curlSecrets = plant ? secretsFor(PLANT_TAGS.curl) : []
  const curlHeaders = plant
    ? ` -H 'Authorization: Bearer ${curlSecrets[0].value}' -H '${curlSecrets.find((s) => s.kind === 'cookie-header')?.line}' -H 'X-Debug: ${curlSecrets
        .filter((s) => s.kind !== 'bearer' && s.kind !== 'cookie-header' && !NOT_IN_CURL.has(s.kind))
        .map((s) => s.line.replace(/'/g, ''))
        .join(' ; ')}'`
    : " -H 'Accept: application/json'"
  const b = buckets()
  const requests = b.reduce((s, x) => s + x.total, 0)
  const s500 = b.reduce((s, x) => s + x.s500, 0)
  const s502 = b.reduce((s, x) => s + x.s502, 0)
  const sourcePath = plant ? `/var/log/checkout/${secretsFor(PLANT_TAGS.path).find((s) => s.kind === 'email')?.value}/access.log` : '/var/log/checkout/access.log'
  return {
    v1: {
      schema: 'triage500.analysis/v1',
      window: { from: iso(T0), to: iso(T0 + 90 * MIN) },
      sources: [
        { path: sourcePath, format: 'nginx-combined', lines: requests, events: requests, eventLines: requests - 3, directiveLines: 0, unparsed: 3, unparsedShare: 0, fieldMap: null, unread: null, unreadShapes: [] },
        { path: '/var/log/checkout/app.log', format: 'text-app', lines: 48_210, events: 9_804, eventLines: 48_210, directiveLines: 0, unparsed: 0, unparsedShare: 0, fieldMap: null, unread: null, unreadShapes: [] }
      ],
      requests,
      statusCounts: { '200': requests - s500 - s502 - 2300, '404': 2300, '500': s500, '502': s502, '503': 0, '504': 0 },
      verdict: { playbook: 'rollback', confidence: 0.92, reasons: ['The 5xx rate rose from 0.1% to 19.6% two minutes after deploy 2.15.0.'] },
      suspectDeploy: { version: '2.15.0', at: iso(DEPLOY_AT), errorRateBefore: 0.0011, errorRateAfter: 0.196, source: 'endpoint', migration: null },
      dependency: {
        target: 'orders-db',
        from: iso(T0 + 52 * MIN),
        to: iso(T0 + 56 * MIN),
        health: { target: 'orders-db', component: null, detail: 'status DOWN; failing: db (DOWN)', from: iso(T0 + 52 * MIN), to: iso(T0 + 56 * MIN) },
        groupIds: []
      },
      missingConfig: [],
      impact: {
        clients: 4_212,
        clientsEstimated: false,
        unidentified5xx: 0,
        crawlers: [
          { agent: 'Googlebot', requests5xx: 63, urls: 41, verification: 'verified', from: iso(ONSET + 90_000), to: iso(T0 + 69 * MIN) },
          { agent: 'Googlebot', requests5xx: 12, urls: 12, verification: 'spoofed', from: iso(ONSET + 300_000), to: iso(ONSET + 302_000) }
        ],
        retriedNonIdempotent: 318,
        cached5xx: 0,
        cacheLogged: false,
        agentsLogged: true
      },
      endpoint: { method: 'POST', route: '/api/checkout', errorRate: 0.41, shareOfErrors: 0.93 },
      intermittent: null,
      instance: null,
      resource: null,
      serverConfig: null,
      errorGroups: [
        {
          id: 'G7f3a9c21',
          type: 'java.lang.NullPointerException',
          message: 'Cannot invoke "com.acme.pricing.Discount.apply(java.math.BigDecimal)" because "discount" is null',
          count: 8_912,
          firstSeen: iso(ONSET + 4_000),
          lastSeen: iso(T0 + 70 * MIN),
          endpoints: ['POST /api/checkout', 'POST /api/cart/:id/quote'],
          sample: JAVA_TRACE.split('\n').slice(0, 4).join('\n'),
          newSinceDeploy: true
        },
        {
          id: 'G0c44be10',
          type: 'org.springframework.jdbc.CannotGetJdbcConnectionException',
          message: 'Failed to obtain JDBC Connection',
          count: 312,
          firstSeen: iso(T0 + 52 * MIN),
          lastSeen: iso(T0 + 56 * MIN),
          endpoints: ['GET /api/orders/:id'],
          sample: POOL_TRACE,
          newSinceDeploy: true
        }
      ],
      replay: {
        method: 'POST',
        url: 'https://checkout.internal/api/checkout?cart=8812',
        curl: `curl -X POST 'https://checkout.internal/api/checkout?cart=8812'${curlHeaders} -H 'Content-Type: application/json' --data-raw '{"cartId":8812,"currency":"EUR"}'`
      }
    },
    findings: [
      {
        playbook: 'rollback',
        confidence: 0.92,
        reasons: [
          { text: 'The 5xx rate rose from 0.1% to 19.6% two minutes after deploy 2.15.0.', evidence: [{ kind: 'deploy', version: '2.15.0', at: iso(DEPLOY_AT) }, { kind: 'window', from: iso(ONSET), to: iso(T0 + 71 * MIN) }] },
          { text: 'A new error group appeared after the deploy: java.lang.NullPointerException in PriceCalculator.total.', evidence: [{ kind: 'group', groupId: 'G7f3a9c21' }] }
        ]
      },
      {
        playbook: 'dependency',
        confidence: 0.41,
        reasons: [{ text: 'orders-db failed its health check for 4 minutes, overlapping 502s.', evidence: [{ kind: 'health', target: 'orders-db', from: iso(T0 + 52 * MIN), to: iso(T0 + 56 * MIN) }] }]
      }
    ],
    timeline: { bucketMs: MIN, buckets: b },
    deploys: [
      { version: '2.14.3', at: T0 + 2 * MIN, commit: '4b1e0a9d2c3f5e6a7b8c9d0e1f2a3b4c5d6e7f80', previousVersion: null },
      { version: '2.15.0', at: DEPLOY_AT, commit: '8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d', previousVersion: '2.14.3' },
      { version: '2.14.3', at: T0 + 68 * MIN, commit: '4b1e0a9d2c3f5e6a7b8c9d0e1f2a3b4c5d6e7f80', previousVersion: '2.15.0' }
    ],
    health: [
      { target: 'orders-db', bands: [{ from: T0, to: T0 + 52 * MIN, ok: true, detail: null }, { from: T0 + 52 * MIN, to: T0 + 56 * MIN, ok: false, detail: 'status DOWN; failing: db (DOWN)' }, { from: T0 + 56 * MIN, to: T0 + 90 * MIN, ok: true, detail: null }] },
      { target: 'payments-api', bands: [{ from: T0, to: T0 + 90 * MIN, ok: true, detail: null }] }
    ],
    routes: [
      { method: 'POST', route: '/api/checkout', total: 21_300, s5xx: 8_610, errorRate: 0.404 },
      { method: 'POST', route: '/api/cart/:id/quote', total: 9_800, s5xx: 302, errorRate: 0.031 },
      { method: 'GET', route: '/api/orders/:id', total: 31_000, s5xx: 312, errorRate: 0.01 },
      { method: 'GET', route: '/healthz', total: 5_400, s5xx: 0, errorRate: 0 }
    ],
    baseline: { errorRate: 0.0011, onset: ONSET, changePoints: [ONSET, T0 + 71 * MIN] },
    groupSamples: { G7f3a9c21: javaSample, G0c44be10: POOL_TRACE },
    groupLocations: { G7f3a9c21: { path: '/var/log/shop/api.log', line: 4812 } },
    groupDetails: {},
    computedAt: T0 + 90 * MIN,
    computeMs: 412
  }
}

function incident(plant: boolean): IncidentState {
  const noteSecrets = plant ? secretsFor(PLANT_TAGS.note).map((s) => s.line) : []
  const decisionSecrets = plant ? secretsFor(PLANT_TAGS.decision).map((s) => s.line) : []
  const pathSecrets = plant ? secretsFor(PLANT_TAGS.path) : []
  const tokenInPath = pathSecrets.find((s) => s.kind === 'stripe-live')?.value
  return {
    schema: 'triage500.incident/v1',
    id: '20260501-113400-7c1f2e',
    title: 'Checkout answering 500 after 2.15.0',
    createdAt: iso(T0 + 34 * MIN),
    closedAt: iso(T0 + 80 * MIN),
    sources: [
      { path: plant ? `/var/log/checkout/${pathSecrets.find((s) => s.kind === 'email')?.value}/access.log` : '/var/log/checkout/access.log', addedAt: iso(T0 + 35 * MIN), sizeBytes: 14_200_000, mtimeMs: T0 + 80 * MIN },
      { path: '/var/log/checkout/app.log', addedAt: iso(T0 + 35 * MIN), sizeBytes: 9_100_000, mtimeMs: T0 + 80 * MIN },
      ...(plant ? [{ path: `/tmp/export-token=${tokenInPath}/dump.log`, addedAt: iso(T0 + 36 * MIN), sizeBytes: 10, mtimeMs: T0 }] : [])
    ],
    targets: [{ kind: 'health', name: 'orders-db', url: 'https://orders.internal/actuator/health', intervalMs: 15_000, headerNames: ['Authorization'] }],
    chosenPlaybook: null,
    steps: {},
    notes: [
      { at: iso(T0 + 40 * MIN), text: 'Pricing team confirms 2.15.0 shipped the new discount table loader.' },
      { at: iso(T0 + 74 * MIN), text: 'Error rate back to baseline after the rollback.\nKeeping the incident open for 10 more minutes.' },
      ...noteSecrets.map((text, i) => ({ at: iso(T0 + 41 * MIN + i * 1000), text }))
    ],
    decisions: [
      { at: iso(T0 + 45 * MIN), text: 'Roll back to 2.14.3 now; investigate the discount loader offline.' },
      ...(plant ? [{ at: iso(T0 + 46 * MIN), text: decisionSecrets.join('\n') }] : [])
    ]
  }
}

function journal(plant: boolean): JournalEntry[] {
  const entries: JournalEntry[] = [
    { at: iso(T0 + 34 * MIN), kind: 'incident', text: 'Incident opened: Checkout answering 500 after 2.15.0', data: { action: 'created', title: 'Checkout answering 500 after 2.15.0' } },
    { at: iso(DEPLOY_AT), kind: 'deploy', text: 'Deploy 2.15.0 went live (commit 8c2d4e6f8a0b)', data: { version: '2.15.0', commit: '8c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d' } },
    { at: iso(ONSET), kind: 'detection', text: '5xx rate rose to 19.6% (baseline 0.1%)', data: { errorRate: 0.196, baselineRate: 0.0011 } },
    { at: iso(T0 + 36 * MIN), kind: 'verdict', text: 'Verdict: rollback (confidence 92%)', data: { playbook: 'rollback', confidence: 0.92, previous: null } },
    { at: iso(T0 + 45 * MIN), kind: 'decision', text: 'Roll back to 2.14.3 now; investigate the discount loader offline.' },
    { at: iso(T0 + 47 * MIN), kind: 'step', text: 'Step "Roll back" (rollback) marked checked: rolled back via Argo CD', data: { key: 'rollback:roll-back', status: 'checked', note: 'rolled back via Argo CD' } },
    { at: iso(T0 + 52 * MIN), kind: 'health', text: 'orders-db is failing: status DOWN; failing: db (DOWN)', data: { target: 'orders-db', ok: false } },
    { at: iso(T0 + 56 * MIN), kind: 'health', text: 'orders-db is healthy again', data: { target: 'orders-db', ok: true } },
    { at: iso(T0 + 74 * MIN), kind: 'note', text: 'Error rate back to baseline after the rollback.' },
    { at: iso(T0 + 80 * MIN), kind: 'incident', text: 'Incident closed: Checkout answering 500 after 2.15.0', data: { action: 'closed', title: 'Checkout answering 500 after 2.15.0' } }
  ]
  if (plant) for (const s of secretsFor(PLANT_TAGS.note)) entries.push({ at: iso(T0 + 42 * MIN), kind: 'note', text: s.line })
  return entries
}

export function realisticModel(opts: { plant?: boolean } = {}): ReportModel {
  const plant = opts.plant ?? false
  return {
    incident: incident(plant),
    analysis: analysis(plant),
    journal: journal(plant),
    runbook: {
      playbook: 'rollback',
      title: 'Roll back the deploy',
      steps: [
        { id: 'confirm-deploy', title: 'Confirm the deploy preceded the errors', status: 'auto-checked', evidence: ['Deploy 2.15.0 at 12:01 UTC; 5xx onset at 12:03 UTC (2 min later).', '5xx rate 0.1% before → 19.6% after.'], note: '' },
        { id: 'roll-back', title: 'Roll back to the previous version', status: 'checked', evidence: ['Previous version: 2.14.3 (commit 4b1e0a9d2c3f).'], note: 'rolled back via Argo CD at 12:17' },
        { id: 'verify', title: 'Verify the error rate returns to baseline', status: 'checked', evidence: ['5xx rate after 12:41 UTC: 0.1% (baseline 0.1%).'], note: '' },
        { id: 'new-groups', title: 'Look at the error groups new since the deploy', status: 'todo', evidence: ['java.lang.NullPointerException in PriceCalculator.total — 8,912 errors, first seen 12:03:04 UTC.'], note: '' },
        { id: 'forward-fix', title: 'Do not forward-fix under load', status: 'skipped', evidence: [], note: 'not applicable after rollback' }
      ]
    },
    generatedAt: iso(T0 + 95 * MIN)
  }
}
