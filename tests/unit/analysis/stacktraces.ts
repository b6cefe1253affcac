/** The multi-line traces of /work/shared/data/stacktraces, split as their INDEX.tsv says. */
import { readFileSync } from 'node:fs'
import { sharedData } from '../../support/shared-data'

export interface NamedTrace {
  file: string
  name: string
  text: string
}

const dir = sharedData('stacktraces', 'gcp-fluent-plugin-detect-exceptions')

export function indexedTraces(): NamedTrace[] {
  const index = readFileSync(`${dir}/INDEX.tsv`, 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('file\t'))
    .map((l) => l.split('\t'))
  const cursor = new Map<string, number>()
  const contents = new Map<string, string[]>()
  return index.map(([file, name, count]) => {
    if (!contents.has(file)) contents.set(file, readFileSync(`${dir}/${file}`, 'utf8').split('\n'))
    const all = contents.get(file) ?? []
    const start = cursor.get(file) ?? 0
    const n = Number(count)
    cursor.set(file, start + n + 1)
    return { file, name, text: all.slice(start, start + n).join('\n') }
  })
}
