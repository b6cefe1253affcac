import { detectConfig } from '../../analysis/verdict/config'
import { action, deployCorrelation, missingConfig, monitor } from '../../runbook/steps'
import type { PlaybookMeta, PlaybookModule } from '../types'

/** Errors about missing or invalid configuration, named. */
export const meta = {
  id: 'config',
  rank: 5,
  why: 'Named missing settings point at the fix; a failing dependency or a deploy that lines up explains more, and a setting often goes missing with them.',
  title: 'Configuration is missing or invalid',
  firstAction: 'Compare the environment with a working one and set the missing variables.'
} satisfies PlaybookMeta<'config'>

export const config = {
  ...meta,
  detect: ({ ctx }) => {
    const found = detectConfig(ctx)
    return { finding: found.finding, fields: { missingConfig: found.names } }
  },
  steps: (ctx) => [
    missingConfig(ctx),
    action('compare-env', 'Compare the environment with a working one', 'Diff this instance’s environment and config against a healthy instance or the previous release (printenv, kubectl describe, the config repo).'),
    {
      ...action('set-config', 'Set the variables and restart', 'Set the values through your normal config path, restart or redeploy, and confirm the errors stop.'),
      evidence: (ctx.a?.v1.missingConfig.length ?? 0) > 0 ? [`Set: ${ctx.a?.v1.missingConfig.join(', ')}`] : []
    },
    deployCorrelation(ctx, 'Did the last deploy change the configuration?'),
    monitor(ctx)
  ]
} satisfies PlaybookModule<'config'>
