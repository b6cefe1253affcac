import { app, ipcMain, safeStorage, type IpcMainInvokeEvent } from 'electron'
import path from 'node:path'
import type { z } from 'zod'
import { DeleteSecretRequest, describeIssues, Empty, KEYCHAIN_CHANNELS, StoreSecretRequest, type Envelope, type KeychainStatus, type StoreSecretResponse } from '../../shared/contract'
import { CredentialVault, type Encryptor } from '../collect/store/vault'

/**
 * safeStorage as the vault's encryptor. Linux's `basic_text` backend encrypts with a key written
 * in Chromium's source: that is plain text in disguise, so it counts as no keychain.
 */
const safeStorageEncryptor: Encryptor = {
  isEncryptionAvailable: () => safeStorage.isEncryptionAvailable() && !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encryptString: (plainText) => safeStorage.encryptString(plainText),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted)
}

/** The app's vault under userData; its lookup waits for `ready`, before which safeStorage cannot answer. */
export function desktopVault(): { vault: CredentialVault; lookup: (name: string) => Promise<string> } {
  const vault = new CredentialVault(path.join(app.getPath('userData'), 'keychain'), safeStorageEncryptor)
  const lookup = async (name: string): Promise<string> => {
    await app.whenReady()
    return vault.resolve(name)
  }
  return { vault, lookup }
}

/** The keychain channels: status, store, delete. None answers with a secret; every failure is one line naming the secret's name only. */
export function registerKeychain(vault: CredentialVault, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  const handle = <S extends z.ZodTypeAny, R>(channel: string, schema: S, run: (req: z.infer<S>) => Promise<R>): void => {
    ipcMain.handle(channel, async (event, payload: unknown): Promise<Envelope<R>> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'request from an untrusted frame' } }
      const parsed = schema.safeParse(payload ?? {})
      if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: describeIssues(parsed.error, 'keychain') } }
      try {
        return { ok: true, value: await run(parsed.data) }
      } catch (err) {
        return { ok: false, error: { code: 'bad-input', message: err instanceof Error ? err.message : String(err) } }
      }
    })
  }
  const status = (): Promise<KeychainStatus> => vault.status()
  handle(KEYCHAIN_CHANNELS.status, Empty, status)
  handle(KEYCHAIN_CHANNELS.store, StoreSecretRequest, async (req): Promise<StoreSecretResponse> => ({ ref: await vault.store(req.name, req.secret) }))
  handle(KEYCHAIN_CHANNELS.delete, DeleteSecretRequest, async (req) => (await vault.delete(req.name), status()))
}
