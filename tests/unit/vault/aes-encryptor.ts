import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import type { Encryptor } from '../../../electron/collect/store/vault'

/**
 * A real encryptor for tests, in the place of Electron's safeStorage: AES-256-GCM under a random
 * key held in memory, like the OS keychain's key. `available` stands for whether the OS has one.
 */
export function aesEncryptor(state: { available: boolean } = { available: true }): Encryptor & { state: { available: boolean } } {
  const key = randomBytes(32)
  return {
    state,
    isEncryptionAvailable: () => state.available,
    encryptString(plainText) {
      if (!state.available) throw new Error('encryption is not available')
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decryptString(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12))
      decipher.setAuthTag(encrypted.subarray(12, 28))
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8')
    }
  }
}
