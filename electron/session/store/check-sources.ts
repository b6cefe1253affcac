/**
 * Logs are referenced by path, never copied: on reopening, each one is checked against the
 * size and modification time incident.json recorded, and any difference is said in words.
 */
import { stat } from 'node:fs/promises'
import type { IncidentState } from '../../../shared/contract/incident'

import { bytes } from '../../../shared/format'
import { fsErrorText, isMissing } from '../../collect/fs-errors'


/** One sentence per log file that moved or changed since incident.json recorded it. */
export async function checkSources(state: IncidentState): Promise<string[]> {
  const problems: string[] = []
  for (const source of state.sources) {
    let info
    try {
      info = await stat(source.path)
    } catch (err) {
      if (isMissing(err)) problems.push(`${source.path}: missing — the log was moved or deleted since it was added`)
      else problems.push(`${source.path}: cannot be read any more (${fsErrorText(err)})`)
      continue
    }
    if (!info.isFile()) {
      problems.push(`${source.path}: is no longer a regular file`)
      continue
    }
    const grew = info.size - source.sizeBytes
    // mtime is compared to the millisecond: some file systems keep less precision than stat reports.
    const touched = Math.trunc(info.mtimeMs) !== Math.trunc(source.mtimeMs)
    if (grew > 0) problems.push(`${source.path}: grew by ${bytes(grew)} since last opened (${bytes(source.sizeBytes)} → ${bytes(info.size)})`)
    else if (grew < 0)
      problems.push(`${source.path}: was truncated or replaced (${bytes(source.sizeBytes)} → ${bytes(info.size)}): earlier lines may be gone, line numbers may differ`)
    else if (touched) problems.push(`${source.path}: was modified (same size, new modification time): it may have been replaced`)
  }
  return problems
}
