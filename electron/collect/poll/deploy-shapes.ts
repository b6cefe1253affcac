import { PollError } from './errors'
import { parseTimeValue } from './times'

export type DeployShape = 'spring-boot-info' | 'dockerflow' | 'argocd' | 'github-deployments' | 'mapping'

/** Where a deploy answer's time comes from: only 'deployed' says when the version went live. */
export type DeployTimeKind = 'deployed' | 'built' | 'committed'

/** Dot paths into a generic JSON answer: `{ version: 'app.build.version', at: 'app.deployedAt' }`. */
export interface DeployMapping {
  version: string
  /** The deploy time (ISO-8601 or epoch ms/s). */
  at?: string
  commit?: string
}

export interface DeployReading {
  shape: DeployShape
  version: string
  at: number | null
  atKind: DeployTimeKind | null
  commit: string | null
}

type JsonObject = Record<string, unknown>
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)
const nonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== ''
const scalarText = (v: unknown): string | null =>
  nonEmptyString(v) ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : null

const shapeError = (message: string): PollError => new PollError('shape', message)

function timeField(value: unknown, field: string): number | null {
  if (value === undefined || value === null || value === '') return null
  const ms = parseTimeValue(value)
  if (ms === null) throw shapeError(`"${field}" is not a time (${JSON.stringify(value).slice(0, 60)})`)
  return ms
}

const SHA = /^[0-9a-f]{7,64}$/i

/** `a.b.0.c` or `a.b[0].c` into the document; undefined when any step is missing. */
export function valueAtPath(doc: unknown, path: string): unknown {
  const steps = path.replace(/\[(\d+)\]/g, '.$1').split('.').filter(Boolean)
  let node: unknown = doc
  for (const step of steps) {
    if (Array.isArray(node) && /^\d+$/.test(step)) node = node[Number(step)]
    else if (isObject(node) && Object.hasOwn(node, step)) node = node[step]
    else return undefined
  }
  return node
}

/** Parses `version=a.b.c,at=x.y,commit=z` (the CLI's --map). */
export function parseDeployMapping(text: string): DeployMapping {
  const fields: Partial<Record<keyof DeployMapping, string>> = {}
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=')
    const key = eq === -1 ? '' : part.slice(0, eq).trim()
    const path = eq === -1 ? '' : part.slice(eq + 1).trim()
    if (key !== 'version' && key !== 'at' && key !== 'commit')
      throw new Error(`mapping "${part}" must be version=PATH, at=PATH or commit=PATH`)
    if (!path) throw new Error(`mapping "${key}" needs a dot path after "="`)
    fields[key] = path
  }
  if (!fields.version) throw new Error('mapping needs version=PATH')
  return { version: fields.version, at: fields.at, commit: fields.commit }
}

function readMapping(doc: unknown, mapping: DeployMapping): DeployReading {
  const version = scalarText(valueAtPath(doc, mapping.version))
  if (version === null) throw shapeError(`mapping: "${mapping.version}" is not a version (missing, empty or not text) in the response`)
  let at: number | null = null
  if (mapping.at) {
    const raw = valueAtPath(doc, mapping.at)
    if (raw === undefined) throw shapeError(`mapping: "${mapping.at}" not found in the response`)
    at = timeField(raw, mapping.at)
  }
  let commit: string | null = null
  if (mapping.commit) {
    commit = scalarText(valueAtPath(doc, mapping.commit))
    if (commit === null) throw shapeError(`mapping: "${mapping.commit}" not found in the response`)
  }
  return { shape: 'mapping', version, at, atKind: at === null ? null : 'deployed', commit }
}

/** Argo CD Application: the newest `status.history` entry, else the sync revision. */
function readArgo(doc: JsonObject): DeployReading | null {
  const status = doc.status
  if (!isObject(status) || !(Array.isArray(status.history) || isObject(status.sync))) return null
  const history = Array.isArray(status.history) ? status.history.filter(isObject) : []
  if (history.length > 0) {
    let index = history.length - 1
    history.forEach((entry, i) => {
      if (typeof entry.id === 'number' && typeof history[index].id === 'number' && entry.id > (history[index].id as number)) index = i
    })
    const newest = history[index]
    const revisions = Array.isArray(newest.revisions) ? newest.revisions.filter(nonEmptyString) : []
    const version = scalarText(newest.revision) ?? (revisions.length ? revisions.join(',') : null)
    if (version === null) throw shapeError(`Argo CD application: "status.history[${index}].revision" is missing`)
    const at = timeField(newest.deployedAt, `status.history[${index}].deployedAt`)
    return { shape: 'argocd', version, at, atKind: at === null ? null : 'deployed', commit: SHA.test(version) ? version : null }
  }
  const sync = isObject(status.sync) ? status.sync : {}
  const op = isObject(status.operationState) ? status.operationState : {}
  const version = scalarText(sync.revision)
  if (version === null) throw shapeError('Argo CD application: no "status.history" and no "status.sync.revision"')
  const at = timeField(op.finishedAt, 'status.operationState.finishedAt')
  return { shape: 'argocd', version, at, atKind: at === null ? null : 'deployed', commit: SHA.test(version) ? version : null }
}

const isGithubDeployment = (v: unknown): v is JsonObject =>
  isObject(v) && nonEmptyString(v.sha) && typeof v.ref === 'string' && 'created_at' in v

/** A ref like `v1.4.2` or `1.4.2` names a version; a branch (`main`) does not, so the sha does. */
const VERSION_REF = /^v?\d+(\.\d+)*([-+.][0-9A-Za-z.-]+)?$/

function readGithub(doc: unknown, environment: string | undefined): DeployReading | null {
  let entries: JsonObject[]
  if (Array.isArray(doc)) {
    if (doc.length === 0) throw shapeError('GitHub deployments: the list is empty')
    if (!doc.every(isGithubDeployment)) return null
    entries = doc
  } else if (isGithubDeployment(doc)) entries = [doc]
  else return null
  if (environment !== undefined) {
    const seen = [...new Set(entries.map((e) => String(e.environment)))]
    entries = entries.filter((e) => e.environment === environment)
    if (entries.length === 0)
      throw shapeError(`GitHub deployments: none for environment "${environment}" (listed: ${seen.join(', ')})`)
  }
  // The API lists newest first; the times decide when they disagree with the order.
  let newest = entries[0]
  let newestAt = timeField(newest.created_at, 'created_at')
  for (const entry of entries.slice(1)) {
    const at = timeField(entry.created_at, 'created_at')
    if (at !== null && (newestAt === null || at > newestAt)) {
      newest = entry
      newestAt = at
    }
  }
  const sha = (newest.sha as string).trim()
  const ref = (newest.ref as string).trim()
  return {
    shape: 'github-deployments',
    version: VERSION_REF.test(ref) ? ref : sha,
    at: newestAt,
    atKind: newestAt === null ? null : 'deployed',
    commit: sha
  }
}

function gitCommitId(commit: unknown): string | null {
  if (!isObject(commit)) return null
  const id = commit.id
  if (isObject(id)) return scalarText(id.full) ?? scalarText(id.id) ?? scalarText(id.abbrev)
  return scalarText(id) ?? scalarText(commit.abbrev)
}

/** Spring Boot `/actuator/info`: `build.version`, `build.time`, `git.commit.id`, `git.commit.time`. */
function readSpringInfo(doc: JsonObject): DeployReading | null {
  const build = isObject(doc.build) ? doc.build : null
  const git = isObject(doc.git) ? doc.git : null
  const commitNode = git && isObject(git.commit) ? git.commit : null
  const commit = gitCommitId(commitNode)
  const buildVersion = build ? scalarText(build.version) : null
  if (buildVersion === null && commit === null) return null
  const built = build ? timeField(build.time, 'build.time') : null
  const committed = commitNode ? timeField(commitNode.time, 'git.commit.time') : null
  return {
    shape: 'spring-boot-info',
    version: buildVersion ?? commit ?? '',
    at: built ?? committed,
    atKind: built !== null ? 'built' : committed !== null ? 'committed' : null,
    commit
  }
}

/** Dockerflow `/__version__`: `{source, version, commit, build}`. */
function readDockerflow(doc: JsonObject): DeployReading | null {
  const version = scalarText(doc.version)
  const commit = scalarText(doc.commit)
  if (version === null && commit === null) return null
  return { shape: 'dockerflow', version: version ?? commit ?? '', at: null, atKind: null, commit }
}

const KNOWN_SHAPES =
  'Spring Boot /actuator/info, Dockerflow /__version__, an Argo CD application, GitHub deployments'

/** Reads what is live from a deploy endpoint's JSON: the mapping when given, else the detected shape. */
export function readDeployDocument(doc: unknown, options: { mapping?: DeployMapping; environment?: string } = {}): DeployReading {
  if (options.mapping) return readMapping(doc, options.mapping)
  const github = readGithub(doc, options.environment)
  if (github) return github
  if (isObject(doc)) {
    const reading = readArgo(doc) ?? readSpringInfo(doc) ?? readDockerflow(doc)
    if (reading) return reading
  }
  const seen = isObject(doc)
    ? `top-level keys: ${Object.keys(doc).slice(0, 8).join(', ') || 'none'}`
    : Array.isArray(doc)
      ? 'a list'
      : `a JSON ${doc === null ? 'null' : typeof doc}`
  throw shapeError(`not a known deploy answer (${KNOWN_SHAPES}); got ${seen}: give a field mapping (version=PATH)`)
}
