import { readFile } from 'node:fs/promises'
import type { AppEvent, FoldedItem, RequestEvent } from '../../../shared/model/evidence'
import { createParser, detectFormat, EventFolder } from '../../../electron/collect/formats'

/** Polls a condition until it holds; fails naming what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== null && value !== undefined && value !== false) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export interface ParsedLog {
  format: string
  items: FoldedItem[]
  requests: RequestEvent[]
  appEvents: AppEvent[]
  unparsed: number
}

/** Reads a log the way the collectors do: detect the format, parse and fold every line. */
export async function parseLog(file: string): Promise<ParsedLog> {
  const text = await readFile(file, 'utf8')
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const format = detectFormat(lines).format
  const folder = new EventFolder(createParser(format))
  const items: FoldedItem[] = []
  lines.forEach((line, i) => items.push(...folder.push(line, i + 1, 0)))
  items.push(...folder.flush())
  return {
    format,
    items,
    requests: items.filter((i): i is RequestEvent => i.kind === 'request'),
    appEvents: items.filter((i): i is AppEvent => i.kind === 'app'),
    unparsed: items.filter((i) => i.kind === 'unparsed').length
  }
}

/** Live timers, sockets, servers and file handles by kind: what would keep the process from exiting. */
export function activeHandles(): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1
  return counts
}

export const HANDLE_KINDS = ['Timeout', 'TCPServerWrap', 'TCPSocketWrap', 'FileHandle', 'FSEventWrap', 'StatWatcher']

/** Lets closed handles finish closing, then checks none of HANDLE_KINDS outlived what was there before. */
export async function expectNoNewHandles(before: Record<string, number>, expectLe: (kind: string, after: number, before: number) => void): Promise<void> {
  await new Promise((r) => setTimeout(r, 20))
  const after = activeHandles()
  for (const kind of HANDLE_KINDS) expectLe(kind, after[kind] ?? 0, before[kind] ?? 0)
}
