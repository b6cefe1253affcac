import type { DesktopBridge, SourceInfo, TriageApi } from '../../../shared/contract'

/** What the screen needs beyond TriageApi: how a dropped or picked File becomes a source. */
export interface Platform {
  kind: 'desktop' | 'browser'
  api: TriageApi
  /** Desktop: the file's own path is added (nothing copied). Browser: the file is uploaded to the host. */
  addFile(file: File): Promise<SourceInfo>
  /** Desktop only: prints report HTML to a PDF file the engineer chooses; the saved path, or null if cancelled. */
  savePdf?(html: string, fileName: string): Promise<string | null>
}

declare global {
  interface Window {
    triage?: DesktopBridge
  }
}

export function desktopPlatform(bridge: DesktopBridge): Platform {
  return {
    kind: 'desktop',
    api: bridge,
    addFile: async (file) => {
      const path = bridge.pathForFile(file)
      if (!path) throw new Error(`${file.name}: the app was not given a path for this file`)
      return bridge.addSource({ path })
    },
    savePdf: (html, fileName) => bridge.savePdf(html, fileName)
  }
}
