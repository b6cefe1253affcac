import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import {
  CHANNELS,
  type Channel,
  type DesktopBridge,
  type Envelope,
  type EventName,
  type EventPayload,
  type TriageInvoke,
  bridgeErrorMessage,
  ipcChannelName,
  ipcEventName,
  isEventName,
  KEYCHAIN_CHANNELS,
  type KeychainStatus,
  type StoreSecretResponse
} from '../../shared/contract'

/** A desktop-only channel, outside the session's map. */
async function desktopCall(channel: string, request: unknown): Promise<unknown> {
  const envelope = (await ipcRenderer.invoke(channel, request)) as Envelope<unknown>
  if (envelope.ok) return envelope.value
  throw new Error(bridgeErrorMessage(envelope.error))
}

async function invoke(channel: Channel, request: unknown): Promise<unknown> {
  const envelope = (await ipcRenderer.invoke(ipcChannelName(channel), request)) as Envelope<unknown>
  if (envelope.ok) return envelope.value
  throw new Error(bridgeErrorMessage(envelope.error))
}

// One function per channel, each bound to its own channel name: the page never gets ipcRenderer.
const invokers = Object.fromEntries(
  CHANNELS.map((channel) => [channel, (request: unknown) => invoke(channel, request)])
) as unknown as TriageInvoke

const bridge: DesktopBridge = {
  ...invokers,
  platform: 'desktop',
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    if (!isEventName(event)) throw new Error(`unknown event ${String(event)}`)
    const wrapped = (_e: IpcRendererEvent, payload: EventPayload<E>): void => listener(payload)
    ipcRenderer.on(ipcEventName(event), wrapped)
    return () => {
      ipcRenderer.removeListener(ipcEventName(event), wrapped)
    }
  },
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  async savePdf(html: string, fileName: string) {
    const envelope = (await ipcRenderer.invoke('triage-desktop:save-pdf', { html, fileName })) as Envelope<{ path: string | null }>
    if (envelope.ok) return envelope.value.path
    throw new Error(bridgeErrorMessage(envelope.error))
  },
  // Write-only: a secret goes in once; what comes back is its name and reference, never the secret.
  keychain: {
    status: () => desktopCall(KEYCHAIN_CHANNELS.status, {}) as Promise<KeychainStatus>,
    store: (request) => desktopCall(KEYCHAIN_CHANNELS.store, request) as Promise<StoreSecretResponse>,
    delete: (request) => desktopCall(KEYCHAIN_CHANNELS.delete, request) as Promise<KeychainStatus>
  }
}

contextBridge.exposeInMainWorld('triage', bridge)
