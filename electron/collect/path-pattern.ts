/**
 * A path typed in the path field, as a shell would read it: `~` for the home folder and
 * wildcards (`*`, `?`, `[…]`) in the file name (`/var/log/nginx/*.log`) for every file that
 * matches. Wildcards in folder names are refused in words rather than walked.
 */
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import { resolveAppPath, SourceFileError } from './source-file'
import { fsErrorText } from './fs-errors'

const WILDCARD = /[*?[]/

/** `*.log` → a regular expression for one file name (no separators). */
function nameMatcher(pattern: string): RegExp {
  let out = ''
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    if (ch === '*') out += '[^/\\\\]*'
    else if (ch === '?') out += '[^/\\\\]'
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end === -1) out += '\\['
      else {
        const body = pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')
        out += `[${body}]`
        i = end
      }
    } else out += ch.replace(/[.+^${}()|\\]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}

/** The files a typed path names, sorted; throws SourceFileError (one line, naming the path) when none do. */
export async function expandPathPattern(text: string, home?: string): Promise<string[]> {
  const resolved = resolveAppPath(text, home)
  const name = path.basename(resolved)
  if (!WILDCARD.test(resolved)) return [resolved]
  // A literal name with brackets that exists is that file, not a pattern.
  if (await stat(resolved).then((s) => s.isFile(), () => false)) return [resolved]
  const dir = path.dirname(resolved)
  if (WILDCARD.test(dir)) throw new SourceFileError(text.trim(), 'wildcards work in the file name only, not in folder names')
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    throw new SourceFileError(dir, fsErrorText(err))
  }
  const match = nameMatcher(name)
  const files: string[] = []
  for (const n of names.filter((n) => match.test(n)).sort()) {
    const full = path.join(dir, n)
    if (await stat(full).then((s) => s.isFile(), () => false)) files.push(full)
  }
  if (files.length === 0) throw new SourceFileError(text.trim(), `no file matches ${name} in ${dir}`)
  return files
}
