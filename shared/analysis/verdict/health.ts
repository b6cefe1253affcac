/** Health samples → per-target bands of up/down, for the timeline and the dependency check. */
import type { HealthSample } from '../../model/evidence'

export interface HealthBandMs {
  from: number
  to: number
  ok: boolean
  detail: string | null
  /** Components reported down during the band, in order of first report. */
  failingComponents: string[]
  /** The check's own words for why it is down (Actuator `details.error`): the first a down component gave. */
  words: string | null
}

export interface TargetHealth {
  target: string
  bands: HealthBandMs[]
}

/** A sample is down when the target says so or when any of its components does. */
export const isDown = (h: HealthSample): boolean => !h.ok || h.components.some((c) => !c.ok)

/**
 * The innermost exception's own message of a check's error: Actuator prints the whole chain
 * (`CannotGetJdbcConnectionException: …; nested exception is org.postgresql.util.PSQLException:
 * Connection to pg-main:5432 refused…`), and the last link says what is wrong.
 */
export function rootWords(detail: string): string {
  const last = detail.split(/;? nested exception is /).pop() ?? detail
  return last.replace(/^(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error)\b:?\s*/, '').trim() || detail
}

const wordsOf = (h: HealthSample): string | null => {
  const detail = h.components.find((c) => !c.ok && c.detail)?.detail
  return detail ? rootWords(detail) : null
}

function detailOf(h: HealthSample): string | null {
  // A poller's error already quotes the components' words; a recorded sample may carry them only per component.
  const down = h.components.filter((c) => !c.ok).map((c) => `${c.name} ${c.status}${c.detail && !h.error?.includes(c.detail) ? ` (${c.detail})` : ''}`.trim())
  const parts = [h.error, h.status !== null ? `status ${h.status}` : null, down.length > 0 ? `down: ${down.join(', ')}` : null]
  const text = parts.filter((p): p is string => p !== null && p !== '').join('; ')
  return text === '' ? null : text
}

/**
 * A band runs from its first sample to the first sample of the next band (the state is only
 * known to have changed by then); the last band ends at its last sample.
 */
export function healthBands(samples: HealthSample[]): TargetHealth[] {
  const byTarget = new Map<string, HealthSample[]>()
  for (const h of samples) {
    const list = byTarget.get(h.target)
    if (list) list.push(h)
    else byTarget.set(h.target, [h])
  }
  const out: TargetHealth[] = []
  for (const [target, list] of [...byTarget].sort((a, b) => a[0].localeCompare(b[0]))) {
    const sorted = [...list].sort((a, b) => a.at - b.at)
    const bands: HealthBandMs[] = []
    for (const h of sorted) {
      const ok = !isDown(h)
      const current = bands[bands.length - 1]
      if (current !== undefined && current.ok === ok) {
        current.to = h.at
        for (const c of h.components) if (!c.ok && !current.failingComponents.includes(c.name)) current.failingComponents.push(c.name)
        if (!ok) current.words ??= wordsOf(h)
        continue
      }
      if (current !== undefined) current.to = h.at
      bands.push({ from: h.at, to: h.at, ok, detail: ok ? null : detailOf(h), failingComponents: h.components.filter((c) => !c.ok).map((c) => c.name), words: ok ? null : wordsOf(h) })
    }
    out.push({ target, bands })
  }
  return out
}
