import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { runCli } from '../../../electron/cli/main'
import type { CliIO } from '../../../electron/cli/io'
import { JAVA_LOG, NODE_LOG, PYTHON_LOG, SENTRY_ISSUES } from './scenario'
import { startFakeSentry, type FakeSentry } from './server'

let dir = ''
let sentry: FakeSentry

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sentry-cli-'))
  await writeFile(path.join(dir, 'shop-api.log'), JAVA_LOG)
  await writeFile(path.join(dir, 'gunicorn-error.log'), PYTHON_LOG)
  await writeFile(path.join(dir, 'users-api.log'), NODE_LOG)
  sentry = await startFakeSentry(SENTRY_ISSUES, 'sntrys_cli')
})
afterAll(async () => {
  await sentry.close()
  await rm(dir, { recursive: true, force: true })
  delete process.env.TRIAGE500_CLI_SENTRY
})

function io(): { out: string[]; err: string[]; io: CliIO } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { cwd: dir, stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) } }
}

describe('analyze --sentry', () => {
  it('joins the window\'s Sentry issues into the JSON, the token read from the variable named', async () => {
    process.env.TRIAGE500_CLI_SENTRY = 'sntrys_cli'
    const run = io()
    const argv = ['analyze', '--format', 'json', '--sentry', sentry.url, '--sentry-org', 'acme', '--sentry-project', 'shop', '--sentry-token', 'env:TRIAGE500_CLI_SENTRY', 'shop-api.log', 'gunicorn-error.log', 'users-api.log']
    expect(await runCli(argv, run.io)).toBe(0)
    const v1 = JSON.parse(run.out.join('')) as { errorGroups: { sentry: { shortId: string } | null }[]; sentryOnly: { shortId: string }[] }
    expect(v1.errorGroups.map((g) => g.sentry?.shortId ?? null).sort()).toEqual(['SHOP-API-1Z', 'SHOP-WEB-8K', 'USERS-API-3'])
    expect(v1.sentryOnly.map((i) => i.shortId)).toEqual(['USERS-API-4'])
    expect(run.out.join('')).not.toContain('sntrys_cli')
  })

  it('refuses a token given inline, and names what is missing', async () => {
    const inline = io()
    expect(await runCli(['analyze', '--sentry', sentry.url, '--sentry-org', 'acme', '--sentry-project', 'shop', '--sentry-token', 'sntrys_cli', 'shop-api.log'], inline.io)).toBe(2)
    expect(inline.err.join('')).toContain('--sentry-token takes env:NAME or file:PATH, never the token itself')
    expect(inline.err.join('')).not.toContain('sntrys_cli')
    const orphan = io()
    expect(await runCli(['analyze', '--sentry-org', 'acme', 'shop-api.log'], orphan.io)).toBe(2)
    expect(orphan.err.join('')).toContain('--sentry-org needs --sentry BASE_URL')
  })
})
