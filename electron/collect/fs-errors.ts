/**
 * The words for file-system errors, the same wherever a file cannot be read: a log being added
 * or followed, an evidence file, an incident's saved state, a CLI argument.
 */

export const errnoCode = (err: unknown): string => (typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '')

/** The path (or a folder on it) does not exist. */
export const isMissing = (err: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(errnoCode(err))

const WORDS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  EACCES: 'permission denied (the file is not readable by this user)',
  EPERM: 'permission denied (the file is not readable by this user)',
  EISDIR: 'is a directory, not a file',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'path is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files',
  EIO: 'input/output error while reading'
}

/** `no such file`, `permission denied (…)`, …; the error's own message for anything else. */
export function fsErrorText(err: unknown): string {
  return WORDS[errnoCode(err)] ?? (err instanceof Error ? err.message : String(err))
}

/** For a path `stat` says is a directory. */
export const IS_A_DIRECTORY = WORDS.EISDIR
