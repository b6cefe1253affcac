import os from 'node:os'
import path from 'node:path'

/** Browser mode and tests keep incidents under $TRIAGE500_HOME; the desktop app passes Electron's userData. */
export function triageHome(explicit?: string): string {
  return explicit ?? process.env.TRIAGE500_HOME ?? path.join(os.homedir(), '.triage500')
}
