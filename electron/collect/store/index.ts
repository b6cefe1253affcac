/** The store adapters by kind. */
import { clickhouseAdapter, type ClickHouseAdapterOptions } from './clickhouse'
import { elasticAdapter } from './elastic'
import { lokiAdapter } from './loki'
import type { StoreAdapter, StoreCredentialRef, StoreKind } from './types'

export type { StoreAdapter, StoreKind, StoreReading, StoreSpec, StoreCredentialRef } from './types'
export { StoreError, storeLabel } from './errors'
export { parseCredentialRef } from './credentials'

export interface StoreAdapterOptions {
  keychain?: ClickHouseAdapterOptions['keychain']
  /** One query's deadline. */
  timeoutMs?: number
}

export function storeAdapter(kind: StoreKind, options: StoreAdapterOptions = {}): StoreAdapter {
  switch (kind) {
    case 'clickhouse':
      return clickhouseAdapter({ ...(options.keychain ? { keychain: options.keychain } : {}), ...(options.timeoutMs ? { limits: { timeoutMs: options.timeoutMs } } : {}) })
    case 'elasticsearch':
    case 'opensearch':
      return elasticAdapter(kind, { ...(options.keychain ? { keychain: options.keychain } : {}), ...(options.timeoutMs ? { limits: { timeoutMs: options.timeoutMs } } : {}) })
    case 'loki':
      return lokiAdapter({ ...(options.keychain ? { keychain: options.keychain } : {}), ...(options.timeoutMs ? { limits: { timeoutMs: options.timeoutMs } } : {}) })
  }
}

/** How a credential is found, in words safe to show (`env:CH_PASSWORD`): never the secret. */
export function describeCredential(ref: StoreCredentialRef): string {
  switch (ref.kind) {
    case 'none':
      return 'none'
    case 'env':
      return `${ref.scheme} env:${ref.name}`
    case 'file':
      return `${ref.scheme} file:${ref.path}`
    case 'keychain':
      return `${ref.scheme} keychain:${ref.id}`
  }
}
