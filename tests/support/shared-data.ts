import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

/** The repo root (tests/support/ → ../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

/** `../shared/data` beside the repo: real logs, used by path, never copied in. */
export const sharedDataDir = process.env.TRIAGE500_SHARED_DATA ?? path.resolve(repoRoot, '..', 'shared', 'data')

export const hasSharedData = existsSync(sharedDataDir)

export const sharedData = (...parts: string[]): string => path.join(sharedDataDir, ...parts)

/** Explains a skip in the test output, so a missing ../shared/data is visible, not silent. */
export const sharedDataSkipReason = `../shared/data not found at ${sharedDataDir}: real-data cases skipped`
