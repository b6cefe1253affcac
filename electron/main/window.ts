import { BrowserWindow, shell } from 'electron'
import path from 'node:path'
import { isAllowedExternalUrl, isAppUrl } from './trusted-url'

/** The one window factory: every window gets these webPreferences and navigation rules. */
export function createMainWindow(opts: { preloadPath: string; rendererUrl: string | null; rendererFile: string }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Triage500',
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false
    }
  })
  win.once('ready-to-show', () => win.show())
  const appUrl = opts.rendererUrl ?? `file://${path.resolve(opts.rendererFile)}`

  // The app never navigates: a dropped file or a stray link must not replace it.
  win.webContents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault()
  })
  win.webContents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, appUrl)) event.preventDefault()
  })
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  win.webContents.on('will-attach-webview', (event) => event.preventDefault())
  win.webContents.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  if (opts.rendererUrl) void win.loadURL(opts.rendererUrl)
  else void win.loadFile(opts.rendererFile)
  return win
}
