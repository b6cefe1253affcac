import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { IncidentStore, noteEntry } from '../../../electron/session/store'
import { repoRoot } from '../../support/shared-data'

const WRITER = path.join(repoRoot, 'tests', 'fixtures', 'report', 'journal-writer.mjs')

let home: string
beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'triage500-journal-'))
})
afterAll(async () => {
  await rm(home, { recursive: true, force: true })
})

describe('journal torn by a crash mid-write', () => {
  it('keeps every complete entry for a cut at every byte of the last entry, and names the torn line', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('Checkout 500s')
    const texts = ['first note', 'rolled back 2.15.0 → 2.14.3', 'ümlaut and emoji 🔥 in a note', 'deploy seen', 'the last entry, long enough: ' + 'x'.repeat(120) + ' ✓']
    for (const t of texts) await store.append(id, noteEntry(t, '2026-05-01T12:00:00.000Z'))
    const { journal: journalFile } = store.paths(id)
    const full = await readFile(journalFile)
    const lastStart = full.subarray(0, full.length - 1).lastIndexOf(0x0a) + 1
    expect(lastStart).toBeGreaterThan(0)

    let cuts = 0
    for (let cut = lastStart + 1; cut < full.length; cut++) {
      await writeFile(journalFile, full.subarray(0, cut))
      const opened = await store.open(id)
      const complete = cut === full.length - 1 // only the newline is missing: the entry itself is whole
      expect(opened.journal.map((e) => e.text)).toEqual(['Incident opened: Checkout 500s', ...(complete ? texts : texts.slice(0, -1))])
      if (complete) expect(opened.problems).toEqual([])
      else {
        expect(opened.problems).toHaveLength(1)
        expect(opened.problems[0]).toContain(`${journalFile} line 6: the last entry is incomplete`)
        expect(opened.problems[0]).toContain('the 5 complete entries before it are kept')
      }
      cuts++
    }
    expect(cuts).toBe(full.length - lastStart - 1)
  })

  it('starts the next append on a new line after a torn tail, so the new entry is intact', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('torn then appended')
    await store.append(id, noteEntry('kept'))
    await store.append(id, noteEntry('this one will be cut'))
    const { journal: journalFile } = store.paths(id)
    const full = await readFile(journalFile)
    await writeFile(journalFile, full.subarray(0, full.length - 12))
    await store.append(id, noteEntry('written after the crash'))
    const opened = await store.open(id)
    expect(opened.journal.map((e) => e.text)).toEqual(['Incident opened: torn then appended', 'kept', 'written after the crash'])
    expect(opened.problems).toEqual([`${journalFile} line 3: not valid JSON (an entry cut off by a crash, or edited by hand) and was skipped`])
  })
})

interface Writer {
  lines: string[]
  exited: Promise<NodeJS.Signals | null>
  kill(): void
  /** Resolves when a stdout line satisfies `test`. */
  waitFor(test: (line: string) => boolean, timeoutMs?: number): Promise<void>
}

function startWriter(file: string, args: string[] = []): Writer {
  const child = spawn(process.execPath, [WRITER, file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  const lines: string[] = []
  const waiters: (() => void)[] = []
  let buffered = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
    for (const w of waiters) w()
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)))
  return {
    lines,
    exited,
    kill: () => child.kill('SIGKILL'),
    waitFor: (test, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`writer did not get there in ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs)
        const check = (): void => {
          if (lines.some(test)) {
            clearTimeout(timer)
            resolve()
          }
        }
        waiters.push(check)
        check()
      })
  }
}

describe('journal written by a process that is SIGKILLed', () => {
  it('a kill inside an entry: every complete entry survives, the torn one is reported, the next append is intact', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('killed writer')
    const { journal: journalFile } = store.paths(id)
    const writer = startWriter(journalFile, ['--torn-after', '40'])
    await writer.waitFor((l) => l === 'torn')
    writer.kill()
    expect(await writer.exited).toBe('SIGKILL')

    const raw = await readFile(journalFile, 'utf8')
    expect(raw.endsWith('\n')).toBe(false)
    const opened = await store.open(id)
    const written = opened.journal.filter((e) => e.data?.n !== undefined).map((e) => e.data?.n)
    expect(written).toEqual(Array.from({ length: 40 }, (_, n) => n))
    expect(opened.problems).toEqual([expect.stringContaining(`${journalFile} line 42: the last entry is incomplete`)])

    await store.append(id, noteEntry('after the kill'))
    const reopened = await store.open(id)
    expect(reopened.journal.length).toBe(42)
    expect(reopened.journal.at(-1)?.text).toBe('after the kill')
    expect(reopened.problems).toEqual([expect.stringContaining(`${journalFile} line 42: not valid JSON`)])
  })

  it('a kill at whatever moment the stream is at: the file stays readable and no complete entry is lost', async () => {
    const store = new IncidentStore(home)
    const { id } = await store.create('killed anywhere')
    const { journal: journalFile } = store.paths(id)
    const writer = startWriter(journalFile)
    await writer.waitFor((l) => Number(l) >= 150)
    writer.kill()
    expect(await writer.exited).toBe('SIGKILL')
    const reported = Math.max(...writer.lines.filter((l) => /^\d+$/.test(l)).map(Number))

    const opened = await store.open(id)
    const written = opened.journal.filter((e) => e.data?.n !== undefined).map((e) => e.data?.n as number)
    // Entries the writer reported as complete are all there, in order, without a gap.
    expect(written.length).toBeGreaterThanOrEqual(reported + 1)
    expect(written).toEqual(Array.from({ length: written.length }, (_, n) => n))
    const torn = !(await readFile(journalFile, 'utf8')).endsWith('\n')
    expect(opened.problems).toHaveLength(torn ? 1 : 0)

    await store.append(id, noteEntry('after the kill'))
    const reopened = await store.open(id)
    expect(reopened.journal.length).toBe(opened.journal.length + 1)
    expect(reopened.journal.at(-1)?.text).toBe('after the kill')
  })
})
