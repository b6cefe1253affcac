/** Health samples → per-target bands of up/down, for the timeline and the dependency check. */
import type { HealthSample } from '../../model/evidence'

export interface HealthBandMs {
  from: number
  to: number
  ok: boolean
  detail: string | null
  /** Components reported down during the band, in order of first report. */
  failingComponents: string[]
}

export interface TargetHealth {
  target: string
  bands: HealthBandMs[]
}

/** A sample is down when the target says so or when any of its components does. */
export const isDown = (h: HealthSample): boolean => !h.ok || h.components.some((c) => !c.ok)

function detailOf(h: HealthSample): string | null {
  const down = h.components.filter((c) => !c.ok).map((c) => `${c.name} ${c.status}`.trim())
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
        continue
      }
      if (current !== undefined) current.to = h.at
      bands.push({ from: h.at, to: h.at, ok, detail: ok ? null : detailOf(h), failingComponents: h.components.filter((c) => !c.ok).map((c) => c.name) })
    }
    out.push({ target, bands })
  }
  return out
}
