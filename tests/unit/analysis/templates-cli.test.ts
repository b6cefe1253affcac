import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import os from 'node:os'
import path from 'node:path'
import { runTemplates } from '../../../electron/cli/commands/templates'
import { type CliIO, UsageError } from '../../../electron/cli/io'

function capture(cwd: string): CliIO & { out: string; err: string } {
  const io = { out: '', err: '', cwd, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) }
  return io
}

const LINES = [
  '2024-05-01 10:00:00,001 INFO [main] shop.Api: GET /orders/17 answered 200 in 12ms',
  '2024-05-01 10:00:00,002 ERROR [main] shop.Db: connection to db.internal:5432 refused',
  '2024-05-01 10:00:01,003 INFO [main] shop.Api: GET /orders/18 answered 200 in 9ms',
  '2024-05-01 10:00:02,004 ERROR [main] shop.Db: connection to db.internal:5432 refused',
  '2024-05-01 10:00:03,005 INFO [main] shop.Api: GET /orders/19 answered 200 in 30ms'
]

describe('triage500 templates', () => {
  let dir = ''
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'triage500-templates-'))
    await writeFile(path.join(dir, 'app.log'), LINES.join('\n') + '\n')
    await writeFile(path.join(dir, 'crlf.log'), LINES.join('\r\n') + '\r\n')
    await writeFile(path.join(dir, 'app.log.gz'), gzipSync(LINES.join('\n')))
    await writeFile(path.join(dir, 'broken.gz'), Buffer.concat([gzipSync(LINES.join('\n')).subarray(0, 30)]))
    await mkdir(path.join(dir, 'folder'))
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('prints templates and one assignment per physical line as JSON', async () => {
    const io = capture(dir)
    expect(await runTemplates(['--format', 'json', 'app.log'], io)).toBe(0)
    const result = JSON.parse(io.out) as { templates: { id: string; template: string; count: number }[]; assignments: string[] }
    expect(result.templates).toEqual([
      { id: expect.stringMatching(/^T[0-9a-f]{12}$/), template: 'GET <*> answered <*> in <*>ms', count: 3 },
      { id: expect.stringMatching(/^T[0-9a-f]{12}$/), template: 'connection to <*> refused', count: 2 }
    ])
    const [api, db] = result.templates.map((t) => t.id)
    expect(result.assignments).toEqual([api, db, api, db, api])
  })

  it('reads CRLF and gzip files the same way', async () => {
    const outputs: string[] = []
    for (const file of ['app.log', 'crlf.log', 'app.log.gz']) {
      const io = capture(dir)
      expect(await runTemplates(['--format=json', file], io)).toBe(0)
      outputs.push(io.out)
    }
    expect(new Set(outputs).size).toBe(1)
  })

  it('prints a table, most frequent first, by default', async () => {
    const io = capture(dir)
    expect(await runTemplates([path.join(dir, 'app.log')], io)).toBe(0)
    const lines = io.out.trimEnd().split('\n')
    expect(lines[0]).toBe('5 lines, 2 templates')
    expect(lines[2]).toMatch(/^\s+3 {2}T[0-9a-f]{12} {2}GET <\*> answered <\*> in <\*>ms$/)
    expect(lines[3]).toMatch(/^\s+2 {2}T[0-9a-f]{12} {2}connection to <\*> refused$/)
  })

  it.each([
    [[], /missing LOG file/],
    [['a.log', 'b.log'], /exactly one LOG file/],
    [['nope.log'], /^nope\.log: no such file$/],
    [['folder'], /^folder: is a directory/],
    [['--format', 'xml', 'app.log'], /--format must be one of text, json/],
    [['broken.gz'], /^broken\.gz: cannot read after line \d+ \(gzip: /]
  ])('rejects %j with a one-line usage error', async (argv, message) => {
    const error = await runTemplates(argv as string[], capture(dir)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UsageError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })
})
