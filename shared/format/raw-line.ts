/**
 * A raw log line made readable: a JSON record (after any prefix a wrapper left) pretty-printed,
 * with epoch times under time-like keys shown as dates beside the number. Anything else is
 * returned as it is: the engineer sees the line, never a guess in its place.
 */
import { clock } from './times'

const TIME_KEY = /(^|[._@-])(time|ts|timestamp|date|at|created|updated|start|end|when)$|time(stamp)?$/i
/** camelCase `createdAt`, `startedAt`: case matters, or `format` and `heartbeat` would pass. */
const CAMEL_AT = /[a-z]At$/
/** Epoch seconds and milliseconds of 2001–2286: outside that a number under a time key is more likely a duration or an id. */
const SECONDS = [1e9, 1e10] as const
const MILLIS = [1e12, 1e13] as const

function epochMs(key: string, value: number): number | null {
  if (!(TIME_KEY.test(key) || CAMEL_AT.test(key)) || !Number.isFinite(value)) return null
  if (value >= MILLIS[0] && value < MILLIS[1]) return value
  if (value >= SECONDS[0] && value < SECONDS[1]) return value * 1000
  return null
}

export interface ReadableLine {
  /** The text to show: pretty JSON, or the line unchanged. */
  text: string
  json: boolean
}

export function readableLine(line: string): ReadableLine {
  const start = line.indexOf('{')
  if (start < 0 || !line.trimEnd().endsWith('}')) return { text: line, json: false }
  let parsed: unknown
  try {
    parsed = JSON.parse(line.slice(start))
  } catch {
    return { text: line, json: false }
  }
  if (parsed === null || typeof parsed !== 'object') return { text: line, json: false }
  const pretty = JSON.stringify(
    parsed,
    (key, value: unknown) => {
      if (typeof value !== 'number') return value
      const ms = epochMs(key, value)
      return ms === null ? value : `${value} = ${clock(ms, { date: true })}${ms % 1000 !== 0 ? ` +${Math.round(ms % 1000)} ms` : ''}`
    },
    2
  )
  const prefix = line.slice(0, start).trimEnd()
  return { text: prefix ? `${prefix}\n${pretty}` : pretty, json: true }
}
