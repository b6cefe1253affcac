import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import { CHANNELS, ipcChannelName, ipcEventName, type Envelope } from '../../shared/contract'
import { dispatch } from '../session/dispatch'
import type { SessionService } from '../session/service'

/**
 * Registers one handler per channel of the map. A handler answers only the app's own top frame:
 * a frame loaded from anywhere else (an iframe, a navigated page) gets an error envelope.
 */
export function registerIpc(service: SessionService, isTrustedSender: (event: IpcMainInvokeEvent) => boolean): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(ipcChannelName(channel), async (event, payload: unknown): Promise<Envelope<unknown>> => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'request from an untrusted frame' } }
      return dispatch(service, channel, payload)
    })
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(ipcChannelName(channel))
  }
}

/** Forwards the service's notifications to one window until it is gone. */
export function forwardEvents(service: SessionService, contents: WebContents): () => void {
  const unsubscribe = service.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcEventName(event), payload)
  })
  contents.once('destroyed', unsubscribe)
  return unsubscribe
}
