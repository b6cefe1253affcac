/**
 * The desktop app's keychain: secrets the user typed once, encrypted by the OS (Electron's
 * safeStorage: Keychain, DPAPI, libsecret) and kept one file per name under the app's data
 * folder. A file holds only ciphertext, mode 0600. Plain Node: the encryptor is injected, so the
 * Electron adapter is a few lines and tests inject a real one of their own.
 */
import { randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { KEYCHAIN_NAME_RULE, KeychainName } from '../../../shared/contract/schemas'
import type { KeychainStatus } from '../../../shared/contract/credentials'
import { StoreError } from './errors'

/** Electron's safeStorage, as much of it as the vault uses. */
export interface Encryptor {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
}

/** Secrets are never written in the clear, so without an OS keychain the vault refuses. */
export const KEYCHAIN_UNAVAILABLE =
  'no OS keychain is available to this app (on Linux: no secret service such as GNOME Keyring or KWallet is running), and secrets are never kept in plain text: use env:NAME or file:PATH'

const SUFFIX = '.secret'

function checkedName(name: string): string {
  const parsed = KeychainName.safeParse(name)
  if (!parsed.success) throw new StoreError('credential', `keychain name "${name.slice(0, 80)}": ${parsed.error.issues[0]?.message ?? 'is not a keychain name'}`)
  return parsed.data
}

export class CredentialVault {
  constructor(
    /** The folder of the secret files (`<userData>/keychain`). */
    readonly dir: string,
    private readonly encryptor: Encryptor
  ) {}

  get available(): boolean {
    return this.encryptor.isEncryptionAvailable()
  }

  private fileOf(name: string): string {
    return path.join(this.dir, `${checkedName(name)}${SUFFIX}`)
  }

  async status(): Promise<KeychainStatus> {
    const available = this.available
    return { available, reason: available ? null : KEYCHAIN_UNAVAILABLE, names: await this.list() }
  }

  /** Encrypts and keeps the secret under the name (replacing one kept before); answers its reference. */
  async store(name: string, secret: string): Promise<string> {
    const file = this.fileOf(name)
    if (secret.trim() === '') throw new StoreError('credential', `keychain secret "${name}" is empty`)
    if (!this.available) throw new StoreError('credential', KEYCHAIN_UNAVAILABLE)
    const ciphertext = this.encryptor.encryptString(secret)
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    await chmod(this.dir, 0o700)
    // Written whole beside it, then renamed: a crash leaves the old secret or the new one, never half of one.
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
    const handle = await open(temp, 'wx', 0o600)
    try {
      await handle.writeFile(ciphertext)
      await handle.sync()
    } finally {
      await handle.close()
    }
    try {
      await rename(temp, file)
    } catch (err) {
      await rm(temp, { force: true })
      throw new StoreError('credential', `keychain secret "${name}" could not be saved (${(err as NodeJS.ErrnoException).code ?? 'write failed'})`)
    }
    return `keychain:${name}`
  }

  /** The secret kept under the name; a missing, undecryptable or unreachable one is one line naming it. */
  async resolve(name: string): Promise<string> {
    const file = this.fileOf(name)
    let ciphertext: Buffer
    try {
      ciphertext = await readFile(file)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOENT') throw new StoreError('credential', `no secret named "${name}" in the keychain: store it again in the desktop app`)
      throw new StoreError('credential', `keychain secret "${name}": ${code ?? 'unreadable'}`)
    }
    if (!this.available) throw new StoreError('credential', KEYCHAIN_UNAVAILABLE)
    try {
      return this.encryptor.decryptString(ciphertext)
    } catch {
      // The OS's words may say little; what to do is what matters.
      throw new StoreError('credential', `keychain secret "${name}" could not be decrypted (the OS keychain's key changed or the file is damaged): store it again`)
    }
  }

  /** The names kept, sorted: never a secret. */
  async list(): Promise<string[]> {
    let entries: string[]
    try {
      entries = await readdir(this.dir)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw new StoreError('credential', `keychain folder ${this.dir}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`)
    }
    return entries
      .filter((e) => e.endsWith(SUFFIX))
      .map((e) => e.slice(0, -SUFFIX.length))
      .filter((n) => KEYCHAIN_NAME_RULE.test(n))
      .sort()
  }

  /** Forgets the secret; a name not kept is not an error (the outcome is the same). */
  async delete(name: string): Promise<void> {
    await rm(this.fileOf(name), { force: true })
  }

  /** What credential references resolve `keychain:NAME` through. */
  readonly lookup = (name: string): Promise<string> => this.resolve(name)
}
