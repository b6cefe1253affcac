import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { FoldedItem, LogFormatId } from '../../../shared/model/evidence'
import { createParser, EventFolder, type LineParser } from '../../../electron/collect/formats'
import { repoRoot } from '../../support/shared-data'

export const fixture = (name: string): string => path.join(repoRoot, 'tests', 'fixtures', 'formats', name)

/** A file's lines as the line splitter hands them over: split on \n, trailing \r removed. */
export function readLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
}

/** Every line through one EventFolder, as the ingest pipeline does it. */
export function foldLines(lines: string[], format: LogFormatId): FoldedItem[] {
  return foldWith(lines, createParser(format))
}

/** Every line through one EventFolder over this parser, with byte offsets as the reader counts them. */
export function foldWith(lines: readonly string[], parser: LineParser): FoldedItem[] {
  const folder = new EventFolder(parser)
  const items: FoldedItem[] = []
  let offset = 0
  lines.forEach((line, i) => {
    items.push(...folder.push(line, i + 1, offset))
    offset += Buffer.byteLength(line) + 1
  })
  items.push(...folder.flush())
  return items
}

export const foldFile = (file: string, format: LogFormatId): FoldedItem[] => foldLines(readLines(file), format)

export const lineTotal = (items: FoldedItem[]): number => items.reduce((n, item) => n + item.lines, 0)
