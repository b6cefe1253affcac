import { z } from 'zod'
import { LOG_FORMATS } from '../model/evidence'

/** `analyze --format json` (schema triage500.analysis/v1): every field present, null or [] when it does not apply. */
export const PLAYBOOKS = ['rollback', 'dependency', 'config', 'endpoint', 'intermittent', 'upstream', 'unavailable', 'none'] as const
export type Playbook = (typeof PLAYBOOKS)[number]
export const INTERMITTENT_PATTERNS = ['traffic', 'data', 'time-of-day', 'unknown'] as const

const iso = z.string()

export const AnalysisSource = z.object({
  path: z.string(),
  format: z.enum(LOG_FORMATS),
  lines: z.number().int(),
  events: z.number().int(),
  unparsed: z.number().int()
})

export const ErrorGroupJson = z.object({
  id: z.string(),
  type: z.string(),
  message: z.string(),
  count: z.number().int(),
  firstSeen: iso.nullable(),
  lastSeen: iso.nullable(),
  endpoints: z.array(z.string()),
  sample: z.string(),
  newSinceDeploy: z.boolean()
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
    .object({ version: z.string(), at: iso, errorRateBefore: z.number(), errorRateAfter: z.number() })
    .nullable(),
  dependency: z.object({ target: z.string(), from: iso.nullable(), to: iso.nullable() }).nullable(),
  missingConfig: z.array(z.string()),
  endpoint: z.object({ method: z.string(), route: z.string(), errorRate: z.number(), shareOfErrors: z.number() }).nullable(),
  intermittent: z.object({ pattern: z.enum(INTERMITTENT_PATTERNS), keys: z.array(z.string()) }).nullable(),
  errorGroups: z.array(ErrorGroupJson),
  replay: z.object({ method: z.string(), url: z.string(), curl: z.string() }).nullable()
})
export type AnalysisV1 = z.infer<typeof AnalysisV1>
