import { describe, it, expect, beforeEach, afterEach } from 'vitest'
import { appendFile, copyFile, mkdir, mkdtemp, readFile, rename, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises'
import { closeSync, existsSync, openSync, readdirSync, readlinkSync, writeSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { FileTailer } from '../../../electron/collect/tail'
import type { TailLine, TailOptions, TailStatus } from '../../../electron/collect/tail'

const POLL_MS = 50

/** Everything a tailer reported, in the order it reported it. */
class Recorder {
  readonly lines: TailLine[] = []
  readonly statuses: TailStatus[] = []
  readonly events: string[] = []
  /** performance.now() at which each line arrived. */
  readonly arrivals: number[] = []
  readonly handlers = {
    onLines: (lines: TailLine[]): void => {
      const now = performance.now()
      for (const line of lines) {
        this.lines.push(line)
        this.arrivals.push(now)
        this.events.push(`${line.generation}:${line.lineNo}:${line.text}`)
      }
    },
    onStatus: (status: TailStatus): void => {
      this.statuses.push(status)
      this.events.push(status.kind)
    }
  }

  texts(): string[] {
    return this.lines.map((l) => l.text)
  }

  kinds(): string[] {
    return this.statuses.map((s) => s.kind)
  }
}

/** Polls a condition until it holds; fails with what was awaited and what was seen. */
async function until(condition: () => boolean, what: string, recorder?: Recorder, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!condition()) {
    if (performance.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; seen: ${JSON.stringify(recorder?.events ?? [])}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** The handles that keep a Node process alive: timers and fs watches. */
const keepAlive = (): string[] => process.getActiveResourcesInfo().filter((r) => r === 'Timeout' || r === 'FSEventWrap')

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let dir = ''
let logPath = ''
const tailers: FileTailer[] = []

async function follow(opts: TailOptions = {}, file = logPath): Promise<Recorder> {
  const recorder = new Recorder()
  const tailer = new FileTailer(file, { pollMs: POLL_MS, ...opts }, recorder.handlers)
  tailers.push(tailer)
  await tailer.start()
  return recorder
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-tail-'))
  logPath = path.join(dir, 'app.log')
})

afterEach(async () => {
  for (const tailer of tailers.splice(0)) await tailer.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('FileTailer', () => {
  it('delivers many small appends in order, with true line numbers and offsets', async () => {
    await writeFile(logPath, 'existing 1\nexisting 2\n')
    const rec = await follow()
    const expected: string[] = []
    for (let i = 0; i < 200; i++) {
      const batch = i % 3 === 0 ? [`line ${i}a`, `line ${i}b`] : [`line ${i}`]
      expected.push(...batch)
      await appendFile(logPath, batch.map((t) => t + '\n').join(''))
    }
    await until(() => rec.lines.length >= expected.length, `${expected.length} lines`, rec)
    expect(rec.texts()).toEqual(expected)
    expect(rec.lines.map((l) => l.lineNo)).toEqual(expected.map((_, i) => i + 3))
    const content = await readFile(logPath, 'utf8')
    for (const line of rec.lines) expect(content.slice(line.offset, line.offset + line.text.length)).toBe(line.text)
    expect(rec.kinds()).toEqual(['following'])
  })

  it('starting at the end skips existing lines but completes an existing unterminated one', async () => {
    await writeFile(logPath, 'old a\nold b\npar')
    const rec = await follow()
    await appendFile(logPath, 'tial\nnew\n')
    await until(() => rec.lines.length >= 2, '2 lines', rec)
    expect(rec.lines).toEqual([
      { text: 'partial', lineNo: 3, offset: 12, generation: 1 },
      { text: 'new', lineNo: 4, offset: 20, generation: 1 }
    ])
    expect(rec.statuses).toEqual([{ kind: 'following', size: 15 }])
  })

  it('fromStart delivers the existing content first', async () => {
    await writeFile(logPath, 'one\r\ntwo\r\n')
    const rec = await follow({ fromStart: true })
    await appendFile(logPath, 'three\r\n')
    await until(() => rec.lines.length >= 3, '3 lines', rec)
    expect(rec.texts()).toEqual(['one', 'two', 'three'])
    expect(rec.lines.map((l) => l.offset)).toEqual([0, 5, 10])
  })

  it('holds a line written in two halves until its terminator arrives, then delivers it once', async () => {
    await writeFile(logPath, '')
    const rec = await follow()
    await appendFile(logPath, 'first half, ')
    // The delay is the scenario: several polls and watch wake-ups see the half line.
    await pause(POLL_MS * 6)
    expect(rec.lines).toEqual([])
    await appendFile(logPath, 'second half\n')
    await until(() => rec.lines.length >= 1, 'the whole line', rec)
    // A CRLF written as CR, then LF later, is one terminator: no empty line in between.
    await appendFile(logPath, 'crlf line\r')
    await until(() => rec.lines.length >= 2, 'the CR-terminated line', rec)
    await pause(POLL_MS * 3)
    await appendFile(logPath, '\nafter\n')
    await until(() => rec.lines.length >= 3, 'the line after', rec)
    await pause(POLL_MS * 3)
    expect(rec.texts()).toEqual(['first half, second half', 'crlf line', 'after'])
    expect(rec.lines.map((l) => l.lineNo)).toEqual([1, 2, 3])
  })

  it('follows a rename rotation: the old file to its end, late writes included, then the new one from its start', async () => {
    const writer = openSync(logPath, 'a')
    try {
      writeSync(writer, 'old 1\nold 2\n')
      const rec = await follow({ fromStart: true })
      await until(() => rec.lines.length >= 2, 'the first 2 lines', rec)
      await rename(logPath, `${logPath}.1`)
      // The writer has not reopened yet: it keeps appending to the renamed file.
      await until(() => rec.kinds().includes('rotated'), 'the rotation to be seen', rec)
      writeSync(writer, 'old 3 (after the rename)\n')
      await until(() => rec.lines.length >= 3, 'the late line of the old file', rec)
      writeSync(writer, 'old 4\nold 5 without terminator')
      await writeFile(logPath, 'new 1\nnew 2\n')
      await until(() => rec.lines.length >= 7, 'all 7 lines', rec)
      expect(rec.texts()).toEqual(['old 1', 'old 2', 'old 3 (after the rename)', 'old 4', 'old 5 without terminator', 'new 1', 'new 2'])
      expect(rec.lines.map((l) => [l.generation, l.lineNo])).toEqual([
        [1, 1],
        [1, 2],
        [1, 3],
        [1, 4],
        [1, 5],
        [2, 1],
        [2, 2]
      ])
      expect(rec.lines[5].offset).toBe(0)
      expect(rec.kinds()).toEqual(['following', 'rotated', 'following'])
      // The new generation is announced before its first line.
      expect(rec.events.indexOf('following', 1)).toBeLessThan(rec.events.indexOf('2:1:new 1'))
    } finally {
      closeSync(writer)
    }
  })

  it('loses nothing when the old file is appended to and replaced before the tailer looks', async () => {
    const writer = openSync(logPath, 'a')
    try {
      const rec = await follow()
      writeSync(writer, 'a\n')
      await until(() => rec.lines.length >= 1, 'the first line', rec)
      await rename(logPath, `${logPath}.1`)
      writeSync(writer, 'b\nc\n')
      await writeFile(logPath, 'd\n')
      await until(() => rec.lines.length >= 4, '4 lines', rec)
      expect(rec.lines.map((l) => `${l.generation}:${l.text}`)).toEqual(['1:a', '1:b', '1:c', '2:d'])
      // Whether 'rotated' comes before b and c depends on when the tailer looked; before d it must.
      expect(rec.events.indexOf('rotated')).toBeGreaterThan(-1)
      expect(rec.events.indexOf('rotated')).toBeLessThan(rec.events.indexOf('2:1:d'))
    } finally {
      closeSync(writer)
    }
  })

  it('restarts from offset 0 after copytruncate and says so', async () => {
    await writeFile(logPath, '')
    const rec = await follow()
    await appendFile(logPath, 'before 1\nbefore 2\nbefore 3\n')
    await until(() => rec.lines.length >= 3, '3 lines', rec)
    await copyFile(logPath, `${logPath}.1`)
    await truncate(logPath, 0)
    await appendFile(logPath, 'after 1\n')
    await until(() => rec.lines.length >= 4, 'the line after truncation', rec)
    expect(rec.lines[3]).toEqual({ text: 'after 1', lineNo: 1, offset: 0, generation: 2 })
    expect(rec.kinds()).toEqual(['following', 'truncated', 'following'])
  })

  it('reports a deletion, waits, and follows the re-created file from its start', async () => {
    await writeFile(logPath, 'first life\n')
    const rec = await follow({ fromStart: true })
    await until(() => rec.lines.length >= 1, 'the first line', rec)
    await appendFile(logPath, 'last words without terminator')
    await unlink(logPath)
    await until(() => rec.kinds().includes('waiting'), 'waiting after the deletion', rec)
    await writeFile(logPath, 'second life\n')
    await until(() => rec.lines.length >= 3, '3 lines', rec)
    expect(rec.events).toEqual(['following', '1:1:first life', '1:2:last words without terminator', 'deleted', 'waiting', 'following', '2:1:second life'])
  })

  it('waits for a file that does not exist yet, then follows it from its start', async () => {
    const rec = await follow()
    expect(rec.kinds()).toEqual(['waiting'])
    await appendFile(logPath, 'born\nand growing\n')
    await until(() => rec.lines.length >= 2, '2 lines', rec)
    expect(rec.lines.map((l) => [l.text, l.lineNo, l.offset])).toEqual([
      ['born', 1, 0],
      ['and growing', 2, 5]
    ])
    expect(rec.kinds()).toEqual(['waiting', 'following'])
  })

  it('waits for a file whose directory does not exist yet', async () => {
    const nested = path.join(dir, 'later', 'app.log')
    const rec = await follow({}, nested)
    await mkdir(path.dirname(nested))
    await writeFile(nested, 'finally\n')
    await until(() => rec.lines.length >= 1, 'the line', rec)
    expect(rec.texts()).toEqual(['finally'])
  })

  it('caps a very long line without losing the lines around it', async () => {
    await writeFile(logPath, '')
    const rec = await follow({ maxLineBytes: 1024 })
    await appendFile(logPath, `before\n${'z'.repeat(3 * 1024 * 1024)}\nafter\n`)
    await until(() => rec.lines.length >= 3, '3 lines', rec)
    expect(rec.lines.map((l) => [l.text.length, l.lineNo, l.offset])).toEqual([
      [6, 1, 0],
      [1024, 2, 7],
      [5, 3, 7 + 3 * 1024 * 1024 + 1]
    ])
  })

  it('reports a path that is not a regular file as an error line, without throwing', async () => {
    const rec = await follow({}, dir)
    expect(rec.statuses).toEqual([{ kind: 'error', message: `${dir}: is not a regular file` }])
    await pause(POLL_MS * 4)
    // Polls retry quietly: the same error is said once.
    expect(rec.statuses).toHaveLength(1)
  })

  it.each([
    // A 1 s poll could not make it in time: only the watch can.
    ['with the directory watch', { pollMs: 1000 }],
    ['by the default 100 ms poll alone', { pollMs: 100, watch: false }]
  ])('delivers new lines within 250 ms of being written, %s', async (how, opts) => {
    await writeFile(logPath, '')
    const rec = await follow(opts)
    const latencies: number[] = []
    for (let i = 0; i < 20; i++) {
      const written = performance.now()
      await appendFile(logPath, `request ${i} 500\n`)
      await until(() => rec.lines.length > i, `line ${i}`, rec)
      latencies.push(rec.arrivals[i] - written)
      await pause(10)
    }
    latencies.sort((a, b) => a - b)
    console.info(`tail latency ${how}, 20 appends: median ${latencies[10].toFixed(1)} ms, max ${latencies[19].toFixed(1)} ms`)
    expect(latencies[19]).toBeLessThan(200)
  })

  it('stop() leaves no timer, watch or open file behind, and calls no handler afterwards', async () => {
    const before = keepAlive()
    await writeFile(logPath, '')
    const rec = new Recorder()
    const tailer = new FileTailer(logPath, { pollMs: POLL_MS }, rec.handlers)
    await tailer.start()
    await appendFile(logPath, 'seen\n')
    await until(() => rec.lines.length >= 1, 'the line', rec)
    const during = keepAlive()
    expect(during.length).toBeGreaterThan(before.length)
    await tailer.stop()
    // A closed watch handle is released by libuv on a following loop turn, so wait for it.
    await until(() => keepAlive().length === before.length, 'the timer and the watch to be released', undefined, 1000)
    expect(keepAlive()).toEqual(before)
    if (existsSync('/proc/self/fd')) {
      const open = readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          return [readlinkSync(`/proc/self/fd/${fd}`)]
        } catch {
          return []
        }
      })
      expect(open.filter((target) => target.startsWith(dir))).toEqual([])
    }
    await appendFile(logPath, 'unseen\n')
    await unlink(logPath)
    await pause(POLL_MS * 4)
    expect(rec.texts()).toEqual(['seen'])
    expect(rec.kinds()).toEqual(['following'])
  })

  it('stop() during start() leaves nothing running', async () => {
    const before = keepAlive()
    await writeFile(logPath, 'x\n'.repeat(100_000))
    const tailer = new FileTailer(logPath, { pollMs: POLL_MS }, new Recorder().handlers)
    const starting = tailer.start()
    await tailer.stop()
    await starting
    await until(() => keepAlive().length === before.length, 'the timer and the watch to be released', undefined, 1000)
    expect(keepAlive()).toEqual(before)
  })
})

/**
 * A writer as a logging process is one: it holds its own descriptor, keeps appending to the file
 * it opened after that file was rotated away, and reopens the path only when told to.
 */
class Writer {
  private fd: number
  readonly written: string[][] = [[]]

  constructor(private readonly file: string) {
    this.fd = openSync(file, 'a')
  }

  /** Appends `count` lines, `perTick` per event-loop turn, so a tailer runs while it writes. */
  async lines(prefix: string, count: number, perTick = 2): Promise<void> {
    for (let i = 0; i < count; i++) {
      const text = `${prefix} ${i} ${'.'.repeat(i % 7)}`
      writeSync(this.fd, text + '\n')
      this.written[this.written.length - 1].push(text)
      if (i % perTick === perTick - 1) await pause(1)
    }
  }

  /** Closes the descriptor and opens the path again: what a logger does on SIGHUP / USR1. */
  reopen(): void {
    closeSync(this.fd)
    this.fd = openSync(this.file, 'a')
    this.written.push([])
  }

  close(): void {
    closeSync(this.fd)
  }
}

interface RotationMode {
  name: string
  /** Makes logPath name a fresh file (or, for copytruncate, an emptied one). */
  rotate(): Promise<void>
  /** Whether the writer has to reopen to reach the new file. */
  reopens: boolean
}

const ROTATIONS: RotationMode[] = [
  {
    name: 'rename + create (logrotate create)',
    rotate: async () => {
      await rename(logPath, `${logPath}.1`)
      await writeFile(logPath, '', { mode: 0o640 })
    },
    reopens: true
  },
  {
    name: 'rename, the writer creates the new file on reopen (logrotate nocreate)',
    rotate: async () => {
      await rename(logPath, `${logPath}.1`)
    },
    reopens: true
  },
  {
    name: 'symlink swap (the followed path is re-pointed to a new file)',
    rotate: async () => {
      const next = path.join(dir, 'app-2.log')
      await writeFile(next, '')
      await symlink(next, `${logPath}.tmp`)
      // As `ln -sfn`: a new link renamed over the old one, so the path is never missing.
      await rename(`${logPath}.tmp`, logPath)
    },
    reopens: true
  },
  {
    name: 'delete + re-create',
    rotate: async () => {
      await unlink(logPath)
      await writeFile(logPath, '')
    },
    reopens: true
  },
  {
    name: 'copytruncate',
    rotate: async () => {
      await copyFile(logPath, `${logPath}.1`)
      await truncate(logPath, 0)
    },
    reopens: false
  }
]

describe('FileTailer across rotation with a live writer', () => {
  it.each(ROTATIONS)('loses and repeats no line: $name', async (mode) => {
    if (mode.name.startsWith('symlink')) {
      await writeFile(path.join(dir, 'app-1.log'), '')
      await symlink(path.join(dir, 'app-1.log'), logPath)
    }
    const writer = new Writer(logPath)
    try {
      const rec = await follow({ fromStart: true })
      // Long lines before the rotation, short ones after: a truncated file never regrows past
      // the old read position between two looks, which no follower could detect (see tail.ts).
      await writer.lines(`before the rotation ${'x'.repeat(60)}`, 50)
      if (!mode.reopens) await until(() => rec.lines.length >= 50, 'the lines before the truncation', rec)
      await mode.rotate()
      // The writer has not been told yet: 200 lines in about 100 ms go to the file it holds.
      await writer.lines('late', 200)
      if (mode.reopens) writer.reopen()
      await writer.lines('new', 100)
      await until(() => rec.lines.some((l) => l.text.startsWith('new 99 ')), 'the last line of the new file', rec, 10_000)

      const expected = mode.reopens ? writer.written : [writer.written[0].slice(0, 50), writer.written[0].slice(50)]
      const seen = new Map<string, number>()
      for (const text of rec.texts()) seen.set(text, (seen.get(text) ?? 0) + 1)
      const lost = expected.flat().filter((t) => !seen.has(t))
      const repeated = [...seen].filter(([, n]) => n > 1).map(([t]) => t)
      expect({ lost: lost.length, repeated: repeated.length, firstLost: lost[0] }).toEqual({ lost: 0, repeated: 0, firstLost: undefined })
      // Each file's lines in its order, the old file's all before the new one's.
      expect([1, 2].map((g) => rec.lines.filter((l) => l.generation === g).map((l) => l.text))).toEqual(expected)
      expect(rec.lines.map((l) => l.generation)).toEqual(expected.flatMap((lines, g) => lines.map(() => g + 1)))
      // Line numbers are those a plain read of each file gives.
      expect(rec.lines.map((l) => l.lineNo)).toEqual(expected.flatMap((lines) => lines.map((_, i) => i + 1)))
    } finally {
      writer.close()
    }
  })
})
