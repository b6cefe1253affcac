import type { HealthSample } from '../../../shared/model/evidence'
import { PollError } from './errors'

export type HealthComponent = HealthSample['components'][number]

export type HealthShape = 'spring-boot-actuator' | 'health+json' | 'kubernetes-verbose' | 'status-code'

/** What a health response says, before it becomes a sample. */
export interface HealthReading {
  shape: HealthShape
  ok: boolean
  /** Why it is not ok, in words; null when ok. */
  error: string | null
  components: HealthComponent[]
}

/**
 * Status words across Spring Boot Actuator (UP/DOWN/OUT_OF_SERVICE/UNKNOWN) and
 * application/health+json (pass/warn/fail, also ok/up/down/error). `warn` is healthy with
 * concerns (the draft's words); UNKNOWN is not ok: the check could not confirm health.
 */
export function statusWordOk(word: string): boolean | null {
  switch (word.trim().toLowerCase()) {
    case 'up':
    case 'pass':
    case 'ok':
    case 'warn':
    case 'healthy':
      return true
    case 'down':
    case 'fail':
    case 'failed':
    case 'error':
    case 'out_of_service':
    case 'unhealthy':
    case 'unknown':
      return false
    default:
      return null
  }
}

type JsonObject = Record<string, unknown>
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

const statusOk = (status: number): boolean => status >= 200 && status < 400

/** A check's own words are quoted, not dumped: one line, capped. */
const MAX_DETAIL = 300

function componentFrom(name: string, status: unknown, detail: unknown = null): HealthComponent {
  const word = typeof status === 'string' && status.trim() ? status.trim() : 'UNKNOWN'
  const ok = statusWordOk(word) ?? false
  const words = typeof detail === 'string' ? detail.replace(/\s+/g, ' ').trim().slice(0, MAX_DETAIL) : ''
  // Only a failing check's words say why; a healthy one's output is a measurement.
  return !ok && words !== '' ? { name, ok, status: word, detail: words } : { name, ok, status: word }
}

/** Actuator writes why a check is down under `details.error` (`"Connection to pg-main:5432 refused"`), older ones under `details.exception`. */
function actuatorError(node: JsonObject): unknown {
  const details = node.details
  if (!isObject(details)) return null
  return typeof details.error === 'string' ? details.error : typeof details.exception === 'string' ? details.exception : null
}

/** Actuator nests composites (`discoveryComposite.components.eureka`): leaves become `a/b`. */
function flattenActuator(components: JsonObject, prefix: string, out: HealthComponent[]): void {
  for (const [key, value] of Object.entries(components)) {
    if (!isObject(value)) continue
    const name = prefix ? `${prefix}/${key}` : key
    const nested = nestedComponents(value)
    if (nested && Object.keys(nested).length > 0) flattenActuator(nested, name, out)
    else out.push(componentFrom(name, value.status, actuatorError(value)))
  }
}

/** Spring Boot ≥ 2.2 writes `components`; 2.0/2.1 wrote them under `details`. */
function nestedComponents(node: JsonObject): JsonObject | null {
  if (isObject(node.components)) return node.components
  const details = node.details
  if (isObject(details)) {
    const values = Object.values(details)
    if (values.length > 0 && values.every((v) => isObject(v) && typeof v.status === 'string')) return details
  }
  return null
}

/** health+json `checks`: `"component:measurement": [{componentId, status, observedValue…}]`. */
function flattenChecks(checks: JsonObject, overall: string, out: HealthComponent[]): void {
  for (const [key, value] of Object.entries(checks)) {
    const entries = Array.isArray(value) ? value : [value]
    entries.forEach((entry, i) => {
      if (!isObject(entry)) return
      const id = typeof entry.componentId === 'string' && entry.componentId ? entry.componentId : String(i + 1)
      const name = entries.length > 1 ? `${key}/${id}` : key
      // An entry without its own status reports a measurement under the overall status.
      out.push(componentFrom(name, typeof entry.status === 'string' ? entry.status : overall, entry.output))
    })
  }
}

function failingList(components: HealthComponent[]): string {
  const failing = components.filter((c) => !c.ok)
  return failing.length ? `; failing: ${failing.map((c) => `${c.name} (${c.status}${c.detail ? `: ${c.detail}` : ''})`).join(', ')}` : ''
}

function readJsonHealth(status: number, doc: JsonObject): HealthReading | null {
  if (typeof doc.status !== 'string') return null
  const word = doc.status.trim()
  const components: HealthComponent[] = []
  const isHealthJson = isObject(doc.checks)
  if (isHealthJson) flattenChecks(doc.checks as JsonObject, word, components)
  else {
    const nested = nestedComponents(doc)
    if (nested) flattenActuator(nested, '', components)
  }
  const shape: HealthShape = isHealthJson ? 'health+json' : 'spring-boot-actuator'
  const wordOk = statusWordOk(word)
  if (wordOk === null) {
    // A status word we do not know: the HTTP status decides, the components still count.
    const ok = statusOk(status) && components.every((c) => c.ok)
    return { shape, ok, error: ok ? null : `HTTP ${status}, status "${word}"${failingList(components)}`, components }
  }
  const ok = wordOk && status < 500
  return { shape, ok, error: ok ? null : `status ${word}${status >= 400 ? ` (HTTP ${status})` : ''}${failingList(components)}`, components }
}

const CHECK_LINE = /^\[([+-])\](\S+)\s+(.*)$/
const FINAL_LINE = /^(\S+) check (passed|failed)\s*$/

/** Kubernetes `/livez?verbose`, `/readyz?verbose`: `[+]ping ok`, `[-]etcd failed: reason withheld`. */
function readKubernetesText(status: number, text: string): HealthReading | null {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  const components: HealthComponent[] = []
  const reasons: string[] = []
  let final: RegExpExecArray | null = null
  for (const line of lines) {
    const check = CHECK_LINE.exec(line)
    if (check) {
      const [, sign, name, rest] = check
      const [word, ...reason] = rest.split(':')
      components.push({ name, ok: sign === '+', status: word.trim() })
      if (sign === '-') reasons.push(reason.length ? `${name} (${reason.join(':').trim()})` : name)
      continue
    }
    final = FINAL_LINE.exec(line) ?? final
  }
  if (components.length === 0 && !final) return null
  const ok = final ? final[2] === 'passed' : statusOk(status) && reasons.length === 0
  const what = final ? `${final[1]} check failed` : `HTTP ${status}`
  return {
    shape: 'kubernetes-verbose',
    ok,
    error: ok ? null : reasons.length ? `${what}: ${reasons.join(', ')}` : what,
    components
  }
}

const isJsonType = (contentType: string): boolean => contentType === 'application/json' || contentType.endsWith('+json')

/**
 * Reads a health answer. A 503 from Actuator carries a DOWN body: the body decides, the status
 * is only the fallback. Throws PollError('unreadable') when a JSON answer does not parse.
 */
export function readHealthResponse(status: number, contentType: string, body: Buffer): HealthReading {
  const text = body.toString('utf8')
  const trimmed = text.trim()
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[')
  if (trimmed && (isJsonType(contentType) || looksJson)) {
    let doc: unknown
    let parsed = false
    try {
      doc = JSON.parse(trimmed)
      parsed = true
    } catch (err) {
      if (isJsonType(contentType))
        throw new PollError('unreadable', `unreadable response: not JSON (${(err as Error).message.slice(0, 120)})`)
    }
    if (parsed) {
      const reading = isObject(doc) ? readJsonHealth(status, doc) : null
      if (reading) return reading
      return statusCodeReading(status)
    }
  }
  if (trimmed) {
    const reading = readKubernetesText(status, text)
    if (reading) return reading
  }
  return statusCodeReading(status)
}

function statusCodeReading(status: number): HealthReading {
  const ok = statusOk(status)
  return { shape: 'status-code', ok, error: ok ? null : `HTTP ${status}`, components: [] }
}
