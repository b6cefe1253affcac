/**
 * What an app's own log says about its lifecycle, collected while the file is read (bounded,
 * never per line kept): when each instance started and with which version, when the version it
 * logs changed, and which schema migrations it ran. Deploys and restarts are derived from this
 * after every source is merged (./derive.ts).
 */
import type { AppEvent } from '../../model/evidence'
import { type BannerKind, cleanVersion, matchBanner, sameVersion } from './banners'
import { matchMigration, type MigrationKind } from './migrations'

/** One boot of one instance: its banner lines (Spring's Starting…Started, Puma's block) are one start. */
export interface StartSighting {
  instance: string
  kind: BannerKind
  at: number | null
  /** The app's version, when the banner or the record names it. */
  version: string | null
  /** The server's or framework's own version (gunicorn 21.2.0): not the app's. */
  server: string | null
  /** The first banner pattern of the boot. */
  banner: string
  path: string
  line: number
}

/** An instance started logging a version other than the one it logged before (or its first). */
export interface VersionRun {
  instance: string
  version: string
  at: number
  path: string
  line: number
  /** `kubernetes` when a ReplicaSet's image tag says it (electron/collect/kube): the rollout is the deploy. */
  origin?: 'kubernetes'
}

export interface MigrationSighting {
  tool: string
  kind: MigrationKind
  id: string | null
  at: number | null
  instance: string
  path: string
  line: number
}

export interface LogLifecycle {
  starts: StartSighting[]
  runs: VersionRun[]
  migrations: MigrationSighting[]
  /** Counted past the bounds, so a flood (a crash loop) still shows its size. */
  startsSeen: number
  migrationsSeen: number
}

export const MAX_STARTS = 1000
export const MAX_RUNS = 1000
export const MAX_MIGRATIONS = 200
/** A word every banner or migration line has (banners.ts and migrations.ts check their own again). */
const ANY_HINT = /start|listen|version|release|boot|running|fpm|ready to handle|\* |migrat|applying|upgrade|changeset|DONE|\/u /i

/** Of an event's folded lines, how many are read for banners and migrations. */
const MAX_FOLDED_LINES = 40
/** The banner lines of one boot come within this long of each other. */
export const START_BLOCK_MS = 2 * 60_000

/** The logger of the events read from Kubernetes objects (electron/collect/kube/objects.ts). */
export const KUBE_LOGGER = 'kubernetes'

export const emptyLifecycle = (): LogLifecycle => ({ starts: [], runs: [], migrations: [], startsSeen: 0, migrationsSeen: 0 })

interface Boot {
  start: StartSighting
  /** Banner patterns already seen in this boot: the same one again is the next boot. */
  banners: Set<string>
}

/**
 * Collects one source's lifecycle. `sourceKey` names the instance when the lines do not (one
 * file, one process); an undated line (an unparsed banner) takes the time of the line before it,
 * or of the next dated one.
 */
export class LifecycleCollector {
  private readonly out = emptyLifecycle()
  private readonly boots = new Map<string, Boot>()
  private readonly versions = new Map<string, string>()
  private lastTime: number | null = null
  private readonly undated: { at: number | null }[] = []

  constructor(private readonly sourceKey: string) {}

  private seeTime(t: number | null): void {
    if (t === null) return
    this.lastTime = t
    if (this.undated.length > 0) for (const u of this.undated.splice(0)) u.at = t
  }

  private stamp<T extends { at: number | null }>(item: T): T {
    if (item.at === null) {
      item.at = this.lastTime
      if (item.at === null) this.undated.push(item)
    }
    return item
  }

  addEvent(e: AppEvent): void {
    this.seeTime(e.time)
    const instance = e.instance ?? this.sourceKey
    const version = cleanVersion(e.version)
    let banner = false
    // An error is never a banner: "unsupported app version: 3" is a failure, not a boot.
    if (e.level !== 'error' && e.level !== 'fatal') {
      // Lines folded into the event (a release phase's migration output under one dated line) are read too, within bounds.
      const text = e.lines > 1 && e.stack !== null ? `${e.message}\n${e.stack}` : e.message
      const lines = text.includes('\n') ? text.split('\n', MAX_FOLDED_LINES) : [text]
      for (const line of lines) if (this.text(line.trim(), e.time, instance, e.line, version) === true) banner = true
    }
    if (!banner && version !== null && e.time !== null) this.run(instance, version, e.time, e.line, e.logger === KUBE_LOGGER ? 'kubernetes' : undefined)
  }

  addUnparsed(text: string, line: number): void {
    this.text(text.trim(), null, this.sourceKey, line, null)
  }

  /** Reads one line's text for a banner or a migration; true when it was a banner. */
  private text(text: string, time: number | null, instance: string, line: number, recordVersion: string | null): true | null {
    // Most app lines are neither: one cheap test of the words both kinds need before any pattern runs.
    if (text.length > 400 || !ANY_HINT.test(text)) return null
    const migration = matchMigration(text)
    if (migration !== null) {
      this.out.migrationsSeen++
      if (this.out.migrations.length < MAX_MIGRATIONS)
        this.out.migrations.push(this.stamp({ tool: migration.pattern.tool, kind: migration.pattern.kind, id: migration.id, at: time, instance, path: this.sourceKey, line }))
      return null
    }
    const banner = matchBanner(text)
    if (banner === null) return null
    const version = banner.version ?? recordVersion
    const at = time ?? this.lastTime
    const boot = this.boots.get(instance)
    const sameBoot =
      boot !== undefined && boot.start.kind === banner.pattern.kind && !boot.banners.has(banner.pattern.id) &&
      (at === null || boot.start.at === null || at - boot.start.at <= START_BLOCK_MS) &&
      (version === null || boot.start.version === null || sameVersion(version, boot.start.version))
    if (sameBoot) {
      boot.banners.add(banner.pattern.id)
      boot.start.server ??= banner.server
      if (boot.start.version === null && version !== null) {
        boot.start.version = version
        if (boot.start.at !== null) this.run(instance, version, boot.start.at, boot.start.line)
      }
      return true
    }
    const start = this.stamp<StartSighting>({ instance, kind: banner.pattern.kind, at: time, version, server: banner.server, banner: banner.pattern.id, path: this.sourceKey, line })
    this.boots.set(instance, { start, banners: new Set([banner.pattern.id]) })
    this.out.startsSeen++
    if (this.out.starts.length < MAX_STARTS) this.out.starts.push(start)
    if (version !== null && start.at !== null) this.run(instance, version, start.at, line)
    return true
  }

  private run(instance: string, version: string, at: number, line: number, origin?: 'kubernetes'): void {
    const current = this.versions.get(instance)
    if (current !== undefined && sameVersion(current, version)) return
    this.versions.set(instance, version)
    if (this.out.runs.length < MAX_RUNS) this.out.runs.push(origin === undefined ? { instance, version, at, path: this.sourceKey, line } : { instance, version, at, path: this.sourceKey, line, origin })
  }

  result(): LogLifecycle {
    return {
      starts: this.out.starts.filter((s) => s.at !== null).map((s) => ({ ...s })),
      runs: this.out.runs.map((r) => ({ ...r })),
      migrations: this.out.migrations.map((m) => ({ ...m })),
      startsSeen: this.out.startsSeen,
      migrationsSeen: this.out.migrationsSeen
    }
  }
}

/** Lifecycles of several sources (or parts of one), merged in time order within the bounds. */
export function mergeLifecycles(parts: readonly LogLifecycle[]): LogLifecycle {
  const byTime = <T extends { at: number | null }>(list: T[]): T[] => list.sort((a, b) => (a.at ?? Infinity) - (b.at ?? Infinity))
  return {
    starts: byTime(parts.flatMap((p) => p.starts)).slice(0, MAX_STARTS),
    runs: byTime(parts.flatMap((p) => p.runs)).slice(0, MAX_RUNS),
    migrations: byTime(parts.flatMap((p) => p.migrations)).slice(0, MAX_MIGRATIONS),
    startsSeen: parts.reduce((n, p) => n + p.startsSeen, 0),
    migrationsSeen: parts.reduce((n, p) => n + p.migrationsSeen, 0)
  }
}

/**
 * Words every banner and migration line holds at least one of, whole (ANY_HINT's stems as words
 * a full-text engine indexes): a store is asked for the lines with one of them, and this module
 * reads those as it reads a file's (tests/unit/store/elastic-app.test.ts checks every sample).
 */
export const LIFECYCLE_WORDS = [
  'starting', 'started', 'start', 'listening', 'listen', 'version', 'release', 'booting', 'boot', 'running', 'fpm', 'ready',
  'migrating', 'migrated', 'migrate', 'migration', 'migrations', 'applying', 'applied', 'upgrade', 'changeset', 'changesets', 'done', 'u'
] as const
