import { app, BrowserWindow, Menu, type IpcMainInvokeEvent } from 'electron'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SessionService } from '../session/service'
import { IncidentStore } from '../session/store'
import { startDemoInSession } from '../demo'
import { createMainWindow } from './window'
import { forwardEvents, registerIpc } from './ipc'
import { isAppUrl } from './trusted-url'
import { buildMenu } from './menu'
import { registerPdfExport } from './pdf'
import { desktopVault, registerKeychain } from './keychain'

const here = path.dirname(fileURLToPath(import.meta.url))
const rendererUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null
const rendererFile = path.join(here, '..', 'renderer', 'index.html')
const appUrl = rendererUrl ?? `file://${rendererFile}`

if (!app.requestSingleInstanceLock()) app.quit()

// Incidents live in the app's data folder; logs stay where they are; secrets typed in the app sit in its keychain folder, encrypted by the OS.
const keychain = desktopVault()
const service = new SessionService({ storage: new IncidentStore(app.getPath('userData')), demo: (sink) => startDemoInSession(sink), keychain: keychain.lookup })

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame
  return frame !== null && frame.parent === null && isAppUrl(frame.url, appUrl)
}

function openWindow(): BrowserWindow {
  const win = createMainWindow({ preloadPath: path.join(here, '..', 'preload', 'index.cjs'), rendererUrl, rendererFile })
  forwardEvents(service, win.webContents)
  return win
}

void app.whenReady().then(() => {
  Menu.setApplicationMenu(buildMenu())
  registerIpc(service, isTrustedSender)
  registerPdfExport(isTrustedSender)
  registerKeychain(keychain.vault, isTrustedSender)
  openWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow()
  })
})

app.on('second-instance', () => {
  const [win] = BrowserWindow.getAllWindows()
  if (win) {
    if (win.isMinimized()) win.restore()
    win.focus()
  }
})

app.on('before-quit', () => {
  void service.close()
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
