/** The store adapters by kind. Loki and Elasticsearch/OpenSearch adapters register here when written. */
import { clickhouseAdapter, type ClickHouseAdapterOptions } from './clickhouse'
import { StoreError } from './errors'
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
    default:
      return {
        kind,
        read: () => Promise.reject(new StoreError('unsupported', `${kind} stores are not supported yet (only clickhouse)`))
      }
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
