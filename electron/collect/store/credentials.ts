/**
 * Turns a StoreCredentialRef into the request headers that carry it. The secret lives only in
 * the returned headers: errors name the variable or the file, never what it holds.
 */
import { stat, readFile } from 'node:fs/promises'
import type { StoreCredentialRef } from './types'
import { StoreError } from './errors'
import { KEYCHAIN_DESKTOP_ONLY } from '../../../shared/contract/credentials'

/** Group or others may read it: a secret there is not the user's alone. */
const WIDER_THAN_OWNER = 0o077

async function secretFromFile(filePath: string): Promise<string> {
  let mode: number
  try {
    mode = (await stat(filePath)).mode
  } catch (err) {
    throw new StoreError('credential', `credential file ${filePath}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
  if (process.platform !== 'win32' && (mode & WIDER_THAN_OWNER) !== 0)
    throw new StoreError('credential', `credential file ${filePath} is readable by others (mode ${(mode & 0o777).toString(8).padStart(3, '0')}); chmod 600 it`)
  try {
    return (await readFile(filePath, 'utf8')).trim()
  } catch (err) {
    throw new StoreError('credential', `credential file ${filePath}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
  }
}

function header(scheme: 'basic' | 'bearer' | 'apikey', secret: string, where: string): Record<string, string> {
  if (secret === '') throw new StoreError('credential', `${where} is empty`)
  switch (scheme) {
    case 'basic':
      if (!secret.includes(':')) throw new StoreError('credential', `${where} must hold user:password for basic authentication`)
      return { authorization: `Basic ${Buffer.from(secret, 'utf8').toString('base64')}` }
    case 'bearer':
      return { authorization: `Bearer ${secret}` }
    case 'apikey':
      return { authorization: `ApiKey ${secret}` }
  }
}

/** Resolves a `keychain:NAME` reference; the desktop app's vault (electron/collect/store/vault.ts) answers it. */
export type KeychainLookup = (name: string) => Promise<string | null>

/** A keychain secret: through the app's vault, or refused in words where there is none (CLI, browser mode). */
async function keychainSecret(name: string, keychain: KeychainLookup | undefined): Promise<string> {
  if (!keychain) throw new StoreError('credential', KEYCHAIN_DESKTOP_ONLY)
  let secret: string | null
  try {
    secret = await keychain(name)
  } catch (err) {
    if (err instanceof StoreError) throw err
    throw new StoreError('credential', `keychain secret "${name}" could not be read (${err instanceof Error ? err.message : String(err)})`)
  }
  if (secret === null) throw new StoreError('credential', `no secret named "${name}" in the keychain: store it again in the desktop app`)
  return secret.trim()
}

/**
 * The headers for one store read. `keychain` refs are resolved by the desktop app (Electron
 * safeStorage) through `keychain`; without it (CLI, browser mode) they are refused in words.
 */
export async function credentialHeaders(ref: StoreCredentialRef, keychain?: KeychainLookup): Promise<Record<string, string>> {
  switch (ref.kind) {
    case 'none':
      return {}
    case 'env': {
      const value = process.env[ref.name]
      if (value === undefined) throw new StoreError('credential', `environment variable ${ref.name} is not set`)
      return header(ref.scheme, value.trim(), `environment variable ${ref.name}`)
    }
    case 'file':
      return header(ref.scheme, await secretFromFile(ref.path), `credential file ${ref.path}`)
    case 'keychain':
      return header(ref.scheme, await keychainSecret(ref.id, keychain), `keychain secret "${ref.id}"`)
  }
}

// The CLI's and the form's spelling of a reference is parsed in one place, beside its schema.
export { parseCredentialRef } from '../../../shared/contract/schemas'
