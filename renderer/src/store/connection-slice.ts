import type { StateCreator } from 'zustand'
import type { ConnectionState } from '../api/browser-client'
import type { Platform } from '../api/platform'
import type { AppState } from './index'

export interface ConnectionSlice {
  platform: Platform | null
  connection: ConnectionState
  setPlatform(platform: Platform): void
  setConnection(state: ConnectionState): void
}

export const createConnectionSlice: StateCreator<AppState, [], [], ConnectionSlice> = (set) => ({
  platform: null,
  connection: { status: 'connecting' },
  setPlatform: (platform) => set({ platform }),
  setConnection: (connection) => set({ connection })
})
