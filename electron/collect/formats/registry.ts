/**
 * Every format definition, found by file name: a file in defs/ is a format. The registry checks
 * the definitions once at load (unique ids of the right shape, each named like its file), so a
 * mistake in a new definition fails every test at once instead of misreading logs quietly.
 */
/// <reference types="vite/client" />
import { FORMAT_ID_PATTERN, type FormatInfo, type LogFormatId } from '../../../shared/model/evidence'
import type { FormatDefinition } from './definition'

const modules = import.meta.glob<FormatDefinition>('./defs/*.ts', { eager: true, import: 'default' })

function load(): Map<LogFormatId, FormatDefinition> {
  const byId = new Map<LogFormatId, FormatDefinition>()
  for (const [file, definition] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    const name = /\/([^/]+)\.ts$/.exec(file)?.[1]
    if (definition.id !== name) throw new Error(`format definition ${file} has id "${definition.id}": name the file after its id`)
    if (!FORMAT_ID_PATTERN.test(definition.id) || definition.id.includes('+')) throw new Error(`format definition ${file}: id "${definition.id}" is not of the form a-z0-9-`)
    if (definition.samples.length === 0) throw new Error(`format definition ${file} has no sample lines`)
    byId.set(definition.id, definition)
  }
  return byId
}

const DEFINITIONS = load()

/** All definitions, in id order. */
export const FORMAT_DEFINITIONS: readonly FormatDefinition[] = [...DEFINITIONS.values()]

export function formatDefinition(id: LogFormatId): FormatDefinition | undefined {
  return DEFINITIONS.get(id)
}

/** What the format picker lists: every definition, by title. */
export function formatCatalog(): FormatInfo[] {
  return FORMAT_DEFINITIONS.map((d) => ({ id: d.id, title: d.title, family: d.family })).sort((a, b) => a.title.localeCompare(b.title))
}
