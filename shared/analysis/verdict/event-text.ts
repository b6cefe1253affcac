/**
 * The part of an error event worth matching against known signatures: type, message, and from
 * a stack trace only its header, the `Caused by:` lines and its tail (Python puts the exception
 * last). Bounded, so matching 20,000 events stays cheap whatever their traces weigh.
 */
import type { AppEvent } from '../../model/evidence'

const HEAD = 400
const TAIL = 400
const MAX_CAUSES = 4
/** Error events the text checks read per evaluation. */
export const MAX_SCANNED = 2500

/** Per event object: re-evaluations of a live session see the same events again, and a kept string keeps its hash. */
const texts = new WeakMap<AppEvent, string>()

export function eventText(e: AppEvent): string {
  let text = texts.get(e)
  if (text === undefined) {
    text = buildText(e)
    texts.set(e, text)
  }
  return text
}

function buildText(e: AppEvent): string {
  const parts: string[] = []
  if (e.errorType !== null) parts.push(`${e.errorType}: ${e.errorMessage ?? ''}`)
  else if (e.errorMessage !== null) parts.push(e.errorMessage)
  parts.push(e.message.length > HEAD ? e.message.slice(0, HEAD) : e.message)
  const stack = e.stack
  if (stack !== null) {
    parts.push(stack.slice(0, HEAD))
    let from = HEAD
    for (let k = 0; k < MAX_CAUSES; k++) {
      const at = stack.indexOf('Caused by:', from)
      if (at < 0) break
      const end = stack.indexOf('\n', at)
      parts.push(stack.slice(at, end < 0 ? Math.min(stack.length, at + 300) : Math.min(end, at + 300)))
      from = at + 10
    }
    if (stack.length > HEAD) parts.push(stack.slice(Math.max(HEAD, stack.length - TAIL)))
  }
  return parts.join('\n')
}

/** One line that names the error: `Type: message`, or the message. */
export function headline(e: AppEvent): string {
  const text = e.errorType !== null && e.errorMessage !== null ? `${e.errorType}: ${e.errorMessage}` : e.errorMessage ?? e.message
  return text.split(/\r?\n/, 1)[0]
}

/**
 * At most `max` items, evenly spread over the list (first and order kept): signature shares and
 * id concentrations are proportions, and a few thousand items measure them well.
 */
export function spread<T>(list: T[], max: number): T[] {
  if (list.length <= max) return list
  const out: T[] = []
  const step = list.length / max
  for (let i = 0; i < max; i++) out.push(list[Math.floor(i * step)])
  return out
}

/** Memoizes a per-text classification: incidents repeat the same messages thousands of times. */
export function memo<T>(classify: (text: string) => T): (text: string) => T {
  const cache = new Map<string, T>()
  return (text: string): T => {
    const known = cache.get(text)
    if (known !== undefined || cache.has(text)) return known as T
    const value = classify(text)
    if (cache.size < 50_000) cache.set(text, value)
    return value
  }
}
