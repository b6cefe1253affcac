import { rollbackFinding, suspectDeployField } from '../../analysis/verdict/deploy'
import { configIfNamed, deployCorrelation, monitor, replayStep, stackTrace } from '../../runbook/steps'
import { newErrors, rollBack, schemaBeforeRollback } from './steps'
import type { PlaybookMeta, PlaybookModule } from '../types'

/** The failures rose within minutes after a deploy, from a quiet before. */
export const meta = {
  id: 'rollback',
  rank: 3,
  why: 'A deploy that lines up with the rise is the cheapest fix there is (roll back, investigate offline), unless the proxy says the app is not answering at all.',
  title: 'Roll back the deploy',
  firstAction: 'Roll back now and investigate offline; never forward-fix under load.'
} satisfies PlaybookMeta<'rollback'>

export const rollback = {
  ...meta,
  detect: ({ ctx, correlation }) =>
    correlation === null ? null : { finding: rollbackFinding(ctx, correlation, ctx.groups), fields: { suspectDeploy: suspectDeployField(ctx, correlation) } },
  steps: (ctx) => [deployCorrelation(ctx), newErrors(ctx), ...schemaBeforeRollback(ctx), rollBack(ctx), stackTrace(ctx), replayStep(ctx, 'Reproduce the failing request offline'), ...configIfNamed(ctx), monitor(ctx)]
} satisfies PlaybookModule<'rollback'>
