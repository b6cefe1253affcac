/**
 * `analyze --sentry BASE_URL --sentry-org O --sentry-project P --sentry-token env:NAME|file:PATH
 * [--sentry-query Q]`: the Sentry project whose issues of the analysed window are joined to the
 * error groups. The token is a reference: the secret stays in the variable or the 0600 file.
 */
import { parseCredentialRef } from '../collect/store'
import type { SentrySpec } from '../collect/sentry'
import { stringOption, type ParsedArgs } from './args'
import { UsageError } from './io'
import { KEYCHAIN_DESKTOP_ONLY } from '../../shared/contract/credentials'

export const SENTRY_OPTIONS = {
  sentry: { value: true },
  'sentry-org': { value: true },
  'sentry-project': { value: true },
  'sentry-token': { value: true },
  'sentry-query': { value: true }
} as const

const SLUG = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/

/** What to read, without the window (known once the logs are read); null when no --sentry. */
export function sentryOption(args: ParsedArgs): Omit<SentrySpec, 'from' | 'to'> | null {
  const baseUrl = stringOption(args, 'sentry')
  if (baseUrl === undefined) {
    for (const name of Object.keys(SENTRY_OPTIONS)) if (args.options[name] !== undefined) throw new UsageError(`--${name} needs --sentry BASE_URL (https://sentry.io or your own Sentry)`)
    return null
  }
  if (!/^https?:\/\//.test(baseUrl)) throw new UsageError(`--sentry takes the Sentry's http(s) address, like https://sentry.io (got "${baseUrl}")`)
  const org = stringOption(args, 'sentry-org')
  const project = stringOption(args, 'sentry-project')
  if (org === undefined || !SLUG.test(org)) throw new UsageError('--sentry needs --sentry-org (the organization slug in the Sentry URL)')
  if (project === undefined || !SLUG.test(project)) throw new UsageError('--sentry needs --sentry-project (the project slug)')
  const tokenText = stringOption(args, 'sentry-token')
  if (tokenText === undefined) throw new UsageError('--sentry needs --sentry-token env:NAME or file:PATH (a token with the read-only scopes project:read and event:read)')
  const credential = /^(?:env|file|keychain):/.test(tokenText.trim()) ? parseCredentialRef(`bearer:${tokenText.trim()}`) : null
  if (credential === null || credential.kind === 'none')
    throw new UsageError(`--sentry-token takes env:NAME or file:PATH, never the token itself (got "${tokenText.slice(0, 4)}…")`)
  if (credential.kind === 'keychain') throw new UsageError(`--sentry-token: ${KEYCHAIN_DESKTOP_ONLY}`)
  const query = stringOption(args, 'sentry-query')
  return { baseUrl, org, project, credential, ...(query === undefined ? {} : { query }) }
}
