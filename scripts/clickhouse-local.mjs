// A throwaway ClickHouse server on loopback for the store tests and `npm run bench:store`: its own
// data directory, free ports, a config of its own (the Debian package's config.xml assumes
// /var/lib/clickhouse and fixed ports) with a `triage_two_shards` cluster that is this same server
// twice (databases shard1 and shard2), so a Distributed table over two databases runs the engine's distributed query path.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const CANDIDATES = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse', '/usr/local/bin/clickhouse-server']

/** The server binary, or null when ClickHouse is not installed (`apt-get install -y clickhouse-server`). */
export function clickhouseBinary() {
  for (const c of CANDIDATES) if (existsSync(c)) return c
  const which = spawnSync('which', ['clickhouse-server'], { encoding: 'utf8' })
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : null
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

function config(dir, httpPort, tcpPort) {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <triage_two_shards>
      <shard><replica><default_database>shard1</default_database><host>127.0.0.1</host><port>${tcpPort}</port></replica></shard>
      <shard><replica><default_database>shard2</default_database><host>127.0.0.1</host><port>${tcpPort}</port></replica></shard>
    </triage_two_shards>
  </remote_servers>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`
}

function users(password) {
  return `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><load_balancing>random</load_balancing></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
    <triage><password>${password}</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></triage>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`
}

/**
 * Starts a server; resolves once `/ping` answers. `stop()` kills it and removes its directory.
 * `password` is the password of the extra user `triage` (the tests read it through a credential ref).
 */
export async function startClickHouse({ password = 'triage-secret', startTimeoutMs = 60_000 } = {}) {
  const binary = clickhouseBinary()
  if (binary === null) throw new Error('clickhouse-server is not installed')
  const dir = mkdtempSync(path.join(os.tmpdir(), 'triage500-ch-'))
  for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(path.join(dir, d), { recursive: true })
  const httpPort = await freePort()
  let tcpPort = await freePort()
  while (tcpPort === httpPort) tcpPort = await freePort()
  writeFileSync(path.join(dir, 'config.xml'), config(dir, httpPort, tcpPort))
  writeFileSync(path.join(dir, 'users.xml'), users(password))
  const args = binary.endsWith('/clickhouse') ? ['server', `--config-file=${dir}/config.xml`] : [`--config-file=${dir}/config.xml`]
  const child = spawn(binary, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], detached: false })
  let stderr = ''
  child.stderr.on('data', (d) => {
    if (stderr.length < 4000) stderr += String(d)
  })
  let exited = null
  child.once('exit', (code) => {
    exited = code
  })
  const url = `http://127.0.0.1:${httpPort}`
  const started = Date.now()
  for (;;) {
    if (exited !== null) {
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`clickhouse-server exited (${exited}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`)
    }
    try {
      const res = await fetch(`${url}/ping`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() - started > startTimeoutMs) {
      child.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`clickhouse-server did not answer /ping within ${startTimeoutMs} ms`)
    }
    await sleep(200)
  }
  /** Runs one statement as `default`; throws the server's message on failure. */
  async function query(sql, body) {
    const target = body === undefined ? `${url}/?query=` : `${url}/?query=${encodeURIComponent(sql)}`
    const res = await fetch(target + (body === undefined ? encodeURIComponent(sql) : ''), { method: 'POST', body: body ?? '' })
    const text = await res.text()
    if (!res.ok) throw new Error(`ClickHouse: ${text.trim().slice(0, 500)}`)
    return text
  }
  async function stop() {
    if (exited === null) {
      const gone = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await gone
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  return { url, httpPort, tcpPort, dir, pid: child.pid, query, stop }
}
