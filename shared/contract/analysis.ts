import { z } from 'zod'
import { DEPLOY_ORIGINS, FIELD_ROLES, FORMAT_ID_PATTERN } from '../model/evidence'
import { CRAWLER_VERIFICATIONS } from '../analysis/crawlers'

/** A log format id: formats are data, so the contract checks the id's shape, not a closed list. */
export const FormatId = z.string().regex(FORMAT_ID_PATTERN)
/** Which field plays each role (`status` ← `response_code`): a role name to a JSON path or logfmt key. */
export const FieldMapSchema = z.partialRecord(z.enum(FIELD_ROLES), z.string().min(1).max(200))

/** `analyze --format json` (schema triage500.analysis/v1): every field present, null or [] when it does not apply. */
export const PLAYBOOKS = ['unreadable', 'rollback', 'instance', 'resource', 'dependency', 'config', 'server-config', 'endpoint', 'intermittent', 'upstream', 'unavailable', 'none'] as const
export type Playbook = (typeof PLAYBOOKS)[number]
export const INTERMITTENT_PATTERNS = ['traffic', 'data', 'time-of-day', 'unknown'] as const
/** Which hard limit ran out: `resource.kind`. */
export const RESOURCE_KINDS = ['memory', 'file-descriptors', 'threads', 'disk'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]
/** Which misconfiguration the web server's error log names: `serverConfig.kind`. */
export const SERVER_CONFIG_KINDS = ['socket', 'rewrite-cycle', 'docroot', 'script-headers', 'header-size', 'script-unknown'] as const
export type ServerConfigKind = (typeof SERVER_CONFIG_KINDS)[number]
/** How the unexplained 5xx look over time: separate bursts, or one sustained step up (which is not "intermittent"). */
export const INTERMITTENT_SHAPES = ['bursts', 'step'] as const

const iso = z.string()

export const AnalysisSource = z.object({
  path: z.string(),
  format: FormatId,
  lines: z.number().int(),
  events: z.number().int(),
  /** Lines inside those events (folded lines included): lines = eventLines + directiveLines + unparsed. */
  eventLines: z.number().int(),
  /** Lines read as format directives (W3C `#Fields:`): no event, not unparsed. */
  directiveLines: z.number().int(),
  unparsed: z.number().int(),
  /** unparsed / lines. */
  unparsedShare: z.number(),
  /** The field map the file was read with (inferred or corrected); null for fixed layouts. */
  fieldMap: FieldMapSchema.nullable(),
  /** Why most of this source is unread, in words; null when it reads. */
  unread: z.string().nullable(),
  /** The commonest shapes of its unparsed lines (values masked), most frequent first. */
  unreadShapes: z.array(z.object({ shape: z.string(), count: z.number().int() }))
})

/** A Sentry issue as the analysis cites it: the link the engineer opens and what the tracker counted. */
export const SentryLink = z.object({
  issueId: z.string(),
  shortId: z.string(),
  /** The issue's page on the Sentry the user configured (http(s) only). */
  permalink: z.string(),
  /** The latest event's release, null when the SDK sent none. */
  release: z.string().nullable(),
  /** Distinct users Sentry counted for the issue (its `userCount`). */
  users: z.number().int(),
  /** Events Sentry counted for the issue (its `count`). */
  count: z.number().int()
})
export type SentryLink = z.infer<typeof SentryLink>

/** A Sentry issue no error group of the logs matched: the tracker saw an error the logs did not show. */
export const SentryOnlyIssue = SentryLink.extend({
  title: z.string(),
  /** The latest event's exception type, null when it had none. */
  type: z.string().nullable(),
  /** Where Sentry says it happened (`app.views in checkout`). */
  culprit: z.string().nullable(),
  firstSeen: iso.nullable(),
  lastSeen: iso.nullable()
})
export type SentryOnlyIssue = z.infer<typeof SentryOnlyIssue>

export const ErrorGroupJson = z.object({
  id: z.string(),
  type: z.string(),
  message: z.string(),
  count: z.number().int(),
  firstSeen: iso.nullable(),
  lastSeen: iso.nullable(),
  endpoints: z.array(z.string()),
  sample: z.string(),
  newSinceDeploy: z.boolean(),
  /**
   * The Sentry issue of the same bug (same exception type and top in-app frames); null when no
   * Sentry was read or none matched. Always written; optional only so analyses saved before it still read.
   */
  sentry: SentryLink.nullable().optional()
})
export type ErrorGroupJson = z.infer<typeof ErrorGroupJson>

export const AnalysisV1 = z.object({
  schema: z.literal('triage500.analysis/v1'),
  window: z.object({ from: iso, to: iso }).nullable(),
  sources: z.array(AnalysisSource),
  requests: z.number().int(),
  statusCounts: z.record(z.string(), z.number().int()),
  verdict: z.object({ playbook: z.enum(PLAYBOOKS), confidence: z.number(), reasons: z.array(z.string()) }).nullable(),
  suspectDeploy: z
    .object({
      version: z.string(),
      at: iso,
      errorRateBefore: z.number(),
      errorRateAfter: z.number(),
      /** Where the deploy is known from: the given deploy history, the polled deploy endpoint, or the app's own log (banners, version fields). */
      source: z.enum(DEPLOY_ORIGINS),
      /**
       * Whether the logs show a schema migration running with the deploy (`ran`: null when no log
       * of the app's startup around it was read) and whether the errors after it point at the
       * schema (missing column or table, type mismatch, pending migration); null without app logs.
       */
      migration: z.object({ ran: z.boolean().nullable(), schemaErrors: z.boolean() }).nullable()
    })
    .nullable(),
  dependency: z
    .object({
      /** The health target (`target/component` when the check names the component that is down), else the host or service the errors name. */
      target: z.string(),
      from: iso.nullable(),
      to: iso.nullable(),
      /** The failing health check that explains the failures, as the detector found it; null when only the app's errors point at the dependency. */
      health: z
        .object({
          /** The health target's own name, as configured (the key of its URL). */
          target: z.string(),
          /** The component the check reported down (`db`), if it named one. */
          component: z.string().nullable(),
          /** What the check said (`status 503; down: db DOWN`). */
          detail: z.string().nullable(),
          from: iso,
          to: iso
        })
        .nullable(),
      /** The error groups whose text reads as a dependency failure (refused, timeout, pool, DNS, reset, client error), most frequent first. */
      groupIds: z.array(z.string())
    })
    .nullable(),
  missingConfig: z.array(z.string()),
  endpoint: z.object({ method: z.string(), route: z.string(), errorRate: z.number(), shareOfErrors: z.number() }).nullable(),
  intermittent: z.object({ pattern: z.enum(INTERMITTENT_PATTERNS), keys: z.array(z.string()), shape: z.enum(INTERMITTENT_SHAPES) }).nullable(),
  /** The one instance the 5xx sit on, named as the logs write it (upstream address, pod, host, load-balancer target). */
  instance: z
    .object({
      name: z.string(),
      /** Its share of the 5xx that name an instance (of the app errors, when only the app logs name instances). */
      shareOfErrors: z.number(),
      /** Its own 5xx rate (of its app events that are errors, when only the app logs name instances). */
      errorRate: z.number()
    })
    .nullable(),
  /** The hard limit that ran out, and the instance it ran out on when it sits on one. */
  resource: z
    .object({
      kind: z.enum(RESOURCE_KINDS),
      instance: z.string().nullable(),
      /** What ran out, in words (`OutOfMemoryError: Java heap space`, `OOM kill`, `Too many open files`). */
      what: z.string(),
      /** Lines that say so during the incident. */
      count: z.number().int(),
      /** The limit killed the process more than once, or a supervisor reported a restart back-off. */
      crashLoop: z.boolean(),
      /** The error groups that say a limit ran out, most frequent first. */
      groupIds: z.array(z.string())
    })
    .nullable(),
  /** The web server's misconfiguration: the request path it hits (null when it hits every path) and the server's own words. */
  serverConfig: z
    .object({
      path: z.string().nullable(),
      message: z.string(),
      kind: z.enum(SERVER_CONFIG_KINDS),
      /** The socket, directory or file the message names (`unix:/run/php/php8.2-fpm.sock`), if any. */
      target: z.string().nullable(),
      /** Error-log lines that say so during the evidence window. */
      count: z.number().int()
    })
    .nullable(),
  errorGroups: z.array(ErrorGroupJson),
  /**
   * Sentry issues of the window no error group matched; null when no Sentry was read. Optional
   * only so analyses saved before it still read.
   */
  sentryOnly: z.array(SentryOnlyIssue).nullable().optional(),
  replay: z.object({ method: z.string(), url: z.string(), curl: z.string() }).nullable(),
  /** Who the 5xx hurt; null when no request was read. */
  impact: z
    .object({
      /** Distinct clients that got a 5xx: by client/device/idempotency key where logged, else address + user agent. */
      clients: z.number().int(),
      /** Whether `clients` is an estimate (past the exact bound). */
      clientsEstimated: z.boolean(),
      /** 5xx whose client the log does not name: not in `clients`. */
      unidentified5xx: z.number().int(),
      /** Search crawlers that got a 5xx, most 5xx first; a spoofed claim is its own row. */
      crawlers: z.array(
        z.object({
          agent: z.string(),
          requests5xx: z.number().int(),
          urls: z.number().int(),
          verification: z.enum(CRAWLER_VERIFICATIONS),
          /** First and last 5xx the crawler got: URLs that fail for weeks drop out of the index. */
          from: iso.nullable(),
          to: iso.nullable()
        })
      ),
      /** POST/PATCH re-sent by the same client to the same path within 60 s after a 5xx. */
      retriedNonIdempotent: z.number().int(),
      /** 5xx a CDN served from its cache. */
      cached5xx: z.number().int(),
      /** Whether any request logged a cache status: without one, `cached5xx` 0 says nothing. */
      cacheLogged: z.boolean(),
      /** Whether any 5xx logged a user agent: without one, no crawler row says nothing. */
      agentsLogged: z.boolean()
    })
    .nullable()
})
export type AnalysisV1 = z.infer<typeof AnalysisV1>

/** What a reason points at, so the UI can jump to it and the report can cite it. */
export const EvidenceRef = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deploy'), version: z.string(), at: iso }),
  /** `target` is the health target's name; `component`, when set, the component of it that was down. */
  z.object({ kind: z.literal('health'), target: z.string(), component: z.string().nullable().optional(), from: iso.nullable(), to: iso.nullable() }),
  z.object({ kind: z.literal('group'), groupId: z.string() }),
  z.object({ kind: z.literal('route'), method: z.string(), route: z.string() }),
  z.object({ kind: z.literal('window'), from: iso, to: iso }),
  z.object({ kind: z.literal('line'), path: z.string(), line: z.number().int() }),
  z.object({ kind: z.literal('config'), name: z.string() })
])
export type EvidenceRef = z.infer<typeof EvidenceRef>

export const Reason = z.object({ text: z.string(), evidence: z.array(EvidenceRef) })
export type Reason = z.infer<typeof Reason>

/** One playbook that the evidence supports; the verdict is the first by precedence. */
export const Finding = z.object({
  playbook: z.enum(PLAYBOOKS),
  confidence: z.number(),
  reasons: z.array(Reason)
})
export type Finding = z.infer<typeof Finding>

export const TimelineBucket = z.object({
  /** Bucket start, epoch ms. */
  t: z.number(),
  total: z.number(),
  s5xx: z.number(),
  s4xx: z.number(),
  s500: z.number(),
  s502: z.number(),
  s503: z.number(),
  s504: z.number(),
  appErrors: z.number()
})
export type TimelineBucket = z.infer<typeof TimelineBucket>

export const RouteSummary = z.object({ method: z.string(), route: z.string(), total: z.number(), s5xx: z.number(), errorRate: z.number() })
export type RouteSummary = z.infer<typeof RouteSummary>

export const HealthBand = z.object({ from: z.number(), to: z.number(), ok: z.boolean(), detail: z.string().nullable() })

/**
 * Everything the screen and the report need from the analysis. `v1` is exactly what
 * `analyze --format json` prints; the rest is detail for the timeline, banner and runbook.
 */
export const AnalysisSnapshot = z.object({
  v1: AnalysisV1,
  /** Every playbook that holds, primary first; `v1.verdict` mirrors findings[0]. */
  findings: z.array(Finding),
  timeline: z.object({ bucketMs: z.number(), buckets: z.array(TimelineBucket) }),
  deploys: z.array(z.object({ version: z.string(), at: z.number(), commit: z.string().nullable(), previousVersion: z.string().nullable() })),
  health: z.array(z.object({ target: z.string(), bands: z.array(HealthBand) })),
  routes: z.array(RouteSummary),
  /** Baseline 5xx rate and where it changed (change points), for the banner and the report. */
  baseline: z.object({ errorRate: z.number(), onset: z.number().nullable(), changePoints: z.array(z.number()) }),
  /** The full folded text of the top groups' sample events (stack traces), keyed by group id. */
  groupSamples: z.record(z.string(), z.string()),
  /** Where each of those samples was read, so the UI can page the raw lines around it. */
  groupLocations: z.record(z.string(), z.object({ path: z.string(), line: z.number().int() })),
  /**
   * The error group drawer's detail of the same top groups: events per timeline bucket (aligned
   * with `timeline.buckets`), the instances that wrote or answered them, and the deployed
   * version live when they happened (from the deploy history), most first.
   */
  groupDetails: z.record(
    z.string(),
    z.object({
      buckets: z.array(z.number().int()),
      instances: z.array(z.object({ name: z.string(), count: z.number().int() })),
      versions: z.array(z.object({ name: z.string(), count: z.number().int() }))
    })
  ),
  computedAt: z.number(),
  computeMs: z.number(),
  /** Live only: newer evidence has waited longer than the live budget behind this picture (the analysis is behind the logs). */
  behind: z.boolean().optional()
})
export type GroupDetail = AnalysisSnapshot['groupDetails'][string]
export type AnalysisSnapshot = z.infer<typeof AnalysisSnapshot>
