/**
 * Did a schema migration ship with the deploy, and do the errors after it point at the schema?
 * The rollback runbook differs: a migration that ran means rolling back the code alone may not
 * roll back the schema; schema errors with no migration seen mean one may not have run at all.
 */
import type { DeployEvent } from '../../model/evidence'
import type { ErrorGroup } from '../groups'
import type { MigrationSighting } from './lifecycle'
import { matchSchemaError, type SchemaErrorPattern } from './migrations'

/** Migrations run just before the new version starts (a release phase, an init container), or as it boots. */
export const MIGRATION_BEFORE_MS = 30 * 60_000
export const MIGRATION_AFTER_MS = 15 * 60_000

export interface MigrationJudgement {
  /** true: a migration ran with the deploy; false: the logs show none ran (or the tool found nothing to do); null: not known. */
  ran: boolean | null
  schemaErrors: boolean
  /** The migrations seen with the deploy, first first. */
  applied: MigrationSighting[]
  /** The error groups after the deploy whose text says the schema and the code disagree, most frequent first. */
  schemaGroups: { group: ErrorGroup; pattern: SchemaErrorPattern }[]
}

const groupText = (g: ErrorGroup): string => `${g.type ?? ''} ${g.message} ${g.sample.slice(0, 2000)}`

/** Error groups whose text says the schema and the code disagree, seen at or after `from`. */
export function schemaErrorGroups(groups: readonly ErrorGroup[], from: number): MigrationJudgement['schemaGroups'] {
  return groups
    .filter((g) => g.lastSeen === null || Date.parse(g.lastSeen) >= from)
    .flatMap((group) => {
      const pattern = matchSchemaError(groupText(group))
      return pattern === null ? [] : [{ group, pattern }]
    })
    .sort((a, b) => b.group.count - a.group.count)
}

/**
 * `migrations` as the apps' logs recorded them. A deploy seen in the app's own log (its startup)
 * with no migration line around it is "none ran" (as far as the app's log shows); for a given or
 * polled deploy the logs may simply not include where migrations run, so it stays unknown.
 */
export function judgeMigration(deploy: DeployEvent, migrations: readonly MigrationSighting[], groups: readonly ErrorGroup[], appLogRead: boolean): MigrationJudgement | null {
  const near = migrations.filter((m) => m.at !== null && m.at >= deploy.at - MIGRATION_BEFORE_MS && m.at <= deploy.at + MIGRATION_AFTER_MS)
  const applied = near.filter((m) => m.kind === 'applied')
  const schemaGroups = schemaErrorGroups(groups, deploy.at - MIGRATION_BEFORE_MS)
  if (!appLogRead && near.length === 0 && schemaGroups.length === 0) return null
  let ran: boolean | null = null
  if (applied.length > 0) ran = true
  else if (near.length > 0 || deploy.origin === 'log') ran = false
  return { ran, schemaErrors: schemaGroups.length > 0, applied, schemaGroups }
}
