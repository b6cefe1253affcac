import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from './channels'
import type { KeychainBridge } from './credentials'

/** The whole surface the renderer sees. The preload implements it over IPC, browser mode over a WebSocket. */
export type TriageInvoke = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> }

export type Unsubscribe = () => void

export interface TriageEvents {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe
}

export type TriageApi = TriageInvoke & TriageEvents

/** What the service behind the API implements: the same methods, called with validated requests. */
export type TriageHandlers = { [C in Channel]: (request: RequestOf<C>) => Promise<ResponseOf<C>> }

/** Electron preload extras: the path of a dropped/picked File (webUtils.getPathForFile). */
export interface DesktopBridge extends TriageApi {
  readonly platform: 'desktop'
  pathForFile(file: File): string
  /** Prints the report HTML to a PDF file the engineer chooses; the saved path, or null if cancelled. */
  savePdf(html: string, fileName: string): Promise<string | null>
  /** The OS keychain (Electron safeStorage): secrets go in once and never come back out. */
  readonly keychain?: KeychainBridge
}
