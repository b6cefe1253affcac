import type { ExportResponse } from '../../../shared/contract'
import type { Platform } from '../api/platform'

export const EXPORT_CHOICES = ['markdown', 'html', 'pdf', 'json'] as const
export type ExportChoice = (typeof EXPORT_CHOICES)[number]

/** Long enough for the browser to have started reading the blob; the URL is freed after. */
const REVOKE_AFTER_MS = 1000
const PRINT_FRAME_ATTR = 'data-report-print'

/** Hands a file to the browser's own download: a Blob behind a temporary object URL. */
export function downloadFile(doc: Document, file: ExportResponse): void {
  const win = doc.defaultView
  if (!win) throw new Error('this page has no window to download from')
  const url = win.URL.createObjectURL(new Blob([file.content], { type: file.mimeType }))
  const a = doc.createElement('a')
  a.href = url
  a.download = file.fileName
  a.rel = 'noopener'
  a.style.display = 'none'
  doc.body.append(a)
  try {
    a.click()
  } finally {
    a.remove()
    win.setTimeout(() => win.URL.revokeObjectURL(url), REVOKE_AFTER_MS)
  }
}

/**
 * Browser mode has no "save as PDF" of its own: the report HTML goes into a hidden same-origin
 * frame and the browser's print dialog (which offers "Save as PDF") prints that frame only.
 */
export function printHtml(doc: Document, html: string): Promise<void> {
  for (const old of doc.querySelectorAll(`iframe[${PRINT_FRAME_ATTR}]`)) old.remove()
  const frame = doc.createElement('iframe')
  frame.setAttribute(PRINT_FRAME_ATTR, '')
  frame.setAttribute('aria-hidden', 'true')
  frame.tabIndex = -1
  // The report runs no script; the frame may only show a print dialog and be driven from here.
  frame.setAttribute('sandbox', 'allow-same-origin allow-modals')
  Object.assign(frame.style, { position: 'fixed', right: '0', bottom: '0', width: '0', height: '0', border: '0' })
  return new Promise((resolve, reject) => {
    frame.addEventListener(
      'load',
      () => {
        const win = frame.contentWindow
        if (!win || typeof win.print !== 'function') {
          frame.remove()
          reject(new Error('this browser cannot print from the page: export HTML instead and print it from the browser (File → Print → Save as PDF)'))
          return
        }
        win.addEventListener('afterprint', () => frame.remove(), { once: true })
        win.focus()
        win.print()
        resolve()
      },
      { once: true }
    )
    frame.srcdoc = html
    doc.body.append(frame)
  })
}

/** PDF files get the report's name with a .pdf ending. */
export const pdfName = (fileName: string): string => fileName.replace(/\.[a-z0-9]+$/i, '') + '.pdf'

/** Exports the report in the chosen form; says in words what happened (where it went). */
export async function exportReport(platform: Platform, doc: Document, choice: ExportChoice, redact: boolean): Promise<string> {
  const file = await platform.api.exportReport({ format: choice === 'pdf' ? 'html' : choice, redact })
  if (file.content.length === 0) throw new Error('the report came back empty: there is nothing to export yet')
  if (choice !== 'pdf') {
    downloadFile(doc, file)
    return `Downloaded ${file.fileName}`
  }
  const name = pdfName(file.fileName)
  if (platform.savePdf) {
    const saved = await platform.savePdf(file.content, name)
    return saved === null ? 'Cancelled: no PDF was saved.' : `Saved the PDF to ${saved}`
  }
  await printHtml(doc, file.content)
  return `The print dialog shows the report: choose “Save as PDF” as the printer to keep it as ${name}.`
}
