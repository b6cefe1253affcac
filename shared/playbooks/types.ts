/**
 * What one playbook is: its place in the precedence and why, its words, its detector and its
 * runbook steps. Each lives in its own folder under shared/playbooks and is registered once in
 * ./index.ts; the verdict engine, the runbook and the report read them from the registry.
 */
import type { AnalysisSnapshot, AnalysisV1, Finding, Playbook } from '../contract/analysis'
import type { Context } from '../analysis/verdict/context'
import type { DeployCorrelation } from '../analysis/verdict/deploy'
import type { RouteFailures } from '../analysis/verdict/endpoint'
import type { SourceReading } from '../analysis/readable'
import type { StepContext, StepDraft } from '../runbook/steps'

export type { StepContext, StepDraft }

/** The v1 fields the engine fills itself; every other v1 field belongs to a playbook's detector. */
type EngineField = 'schema' | 'window' | 'sources' | 'requests' | 'statusCounts' | 'verdict' | 'errorGroups' | 'replay' | 'impact'
/** The v1 fields a playbook's detector fills (the rollback's suspect deploy, the dependency, …). */
export type PlaybookFields = Omit<AnalysisV1, EngineField>

/** A source read too poorly to stand behind an all-clear, and why in words. */
export interface UnreadSource {
  source: SourceReading
  why: string
}

/** A finding whose playbook id is `Id` (a test registry may add ids the contract does not know). */
export type FindingOf<Id extends string> = Omit<Finding, 'playbook'> & { playbook: Id }

/** What a detector reads: the shared picture, computed once, and what was found before it. */
export interface Detection {
  ctx: Context
  /** The deploy the failures rose right after, if any (it also decides "new since deploy"). */
  correlation: DeployCorrelation | null
  /** Failures by route, the endpoint check and the replay both read them. */
  routes: RouteFailures[]
  /** Findings of the playbooks detected before this one (for a fallback: all the others). */
  found: ReadonlyMap<string, FindingOf<string>>
  /** Sources mostly unread. */
  unread: UnreadSource[]
}

export interface Detected {
  /**
   * Null when the playbook does not hold (its fields may still say something, e.g. names of
   * missing config). The engine files it under the module's id, whatever its `playbook` says.
   */
  finding: Omit<Finding, 'playbook'> | null
  fields?: Partial<PlaybookFields>
}

export interface PlaybookModule<Id extends string = Playbook> {
  id: Id
  /** Precedence: when several playbooks hold, the lowest rank is the verdict. */
  rank: number
  /** Why it ranks where it does, in one sentence (the README lists these). */
  why: string
  /** The one wording of the playbook: the banner, the runbook, the other findings and the report use it. */
  title: string
  /** The first thing its runbook leads to. */
  firstAction: string
  /** Detected after all the others, seeing what they found (`unreadable`, `none`). */
  fallback?: boolean
  /**
   * Playbooks it explains when both hold, whatever their rank: it comes before them (the proxy's
   * 502s of an app that ran out of memory are `upstream`, the cause is `resource`).
   */
  explains?: readonly Playbook[]
  detect: (d: Detection) => Detected | null
  /** Its runbook steps, in the order an engineer works them, filled from the analysis. */
  steps: (ctx: StepContext) => StepDraft[]
  /** A narrower title when the analysis names a sub-pattern. */
  runbookTitle?: (a: AnalysisSnapshot) => string | null
  /** Rows it adds to the report's impact table. */
  impact?: (a: AnalysisSnapshot) => [label: string, value: string][]
}

/** A playbook's rank and words without its detector and steps: what a screen that only shows titles needs. */
export type PlaybookMeta<Id extends string = Playbook> = Pick<PlaybookModule<Id>, 'id' | 'rank' | 'why' | 'title' | 'firstAction' | 'fallback' | 'explains'>

/** One module per id, keyed by its id. */
export type PlaybookRegistry<Id extends string = Playbook> = { [K in Id]: PlaybookModule<K> }
