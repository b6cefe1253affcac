import type { Playbook } from '../contract/analysis'

/** The one wording of each playbook: the banner, the runbook, the other findings and the report all use it. */
export const PLAYBOOK_TITLES: Record<Playbook, string> = {
  unreadable: "Can't judge yet: the logs are unreadable",
  rollback: 'Roll back the deploy',
  dependency: 'A dependency is failing',
  config: 'Configuration is missing or invalid',
  endpoint: 'One endpoint is failing',
  intermittent: 'Intermittent 5xx',
  upstream: 'The app server behind the proxy is down or slow',
  unavailable: 'The service answers 503 on purpose',
  none: 'No sustained 5xx: keep watching'
}
