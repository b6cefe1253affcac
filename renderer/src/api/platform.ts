import { CHANNELS, fromBridgeError, type DesktopBridge, type KeychainBridge, type SourceInfo, type TriageApi, type TriageInvoke } from '../../../shared/contract'

/** What the screen needs beyond TriageApi: how a dropped or picked File becomes a source. */
export interface Platform {
  kind: 'desktop' | 'browser'
  api: TriageApi
  /** Desktop: the file's own path is added (nothing copied). Browser: the file is uploaded to the host. */
  addFile(file: File): Promise<SourceInfo>
  /** Desktop only: prints report HTML to a PDF file the engineer chooses; the saved path, or null if cancelled. */
  savePdf?(html: string, fileName: string): Promise<string | null>
  /** Desktop only: the OS keychain a typed secret is stored in once (write-only); absent in browser mode. */
  keychain?: KeychainBridge
}

declare global {
  interface Window {
    triage?: DesktopBridge
  }
}

export function desktopPlatform(bridge: DesktopBridge): Platform {
  const api = desktopApi(bridge)
  return {
    kind: 'desktop',
    api,
    addFile: async (file) => {
      const path = bridge.pathForFile(file)
      if (!path) throw new Error(`${file.name}: the app was not given a path for this file`)
      return api.addSource({ path })
    },
    savePdf: (html, fileName) => bridge.savePdf(html, fileName).catch(rethrowBridgeError),
    ...(bridge.keychain ? { keychain: desktopKeychain(bridge.keychain) } : {})
  }
}

function desktopKeychain(keychain: KeychainBridge): KeychainBridge {
  return {
    status: () => keychain.status().catch(rethrowBridgeError),
    store: (req) => keychain.store(req).catch(rethrowBridgeError),
    delete: (req) => keychain.delete(req).catch(rethrowBridgeError)
  }
}

function rethrowBridgeError(err: unknown): never {
  throw fromBridgeError(err)
}

/** The bridge's channels, their failures turned back into TriageApiErrors with the envelope's code. */
function desktopApi(bridge: DesktopBridge): TriageApi {
  const invoke = bridge as unknown as Record<string, (req: unknown) => Promise<unknown>>
  const invokers = Object.fromEntries(CHANNELS.map((c) => [c, (req: unknown) => invoke[c](req).catch(rethrowBridgeError)])) as unknown as TriageInvoke
  return { ...invokers, on: (event, listener) => bridge.on(event, listener) }
}
