/**
 * The one registry of playbooks. Adding one = its folder (detector, rank, words, steps) + its
 * tests + its id in the contract's PLAYBOOKS; a missing entry here fails the typecheck, and the
 * precedence, titles and first actions all derive from it.
 */
import type { Playbook } from '../contract/analysis'
import { config, meta as configMeta } from './config'
import { dependency, meta as dependencyMeta } from './dependency'
import { endpoint, meta as endpointMeta } from './endpoint'
import { instance, meta as instanceMeta } from './instance'
import { intermittent, meta as intermittentMeta } from './intermittent'
import { none, meta as noneMeta } from './none'
import { resource, meta as resourceMeta } from './resource'
import { rollback, meta as rollbackMeta } from './rollback'
import { serverConfig, meta as serverConfigMeta } from './server-config'
import type { PlaybookFields, PlaybookMeta, PlaybookModule, PlaybookRegistry } from './types'
import { unavailable, meta as unavailableMeta } from './unavailable'
import { unreadable, meta as unreadableMeta } from './unreadable'
import { upstream, meta as upstreamMeta } from './upstream'

export type { Detected, Detection, FindingOf, PlaybookFields, PlaybookMeta, PlaybookModule, PlaybookRegistry, UnreadSource } from './types'

export const PLAYBOOK_MODULES = { unreadable, rollback, instance, resource, dependency, config, 'server-config': serverConfig, endpoint, intermittent, upstream, unavailable, none } satisfies PlaybookRegistry

/**
 * The same playbooks' ranks and words alone (each folder's `meta`, which its module spreads): what
 * the precedence and titles derive from, so a bundle that only shows titles (the renderer) leaves
 * the detectors out.
 */
const PLAYBOOK_META = {
  unreadable: unreadableMeta,
  rollback: rollbackMeta,
  instance: instanceMeta,
  resource: resourceMeta,
  dependency: dependencyMeta,
  config: configMeta,
  'server-config': serverConfigMeta,
  endpoint: endpointMeta,
  intermittent: intermittentMeta,
  upstream: upstreamMeta,
  unavailable: unavailableMeta,
  none: noneMeta
} satisfies { [K in Playbook]: PlaybookMeta<K> }

/** What the playbooks' detectors fill when none of them says anything (a fresh object each time). */
export const noPlaybookFields = (): PlaybookFields => ({ suspectDeploy: null, dependency: null, missingConfig: [], endpoint: null, intermittent: null, instance: null, resource: null, serverConfig: null })

/** A registry's modules by rank: when several playbooks hold, the first of them is the verdict. */
export function byRank<Id extends string>(registry: PlaybookRegistry<Id>): PlaybookModule<Id>[] {
  return rankOrder(Object.values(registry) as PlaybookModule<Id>[])
}

const rankOrder = <M extends { rank: number }>(list: M[]): M[] => [...list].sort((a, b) => a.rank - b.rank)

/** The precedence, derived from the ranks. */
export const PRECEDENCE: Playbook[] = rankOrder<PlaybookMeta>(Object.values(PLAYBOOK_META)).map((m) => m.id)

const wordsOf = <K extends 'title' | 'firstAction'>(key: K): Record<Playbook, string> =>
  Object.fromEntries(rankOrder<PlaybookMeta>(Object.values(PLAYBOOK_META)).map((m) => [m.id, m[key]])) as Record<Playbook, string>

/** The one wording of each playbook: the banner, the runbook, the other findings and the report all use it. */
export const PLAYBOOK_TITLES: Record<Playbook, string> = wordsOf('title')
export const FIRST_ACTIONS: Record<Playbook, string> = wordsOf('firstAction')
