/**
 * The one registry of playbooks. Adding one = its folder (detector, rank, words, steps) + its
 * tests + its id in the contract's PLAYBOOKS; a missing entry here fails the typecheck, and the
 * precedence, titles and first actions all derive from it.
 */
import type { Playbook } from '../contract/analysis'
import { config } from './config'
import { dependency } from './dependency'
import { endpoint } from './endpoint'
import { intermittent } from './intermittent'
import { none } from './none'
import { rollback } from './rollback'
import type { PlaybookFields, PlaybookModule, PlaybookRegistry } from './types'
import { unavailable } from './unavailable'
import { unreadable } from './unreadable'
import { upstream } from './upstream'

export type { Detected, Detection, FindingOf, PlaybookFields, PlaybookModule, PlaybookRegistry, UnreadSource } from './types'

export const PLAYBOOK_MODULES = { unreadable, rollback, dependency, config, endpoint, intermittent, upstream, unavailable, none } satisfies PlaybookRegistry

/** What the playbooks' detectors fill when none of them says anything. */
export const NO_PLAYBOOK_FIELDS = { suspectDeploy: null, dependency: null, missingConfig: [], endpoint: null, intermittent: null } satisfies PlaybookFields

/** A registry's modules by rank: when several playbooks hold, the first of them is the verdict. */
export function byRank<Id extends string>(registry: PlaybookRegistry<Id>): PlaybookModule<Id>[] {
  return (Object.values(registry) as PlaybookModule<Id>[]).sort((a, b) => a.rank - b.rank)
}

/** The precedence, derived from the ranks. */
export const PRECEDENCE: Playbook[] = byRank<Playbook>(PLAYBOOK_MODULES).map((m) => m.id)

const wordsOf = <K extends 'title' | 'firstAction'>(key: K): Record<Playbook, string> =>
  Object.fromEntries(byRank<Playbook>(PLAYBOOK_MODULES).map((m) => [m.id, m[key]])) as Record<Playbook, string>

/** The one wording of each playbook: the banner, the runbook, the other findings and the report all use it. */
export const PLAYBOOK_TITLES: Record<Playbook, string> = wordsOf('title')
export const FIRST_ACTIONS: Record<Playbook, string> = wordsOf('firstAction')
