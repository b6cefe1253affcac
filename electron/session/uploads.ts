import { rm } from 'node:fs/promises'
import path from 'node:path'

/**
 * Browser mode stores each dropped file as `<uploadDir>/<folder>/<name>` and adds that path to
 * the open incident: the folders its sources live in belong to that incident.
 */
export function uploadFoldersOf(sources: readonly { path: string }[], uploadDir: string): string[] {
  const root = path.resolve(uploadDir)
  const folders = new Set<string>()
  for (const s of sources) {
    const rel = path.relative(root, path.resolve(s.path))
    const parts = rel.split(path.sep)
    if (parts.length === 2 && parts[0] !== '..' && parts[0] !== '' && !path.isAbsolute(rel)) folders.add(path.join(root, parts[0]))
  }
  return [...folders]
}

/** Deletes the upload folders, except those still in use (`keep`: the open incident's). */
export async function removeUploadFolders(folders: readonly string[], keep: readonly string[]): Promise<void> {
  const kept = new Set(keep)
  for (const dir of folders) if (!kept.has(dir)) await rm(dir, { recursive: true, force: true })
}
