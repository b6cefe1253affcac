/**
 * The desktop keychain (`keychain:NAME`): secrets encrypted by an injected encryptor (here a real
 * AES-256-GCM one standing in for Electron's safeStorage), kept one 0600 file per name, resolved
 * into request headers by the same credential module env: and file: use. Proven on real files in
 * a tmp folder and real loopback servers: the secret reaches the store and Sentry as a header,
 * and nowhere else (the vault's files, the session's snapshot, incident.json, journal, report,
 * error lines). Without a vault (browser mode, the CLI) a keychain reference is one clear line.
 */
import { readdir, readFile, mkdtemp, rm, stat } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { MessageChannel } from 'node:worker_threads'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CredentialVault, KEYCHAIN_UNAVAILABLE } from '../../../electron/collect/store/vault'
import { credentialHeaders } from '../../../electron/collect/store/credentials'
import { StoreError } from '../../../electron/collect/store/errors'
import { readSentryIssues, SentryError } from '../../../electron/collect/sentry'
import { SessionService, UserError } from '../../../electron/session/service'
import { IncidentStore } from '../../../electron/session/store'
import { RemoteSourceHost, serveSourceHost } from '../../../electron/session/source-host'
import { runCli } from '../../../electron/cli/main'
import { KEYCHAIN_DESKTOP_ONLY, parseCredentialRef, type AddStoreRequest, type SourceInfo } from '../../../shared/contract'
import { SENTRY_ISSUES } from '../sentry/scenario'
import { startFakeSentry } from '../sentry/server'
import { aesEncryptor } from './aes-encryptor'

const SECRET = 'triage:Kx9-vault-s3cret-7Qp'
const BASIC = `Basic ${Buffer.from(SECRET).toString('base64')}`
/** Every spelling of the secret a leak could take. */
const SPELLINGS = [SECRET, Buffer.from(SECRET).toString('base64'), 'Kx9-vault-s3cret']

let home: string
const servers: http.Server[] = []

beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'triage500-vault-'))
})
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((resolve) => s.close(resolve))
  }
  await rm(home, { recursive: true, force: true })
})

function expectNoSecret(text: string, where: string): void {
  for (const s of SPELLINGS) expect(text.includes(s), `${where} holds the secret (${s})`).toBe(false)
}

/** Every file under a folder, as bytes. */
async function filesUnder(dir: string): Promise<{ file: string; bytes: Buffer }[]> {
  const out: { file: string; bytes: Buffer }[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const file = path.join(entry.parentPath, entry.name)
    out.push({ file, bytes: await readFile(file) })
  }
  return out
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e
  )
  expect(err).toBeInstanceOf(Error)
  expect((err as Error).message.split('\n')).toHaveLength(1)
  return err as Error
}

/**
 * A loopback ClickHouse HTTP interface that checks basic auth as ClickHouse does (516 on a wrong
 * password) and, once let in, is overloaded (503): a followed store keeps retrying, the card says slow.
 */
async function clickhouseNeeding(auth: string, seen: string[]): Promise<string> {
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '')
    if (req.headers.authorization !== auth) {
      res.writeHead(401, { 'x-clickhouse-exception-code': '516' })
      res.end('Code: 516. DB::Exception: triage: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)\n')
      return
    }
    res.writeHead(503).end('Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 100. (TOO_MANY_SIMULTANEOUS_QUERIES)\n')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

const storeRequest = (url: string, id: string): AddStoreRequest => ({
  kind: 'clickhouse',
  url,
  query: 'shop.access',
  from: Date.UTC(2026, 2, 10, 14),
  to: null,
  credential: { kind: 'keychain', id, scheme: 'basic' },
  intervalMs: 5000
})

describe('the keychain vault', () => {
  it('keeps a secret encrypted in a 0600 file under its name, and resolves it into the request headers', async () => {
    const dir = path.join(home, 'keychain')
    const vault = new CredentialVault(dir, aesEncryptor())
    expect(await vault.store('clickhouse-prod', SECRET)).toBe('keychain:clickhouse-prod')
    expect(await vault.store('sentry', 'sntrys_token_1')).toBe('keychain:sentry')
    expect(await vault.list()).toEqual(['clickhouse-prod', 'sentry'])
    expect(await vault.status()).toEqual({ available: true, reason: null, names: ['clickhouse-prod', 'sentry'] })

    const files = await filesUnder(dir)
    expect(files.map((f) => path.basename(f.file)).sort()).toEqual(['clickhouse-prod.secret', 'sentry.secret'])
    for (const { file, bytes } of files) {
      expect(((await stat(file)).mode & 0o777).toString(8)).toBe('600')
      expectNoSecret(bytes.toString('latin1'), file)
      expect(bytes.toString('latin1')).not.toContain('sntrys_token_1')
    }
    expect(((await stat(dir)).mode & 0o777).toString(8)).toBe('700')

    expect(await credentialHeaders({ kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' }, vault.lookup)).toEqual({ authorization: BASIC })
    expect(await credentialHeaders({ kind: 'keychain', id: 'sentry', scheme: 'bearer' }, vault.lookup)).toEqual({ authorization: 'Bearer sntrys_token_1' })

    // Stored again under the same name: replaced, still one file, still 0600.
    await vault.store('sentry', 'sntrys_token_2')
    expect(await credentialHeaders({ kind: 'keychain', id: 'sentry', scheme: 'bearer' }, vault.lookup)).toEqual({ authorization: 'Bearer sntrys_token_2' })
    expect((await readdir(dir)).sort()).toEqual(['clickhouse-prod.secret', 'sentry.secret'])

    await vault.delete('sentry')
    expect(await vault.list()).toEqual(['clickhouse-prod'])
  })

  it('a missing name, a name that is no name, an empty secret and a secret it cannot decrypt are each one line naming the name only', async () => {
    const dir = path.join(home, 'keychain')
    const vault = new CredentialVault(dir, aesEncryptor())
    await vault.store('clickhouse-prod', SECRET)

    const missing = await rejection(credentialHeaders({ kind: 'keychain', id: 'clickhouse-stage', scheme: 'basic' }, vault.lookup))
    expect(missing).toBeInstanceOf(StoreError)
    expect(missing.message).toBe('no secret named "clickhouse-stage" in the keychain: store it again in the desktop app')

    const traversal = await rejection(vault.store('../../etc/cron.d/x', SECRET))
    expect(traversal.message).toMatch(/^keychain name "\.\.\/\.\.\/etc\/cron\.d\/x": a keychain name is 1 to 64 of a-z, 0-9/)
    expect((await rejection(vault.resolve('Prod'))).message).toMatch(/^keychain name "Prod": /)
    expect((await rejection(vault.store('blank', '   '))).message).toBe('keychain secret "blank" is empty')
    expect(await readdir(dir)).toEqual(['clickhouse-prod.secret'])

    // Another key (the OS keychain was reset): the file is there, the secret is not to be had.
    const reset = new CredentialVault(dir, aesEncryptor())
    const undecryptable = await rejection(credentialHeaders({ kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' }, reset.lookup))
    expect(undecryptable.message).toBe('keychain secret "clickhouse-prod" could not be decrypted (the OS keychain\'s key changed or the file is damaged): store it again')

    for (const e of [missing, traversal, undecryptable]) expectNoSecret(e.message, 'the error')
  })

  it('refuses to store, never in plain text, when the OS has no keychain (Linux without a secret service)', async () => {
    const dir = path.join(home, 'keychain')
    const encryptor = aesEncryptor({ available: false })
    const vault = new CredentialVault(dir, encryptor)
    const refused = await rejection(vault.store('clickhouse-prod', SECRET))
    expect(refused.message).toBe(KEYCHAIN_UNAVAILABLE)
    await expect(stat(dir)).rejects.toThrow(/ENOENT/)
    expect(await vault.status()).toEqual({ available: false, reason: KEYCHAIN_UNAVAILABLE, names: [] })

    // Stored while the keychain was there, read after it went: refused in words too.
    encryptor.state.available = true
    await vault.store('clickhouse-prod', SECRET)
    encryptor.state.available = false
    expect((await rejection(credentialHeaders({ kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' }, vault.lookup))).message).toBe(KEYCHAIN_UNAVAILABLE)
  })
})

describe('where there is no vault (browser mode, the CLI)', { timeout: 30_000 }, () => {
  it('a keychain reference is one line saying where it works and what to use instead', async () => {
    const e = await rejection(credentialHeaders({ kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' }))
    expect(e.message).toBe('keychain credentials exist only in the desktop app; use env:NAME or file:PATH')

    // Browser mode's session (serve) has no keychain: adding the store is refused, nothing is kept.
    const session = new SessionService({ storage: new IncidentStore(home), follow: false })
    try {
      const refused = await rejection(session.addStore(storeRequest('http://127.0.0.1:1', 'clickhouse-prod')))
      expect(refused).toBeInstanceOf(UserError)
      expect(refused.message).toMatch(/^http:\/\/127\.0\.0\.1:1 shop\.access: credential keychain:clickhouse-prod: keychain credentials exist only in the desktop app; use env:NAME or file:PATH$/)
      expect(refused.message.endsWith(KEYCHAIN_DESKTOP_ONLY)).toBe(true)
      expect((await session.getIncident({})).sources).toEqual([])
    } finally {
      await session.close()
    }
  })

  it('analyze --store-credential / --sentry-token keychain:NAME exit 2 with that line', async () => {
    const cases: string[][] = [
      ['--store', 'http://127.0.0.1:1', '--query', 'shop.access', '--from', 'now-1h', '--store-credential', 'keychain:clickhouse-prod'],
      ['--sentry', 'http://127.0.0.1:1', '--sentry-org', 'acme', '--sentry-project', 'shop', '--sentry-token', 'keychain:sentry', path.join(home, 'app.log')]
    ]
    for (const argv of cases) {
      let err = ''
      const code = await runCli(['analyze', ...argv], { stdout: () => undefined, stderr: (t) => (err += t), cwd: home })
      expect(code, argv.join(' ')).toBe(2)
      expect(err.trim()).toMatch(/^triage500 analyze: --(?:store-credential|sentry-token): keychain credentials exist only in the desktop app; use env:NAME or file:PATH$/)
    }
  })

  it('the form and CLI spelling: keychain:NAME parses; names that are no file name do not', () => {
    expect(parseCredentialRef('keychain:clickhouse-prod')).toEqual({ kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' })
    expect(parseCredentialRef('bearer:keychain:sentry')).toEqual({ kind: 'keychain', id: 'sentry', scheme: 'bearer' })
    expect(parseCredentialRef('keychain:../secrets')).toBeNull()
    expect(parseCredentialRef('keychain:Prod')).toBeNull()
  })
})

// Loopback reads on a loaded shared machine: a bound for hangs, not a speed claim.
describe('the desktop session with a vault', { timeout: 30_000 }, () => {
  it('a store read sends the keychain secret as its header; snapshot, incident.json, journal, report and error lines never hold it', async () => {
    const vault = new CredentialVault(path.join(home, 'keychain'), aesEncryptor())
    await vault.store('clickhouse-prod', SECRET)
    const seen: string[] = []
    const url = await clickhouseNeeding(BASIC, seen)
    const incidents = path.join(home, 'data')
    const session = new SessionService({ storage: new IncidentStore(incidents), follow: true, keychain: vault.lookup })
    try {
      const info = await session.addStore(storeRequest(url, 'clickhouse-prod'))
      expect(info.store?.credential).toBe('basic keychain:clickhouse-prod')
      await session.idle()
      await expect.poll(() => seen.length, { timeout: 10_000 }).toBeGreaterThan(0)
      expect(seen.every((a) => a === BASIC)).toBe(true)
      const card = (await session.getSnapshot({})).sources.find((s) => s.id === info.id)
      // Let in, then overloaded: the right secret was sent.
      expect(card?.store?.health).toBe('slow')

      // A name the keychain does not hold: the card says so in one line; the store never sees a request.
      const before = seen.length
      const other = await session.addStore({ ...storeRequest(url, 'clickhouse-stage'), query: 'shop.app' })
      await session.idle()
      let otherCard: SourceInfo | undefined
      await expect
        .poll(async () => (otherCard = (await session.getSnapshot({})).sources.find((s) => s.id === other.id))?.error, { timeout: 10_000 })
        .toMatch(/no secret named "clickhouse-stage" in the keychain: store it again in the desktop app/)
      expect(otherCard?.error?.split('\n')).toHaveLength(1)
      expect(seen.slice(before).filter((a) => a !== BASIC)).toEqual([])

      expectNoSecret(JSON.stringify(await session.getSnapshot({})), 'the snapshot')
      expectNoSecret(JSON.stringify(await session.getIncident({})), 'the incident')
      expectNoSecret(JSON.stringify(await session.getJournal({})), 'the journal')
      expectNoSecret(JSON.stringify(await session.getAnalysis({})), 'the analysis')
      for (const format of ['markdown', 'html', 'json'] as const) expectNoSecret((await session.exportReport({ format, redact: false })).content, `the ${format} report`)
      expect((await session.getIncident({})).sources.map((s) => s.store?.credential)).toEqual([
        { kind: 'keychain', id: 'clickhouse-prod', scheme: 'basic' },
        { kind: 'keychain', id: 'clickhouse-stage', scheme: 'basic' }
      ])
    } finally {
      await session.close()
    }
    const written = await filesUnder(incidents)
    expect(written.map((f) => path.basename(f.file))).toEqual(expect.arrayContaining(['incident.json', 'journal.jsonl']))
    for (const { file, bytes } of [...written, ...(await filesUnder(path.join(home, 'keychain')))]) expectNoSecret(bytes.toString('latin1'), file)
  })

  it("the live worker asks the main thread's vault across its port; a worker whose main has none says where keychain credentials work", async () => {
    const vault = new CredentialVault(path.join(home, 'keychain'), aesEncryptor())
    await vault.store('clickhouse-prod', SECRET)
    const seen: string[] = []
    const url = await clickhouseNeeding(BASIC, seen)

    const withVault = new MessageChannel()
    serveSourceHost(withVault.port1, true, 0, true)
    const host = new RemoteSourceHost(withVault.port2, { changed: () => undefined, progress: () => undefined }, vault.lookup)
    try {
      const info = await host.addStore(storeRequest(url, 'clickhouse-prod'))
      await expect.poll(() => host.infos().find((s) => s.id === info.id)?.store?.health, { timeout: 10_000 }).toBe('slow')
      expect(seen.length).toBeGreaterThan(0)
      expect(seen.every((a) => a === BASIC)).toBe(true)
      const missing = await host.addStore({ ...storeRequest(url, 'nope'), query: 'shop.app' })
      await expect.poll(() => host.infos().find((s) => s.id === missing.id)?.error, { timeout: 10_000 }).toMatch(/no secret named "nope" in the keychain/)
      expectNoSecret(JSON.stringify(host.infos()), 'the cards')
    } finally {
      await host.close()
    }

    const without = new MessageChannel()
    serveSourceHost(without.port1, true, 0, true)
    const bare = new RemoteSourceHost(without.port2, { changed: () => undefined, progress: () => undefined })
    try {
      const info = await bare.addStore(storeRequest(url, 'clickhouse-prod'))
      await expect.poll(() => bare.infos().find((s) => s.id === info.id)?.error, { timeout: 10_000 }).toMatch(/keychain credentials exist only in the desktop app; use env:NAME or file:PATH/)
    } finally {
      await bare.close()
    }
  })

  it('a Sentry token in the keychain is sent as a bearer token, and a missing one is one line naming it', async () => {
    const token = 'sntrys_eyJpYXQiOjE3NDE2MTQ0MDB9_vault'
    const vault = new CredentialVault(path.join(home, 'keychain'), aesEncryptor())
    await vault.store('sentry-acme', token)
    const sentry = await startFakeSentry(SENTRY_ISSUES, token)
    try {
      const spec = {
        baseUrl: sentry.url,
        org: 'acme',
        project: 'shop',
        from: Date.parse('2026-03-10T13:45:00Z'),
        to: Date.parse('2026-03-10T14:15:00Z'),
        credential: { kind: 'keychain', id: 'sentry-acme', scheme: 'bearer' } as const
      }
      const reading = await readSentryIssues(spec, { keychain: vault.lookup })
      expect(reading.issues).toHaveLength(4)
      expect(sentry.requests.every((r) => r.auth === `Bearer ${token}`)).toBe(true)
      const e = await rejection(readSentryIssues({ ...spec, credential: { kind: 'keychain', id: 'sentry-other', scheme: 'bearer' } }, { keychain: vault.lookup }))
      expect(e).toBeInstanceOf(SentryError)
      expect(e.message).toMatch(/^Sentry 127\.0\.0\.1:\d+ acme\/shop: token: no secret named "sentry-other" in the keychain: store it again in the desktop app$/)
      expect(e.message).not.toContain(token)
    } finally {
      await sentry.close()
    }
  })
})
