import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron'
import { writeFile } from 'node:fs/promises'
import { z } from 'zod'
import { describeIssues, type Envelope } from '../../shared/contract'

export const PDF_CHANNEL = 'triage-desktop:save-pdf'

const SavePdfRequest = z.object({ html: z.string().max(50_000_000), fileName: z.string().max(200) })

/**
 * The report's self-contained HTML printed by Chromium to PDF: loaded in a hidden window with
 * JavaScript off and no preload, then saved where the engineer chooses.
 */
export function registerPdfExport(isTrustedSender: (event: IpcMainInvokeEvent) => boolean): void {
  ipcMain.handle(PDF_CHANNEL, async (event, payload: unknown): Promise<Envelope<{ path: string | null }>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'request from an untrusted frame' } }
    const parsed = SavePdfRequest.safeParse(payload)
    if (!parsed.success) return { ok: false, error: { code: 'bad-request', message: `savePdf: ${describeIssues(parsed.error, 'request')}` } }
    const parent = BrowserWindow.fromWebContents(event.sender) ?? undefined
    const target = await dialog.showSaveDialog(parent as BrowserWindow, {
      defaultPath: parsed.data.fileName.replace(/\.html?$/i, '') + '.pdf',
      filters: [{ name: 'PDF', extensions: ['pdf'] }]
    })
    if (target.canceled || !target.filePath) return { ok: true, value: { path: null } }
    const printer = new BrowserWindow({
      show: false,
      webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false }
    })
    try {
      await printer.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(parsed.data.html)}`)
      const pdf = await printer.webContents.printToPDF({ printBackground: true, pageSize: 'A4' })
      await writeFile(target.filePath, pdf)
      return { ok: true, value: { path: target.filePath } }
    } catch (err) {
      return { ok: false, error: { code: 'failed', message: `PDF export failed: ${err instanceof Error ? err.message : String(err)}` } }
    } finally {
      printer.destroy()
    }
  })
}
