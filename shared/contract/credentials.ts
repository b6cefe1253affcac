import { z } from 'zod'
import { KeychainName } from './schemas'

/**
 * The desktop app's keychain channels. They sit outside the session's channel map on purpose:
 * a secret typed once goes to the main process's vault and nowhere else (not the session, not
 * browser mode's WebSocket), and nothing here ever answers with a secret.
 */
export const KEYCHAIN_CHANNELS = {
  status: 'triage-desktop:credentials.status',
  store: 'triage-desktop:credentials.store',
  delete: 'triage-desktop:credentials.delete'
} as const

/** Bounds what a form may send: a token or `user:password`, not a file. */
const MAX_SECRET_CHARS = 16_384

export const StoreSecretRequest = z.object({
  name: KeychainName,
  secret: z
    .string()
    .max(MAX_SECRET_CHARS, `is longer than ${MAX_SECRET_CHARS} characters`)
    .refine((s) => s.trim() !== '', 'is empty')
})
export type StoreSecretRequest = z.infer<typeof StoreSecretRequest>

/** What storing answers: the reference the form puts in its spec (`keychain:NAME`). */
export const StoreSecretResponse = z.object({ ref: z.string() })
export type StoreSecretResponse = z.infer<typeof StoreSecretResponse>

export const DeleteSecretRequest = z.object({ name: KeychainName })
export type DeleteSecretRequest = z.infer<typeof DeleteSecretRequest>

/** Whether the app can keep secrets (and why not, in one line), and the names it keeps: never a secret. */
export const KeychainStatus = z.object({
  available: z.boolean(),
  /** Why secrets cannot be stored here (no OS keychain / secret service); null when they can. */
  reason: z.string().nullable(),
  names: z.array(KeychainName)
})
export type KeychainStatus = z.infer<typeof KeychainStatus>

/** The desktop bridge's keychain: write-only for secrets. */
export interface KeychainBridge {
  status(): Promise<KeychainStatus>
  store(request: StoreSecretRequest): Promise<StoreSecretResponse>
  delete(request: DeleteSecretRequest): Promise<KeychainStatus>
}

/** A `keychain:` reference where no vault exists (browser mode, the CLI): said once, here. */
export const KEYCHAIN_DESKTOP_ONLY = 'keychain credentials exist only in the desktop app; use env:NAME or file:PATH'
