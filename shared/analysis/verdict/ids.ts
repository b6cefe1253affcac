/** Record ids a failing request or error is about: id segments of its path, id-named query values, ids named in the message. */
import { isIdSegment } from '../route'

const ID_KEY = /(?:^|[_-])(?:id|uid|uuid|key)$|^(?:user|account|customer|client|order|tenant|org|organization|sku|item|product|record|doc|document|invoice|report|cart|member|project|team|file|asset|ticket|booking|listing|post|article)s?$/i
const MESSAGE_ID =
  /\b(?:user|account|customer|order|tenant|org|record|item|product|sku|invoice|report|cart|document|doc|member|project|ticket|booking|listing|post|article|id)(?:[_ -]?id)?\s*(?:[=:#]\s*|\s)["'#]?([\w-]{1,64})/gi

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text
  }
}

/** Access logs repeat paths: each is read once (bounded cache). */
const pathIds = new Map<string, string[]>()

export function idsInPath(path: string): string[] {
  const known = pathIds.get(path)
  if (known !== undefined) return known
  const ids = readIds(path)
  if (pathIds.size >= 50_000) pathIds.clear()
  pathIds.set(path, ids)
  return ids
}

function readIds(path: string): string[] {
  const out: string[] = []
  const q = path.indexOf('?')
  const pathPart = q < 0 ? path : path.slice(0, q)
  for (const segment of pathPart.split('/')) if (segment !== '' && isIdSegment(segment)) out.push(decode(segment))
  if (q >= 0)
    for (const pair of path.slice(q + 1).split('&')) {
      const eq = pair.indexOf('=')
      if (eq <= 0) continue
      const value = decode(pair.slice(eq + 1))
      if (value !== '' && value.length <= 64 && ID_KEY.test(decode(pair.slice(0, eq)))) out.push(value)
    }
  return out
}

/** Ids in an error message: `user 4242`, `order_id=981`, `record #77`; only tokens with a digit (so "user not found" names none). */
export function idsInMessage(text: string): string[] {
  const out: string[] = []
  MESSAGE_ID.lastIndex = 0
  for (let m = MESSAGE_ID.exec(text); m !== null; m = MESSAGE_ID.exec(text)) if (/\d/.test(m[1]) && !out.includes(m[1])) out.push(m[1])
  return out
}
