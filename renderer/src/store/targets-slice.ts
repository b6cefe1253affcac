import type { StateCreator } from 'zustand'
import type { AddTargetRequest, DeployRecord, TargetInfo } from '../../../shared/contract'
import type { AppState } from './index'
import { errorText } from '../api/errors'

export interface TargetsSlice {
  targets: TargetInfo[]
  deploys: DeployRecord[]
  targetError: string | null
  addTarget(req: AddTargetRequest): Promise<boolean>
  removeTarget(id: string): Promise<void>
  dismissTargetError(): void
}


export const createTargetsSlice: StateCreator<AppState, [], [], TargetsSlice> = (set, get) => ({
  targets: [],
  deploys: [],
  targetError: null,
  async addTarget(req) {
    const api = get().platform?.api
    if (!api) return false
    // A new attempt replaces the panel's old alerts (source and endpoint) rather than piling under them.
    set({ targetError: null, sourceError: null })
    try {
      await api.addTarget(req)
      await get().refresh()
      return true
    } catch (err) {
      set({ targetError: errorText(err) })
      return false
    }
  },
  async removeTarget(id) {
    const api = get().platform?.api
    if (!api) return
    try {
      await api.removeTarget({ id })
    } catch (err) {
      set({ targetError: errorText(err) })
    }
    await get().refresh()
  },
  dismissTargetError: () => set({ targetError: null })
})
