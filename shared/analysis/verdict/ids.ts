/**
 * Record ids a failing request or error is about: id segments of its path, id-named query
 * values, ids named in the message. An id read under a name keeps that name (`user_id=4242`),
 * so whoever prints it shows what it is and redaction can judge it by its key; keys that name
 * a secret (`api_key`, `session_id`, `access_key`, …) are never taken for record ids.
 */
import { isSecretKeyName } from '../../report/redact'
import { isIdSegment } from '../route'

/** A record id and the name it was read under (null for a path segment). */
export interface RecordId {
  value: string
  name: string | null
}

/** How an id is shown: `name=value`, or the bare value of a path segment. */
export const recordIdLabel = (id: RecordId): string => (id.name === null ? id.value : `${id.name}=${id.value}`)

const ID_KEY = /(?:^|[_-])(?:id|uid|uuid)$|^(?:user|account|customer|client|order|tenant|org|organization|sku|item|product|record|doc|document|invoice|report|cart|member|project|team|file|asset|ticket|booking|listing|post|article)s?$/i
const isIdKey = (key: string): boolean => ID_KEY.test(key) && !isSecretKeyName(key)

const MESSAGE_ID =
  /\b(?:user|account|customer|order|tenant|org|record|item|product|sku|invoice|report|cart|document|doc|member|project|ticket|booking|listing|post|article|id)(?:[_ -]?id)?\s*(?:[=:#]\s*|\s)["'#]?([\w-]{1,64})/gi
/** The rest of a key name written before a match (`session-` of `session-id`, `x_` of `x_user_id`). */
const NAME_PREFIX = /[A-Za-z0-9_.-]*$/

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** Access logs repeat paths: each is read once (bounded cache). */
const pathIds = new Map<string, RecordId[]>()

export function idsInPath(path: string): RecordId[] {
  const known = pathIds.get(path)
  if (known !== undefined) return known
  const ids = readIds(path)
  if (pathIds.size >= 50_000) pathIds.clear()
  pathIds.set(path, ids)
  return ids
}

function readIds(path: string): RecordId[] {
  const out: RecordId[] = []
  const q = path.indexOf('?')
  const pathPart = q < 0 ? path : path.slice(0, q)
  for (const segment of pathPart.split('/')) if (segment !== '' && isIdSegment(segment)) out.push({ value: decode(segment), name: null })
  if (q >= 0)
    for (const pair of path.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const value = decode(pair.slice(eq + 1))
      const name = decode(pair.slice(0, eq))
      if (value !== '' && value.length <= 64 && isIdKey(name)) out.push({ value, name })
    }
  return out
}

/**
 * Ids in an error message: `user 4242` (user=4242), `order_id=981`, `record #77`; only tokens
 * with a digit (so "user not found" names none), and none under a secret's name (`session-id 9f3a`).
 */
export function idsInMessage(text: string): RecordId[] {
  const out: RecordId[] = []
  MESSAGE_ID.lastIndex = 0
  for (let m = MESSAGE_ID.exec(text); m !== null; m = MESSAGE_ID.exec(text)) {
    const value = m[1]
    if (!/\d/.test(value) || out.some((id) => id.value === value)) continue
    const written = m[0].slice(0, m[0].length - value.length).replace(/[\s=:#"']+$/, '')
    const name = `${NAME_PREFIX.exec(text.slice(Math.max(0, m.index - 64), m.index))?.[0] ?? ''}${written}`.replace(/\s+/g, '_')
    if (isSecretKeyName(name)) continue
    out.push({ value, name })
  }
  return out
}
