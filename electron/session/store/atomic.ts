/**
 * Crash-safe file writes: a reader sees either the old file or the new one, never a mix, and
 * a write reported as done survives a power cut (the data and the directory entry are fsynced).
 */
import { randomBytes } from 'node:crypto'
import { open, readdir, rename, rm } from 'node:fs/promises'
import path from 'node:path'

/** Temp files of an atomic write are named `<target>.tmp-<pid>-<random>` in the target's folder. */
const TEMP_MARK = '.tmp-'

/** fsync a folder so a rename or a new file in it is durable. Windows cannot open folders: it journals renames itself. */
export async function fsyncDir(dir: string): Promise<void> {
  let handle
  try {
    handle = await open(dir, 'r')
  } catch (err) {
    if (process.platform === 'win32') return
    throw err
  }
  try {
    await handle.sync()
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code !== 'EINVAL' && code !== 'EPERM' && code !== 'EISDIR') throw err
  } finally {
    await handle.close()
  }
}

/** Writes `text` to `file` atomically: temp file in the same folder, fsync, rename over, fsync the folder. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file)
  const temp = `${file}${TEMP_MARK}${process.pid}-${randomBytes(4).toString('hex')}`
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(text, 'utf8')
    await handle.sync()
  } catch (err) {
    await handle.close()
    await rm(temp, { force: true })
    throw err
  }
  await handle.close()
  try {
    await rename(temp, file)
  } catch (err) {
    await rm(temp, { force: true })
    throw err
  }
  await fsyncDir(dir)
}

/**
 * Removes temp files an interrupted atomic write of `file` left behind (the crash happened
 * before the rename, so `file` still holds the last complete save). Returns their names.
 */
export async function removeStrayTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file)
  const prefix = `${path.basename(file)}${TEMP_MARK}`
  const stray = (await readdir(dir)).filter((name) => name.startsWith(prefix))
  for (const name of stray) await rm(path.join(dir, name), { force: true })
  return stray
}
