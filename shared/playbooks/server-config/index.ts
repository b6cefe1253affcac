import { deployCorrelation, monitor } from '../../runbook/steps'
import { fixServerConfig, lastConfigChange } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'
import { detectServerConfig } from './detect'

/** The web server / FastCGI error log shows a misconfiguration for the failing requests. */
export const meta = {
  id: 'server-config',
  // After config (5), before endpoint (6).
  rank: 5.5,
  why: 'The web server’s own words about its configuration name the fix for the paths that fail; a deploy, a bad instance, an exhausted limit or a failing dependency explains more when they line up, while the proxy 502s it causes are its symptom.',
  title: 'The web server is misconfigured',
  firstAction: 'Fix the server configuration for that path; check the last configuration change.',
  explains: ['upstream']
} satisfies PlaybookMeta<'server-config'>

export const serverConfig = {
  ...meta,
  detect: ({ ctx }) => {
    const found = detectServerConfig(ctx)
    return found === null ? null : { finding: found.finding, fields: { serverConfig: found.field } }
  },
  steps: (ctx) => [fixServerConfig(ctx), lastConfigChange(ctx), deployCorrelation(ctx, 'Rule out the last deploy'), monitor(ctx)],
  impact: (a) => {
    const sc = a.v1.serverConfig
    return sc ? [['Server misconfiguration', `${sc.message}${sc.path ? ` on ${sc.path}` : ''}`]] : []
  }
} satisfies PlaybookModule<'server-config'>
