/**
 * Missing or invalid configuration, in the words of common stacks: Node (dotenv/envalid/zod),
 * Python (os.environ, pydantic settings, Django), Java/Spring placeholders and bindings, Go
 * (envconfig, caarlos0/env), Rails (ENV.fetch, secret_key_base).
 */
import type { EvidenceRef, Finding, Reason } from '../../contract/analysis'
import type { AppEvent } from '../../model/evidence'
import { CLOCK_SLACK_MS, type Context, finding, inWindows, ref } from './context'
import { eventText, headline, memo } from './event-text'
import { count } from '../../format'
import { quote } from './text'

const PREFILTER = /env|config|setting|placeholder|propert|required|KeyError|key not found|secret_key_base|missing|not set|undefined/i

const NAME = '[A-Za-z_][\\w.-]*[\\w]'
const ENV_WORDS = '(?:env(?:ironment)?(?:[ _-]?var(?:iable)?s?)?|config(?:uration)?(?: (?:key|value|variable|setting|property))?|setting|secret|property)\\b'

/** Group 1 of each pattern is the name of the variable or key. */
const ALWAYS: RegExp[] = [
  // "Missing required environment variable: X", "missing env var X", "Missing config key 'x.y'"
  new RegExp(`missing (?:required |mandatory )?${ENV_WORDS}s?[:=]?\\s*[\`'"]?(${NAME})`, 'gi'),
  // "Required environment variable X is not set", "environment variable X is missing"
  new RegExp(`${ENV_WORDS} [\`'"]?(${NAME})[\`'"]? (?:is )?(?:not set|missing|required|undefined|not defined|empty|unset|must be set|not provided|not found|invalid)`, 'gi'),
  // "Invalid value for env var PORT", "invalid configuration value x.y"
  new RegExp(`(?:invalid|bad|malformed) (?:value (?:for|of) )?${ENV_WORDS}[:=]?\\s*[\`'"]?(${NAME})`, 'gi'),
  /process\.env\.([A-Za-z_]\w*) is (?:undefined|not (?:set|defined)|required|missing)/g,
  /\b([A-Z][A-Z0-9_]{2,}) is (?:not (?:defined|set)|missing|required|undefined) in (?:the )?(?:env(?:ironment)?|\.env|config)\b/g,
  // zod / envalid / t3-env: "DATABASE_URL: Required", "{ DATABASE_URL: [ 'Required' ] }"
  /\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)"?:\s*\[?\s*['"]?(?:Required|Invalid|undefined|Expected string, received undefined|must be set)\b/g,
  // Go envconfig and caarlos0/env
  /required key ([A-Za-z_]\w*) missing value/g,
  /env: required environment variable "([^"]+)" is not set/g,
  /env: environment variable "([^"]+)" should not be empty/g,
  // Django
  /ImproperlyConfigured: Set the ([A-Za-z_]\w*) environment variable/g,
  /The ([A-Z][A-Z0-9_]*) setting must not be empty/g,
  // Spring
  /Could not resolve placeholder '([^']+)'/g,
  /Failed to bind properties under '([^']+)'/g,
  // Rails
  /Missing [`'"]?(secret_key_base)[`'"]?/gi,
  /\bos\.environ\[['"]([^'"]+)['"]\]/g,
  /\bos\.getenv\(['"]([^'"]+)['"]\) (?:is|returned) None/g,
  /ENV\.fetch\(['"]([^'"]+)['"]\)/g
]

/** Key lookups that are config errors only when the key looks like an environment variable. */
const ENV_KEY_LOOKUPS: RegExp[] = [/KeyError: ['"]([A-Za-z_]\w*)['"]/g, /key not found: "([A-Za-z_]\w*)"/g]
const ENV_LIKE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/
const ENV_CONTEXT = /os\.environ|environ\[|getenv|ENV\[|ENV\.fetch|settings/

/** pydantic: the field name sits on the line before "Field required", in a Settings validation error. */
const PYDANTIC = /validation errors? for \w*(?:Settings|Config|Env)\b/
const PYDANTIC_FIELD = /(?:^|\n)([A-Za-z_][\w.]*)\n\s+Field required/g

function names(text: string): string[] {
  if (!PREFILTER.test(text)) return []
  const found: { at: number; name: string }[] = []
  const collect = (re: RegExp, accept: (name: string) => boolean = () => true): void => {
    re.lastIndex = 0
    for (let m = re.exec(text); m !== null; m = re.exec(text)) if (accept(m[1])) found.push({ at: m.index, name: m[1] })
  }
  for (const re of ALWAYS) collect(re)
  const envContext = ENV_CONTEXT.test(text)
  for (const re of ENV_KEY_LOOKUPS) collect(re, (name) => envContext || ENV_LIKE.test(name))
  if (PYDANTIC.test(text)) collect(PYDANTIC_FIELD)
  found.sort((a, b) => a.at - b.at)
  const out: string[] = []
  for (const { name } of found) {
    const clean = name.replace(/[.:,;]+$/, '')
    if (clean.length >= 2 && clean.length <= 120 && !STOP_WORDS.has(clean.toLowerCase()) && !out.includes(clean)) out.push(clean)
  }
  return out
}

/** Words the loose patterns can catch after "missing config…" that are not names. */
const STOP_WORDS = new Set(['for', 'in', 'is', 'the', 'a', 'an', 'value', 'values', 'key', 'keys', 'variable', 'variables', 'required', 'or', 'and', 'file', 'from', 'to', 'of', 'with', 'environment', 'config', 'configuration', 'setting', 'settings', 'property', 'properties', 'error', 'not', 'set'])

export const configNames = memo(names)

export interface ConfigResult {
  finding: Finding | null
  names: string[]
}

export function detectConfig(ctx: Context): ConfigResult {
  const inc = ctx.incident
  const all: string[] = []
  const firstEvent = new Map<string, AppEvent>()
  let events = 0
  let inIncident = 0
  let errorsInIncident = 0
  const windows = inc?.present ? inc.episodes : []
  for (const e of ctx.scanned) {
    const within = inWindows(windows, e.time, CLOCK_SLACK_MS) || (inc?.onset != null && e.time !== null && e.time >= inc.onset - 10 * 60_000 && e.time <= inc.onset)
    if (within) errorsInIncident++
    const found = configNames(eventText(e))
    if (found.length === 0) continue
    events++
    if (within) inIncident++
    for (const n of found)
      if (!all.includes(n)) {
        all.push(n)
        firstEvent.set(n, e)
      }
  }
  // Groups count every error, not just the kept sample: names beyond the sample come from them.
  for (const g of ctx.groups) for (const n of configNames(`${g.type ?? ''}: ${g.message}\n${g.sample}`)) if (!all.includes(n)) all.push(n)
  if (all.length === 0) return { finding: null, names: [] }

  const appOnly = ctx.series === null || ctx.series.mode === 'app-errors'
  const holds = inc?.present === true ? inIncident > 0 && (inIncident >= 0.2 * errorsInIncident || inIncident >= 3 || startsBefore(ctx, firstEvent)) : appOnly && events > 0
  if (!holds) return { finding: null, names: all }

  const scale = ctx.errors.length / Math.max(ctx.scanned.length, 1)
  const shown = all.slice(0, 5)
  const first = firstEvent.get(all[0])
  const evidence: EvidenceRef[] = shown.map(ref.config)
  if (first) evidence.push(...ref.line(ctx.sourceOf.app, first.line))
  const reasons: Reason[] = [
    {
      text: `${count(events * scale)} ${events === 1 ? 'error names' : 'errors name'} missing or invalid configuration: ${shown.join(', ')}${all.length > shown.length ? ` and ${all.length - shown.length} more` : ''}${first ? `${first.time !== null ? ` (first at ${ctx.clock(first.time)})` : ''}: "${quote(headline(first), 140)}"` : ''}`,
      evidence
    }
  ]
  let confidence = 0.6
  if (inc?.present && errorsInIncident > 0) confidence += 0.3 * Math.min(1, inIncident / errorsInIncident)
  if (startsBefore(ctx, firstEvent)) confidence += 0.05
  return { finding: finding('config', Math.min(confidence, 0.93), reasons), names: all }
}

/** A config error logged at startup, just before the failures began. */
function startsBefore(ctx: Context, firstEvent: Map<string, AppEvent>): boolean {
  const onset = ctx.incident?.onset ?? null
  if (onset === null) return false
  for (const e of firstEvent.values()) if (e.time !== null && e.time <= onset + CLOCK_SLACK_MS && e.time >= onset - 10 * 60_000) return true
  return false
}
