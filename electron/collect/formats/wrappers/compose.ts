/**
 * `docker compose logs` / `up`: `service-1  | payload`. The service name is padded to a common
 * width with spaces before the bar; the instance is the service (with its replica number).
 */
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

/** Compose names: project-service-N (v2) or project_service_N (v1), then padding, then `| `. */
const COMPOSE_RE = /^([A-Za-z0-9][\w.-]*) +\| ?(.*)$/

/** Where the payload starts after a compose prefix, or -1: the one rule json.ts reads prefixes by. */
export function composePayloadStart(line: string): number {
  const bar = line.indexOf(' |')
  if (bar <= 0 || bar > 120) return -1
  const m = COMPOSE_RE.exec(line)
  if (m === null) return -1
  return line.length - m[2].length
}

export function unwrapCompose(line: string): Unwrapped | null {
  const start = composePayloadStart(line)
  if (start < 0) return null
  const name = line.slice(0, line.indexOf(' '))
  return { payload: line.slice(start), time: null, instance: name, partial: false }
}

export default defineWrapper({
  id: 'compose',
  title: 'docker compose logs',
  unwrap: unwrapCompose,
  samples: [
    {
      // tests/fixtures/logs/wrappers/compose.log, line 1 (docker/compose pkg/e2e/logs_test.go)
      line: 'logs-test-hello-2  | hello',
      expect: { payload: 'hello', time: null, instance: 'logs-test-hello-2', partial: false }
    },
    { line: 'Jul 30 09:03:52 localhost haproxy[32450]: a | b', expect: null }
  ]
})
