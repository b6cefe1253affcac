import type { Playbook } from '../contract'

export const FIRST_ACTIONS: Record<Playbook, string> = {
  unreadable: 'Make the evidence readable: pick the format or correct the field map of the unread source.',
  rollback: 'Roll back now and investigate offline; never forward-fix under load.',
  dependency: 'Check the dependency directly; degrade gracefully with timeouts and circuit breakers.',
  config: 'Compare the environment with a working one and set the missing variables.',
  endpoint: 'Add logging on that endpoint, reproduce the exact request in isolation, fix and test lower.',
  intermittent: 'Follow the sub-pattern: traffic, data, or a clock window.',
  upstream: 'Is the app server running? Check the proxy error log and the upstream response time.',
  unavailable: 'Is the server draining or rate-limiting by design?',
  none: 'Keep watching: a single intermittent 500 can be acceptable.'
}

export const INTERMITTENT_TITLES: Record<'traffic' | 'data' | 'time-of-day' | 'unknown', string> = {
  traffic: 'Intermittent 5xx that follow traffic (resource exhaustion)',
  data: 'Intermittent 5xx on a few users, records or ids',
  'time-of-day': 'Intermittent 5xx in a recurring clock window',
  unknown: 'Intermittent 5xx with no clear pattern yet'
}
