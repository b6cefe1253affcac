/**
 * Docker's json-file log driver (/var/lib/docker/containers/<id>/<id>-json.log):
 * `{"log":"…\n","stream":"stdout","time":"…"}`. A line longer than 16 KiB is split across
 * records; only the last one ends in `\n`, so a `log` without it is partial.
 */
import { parseIsoTime } from '../time'
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

export function unwrapDockerJson(line: string): Unwrapped | null {
  // Cheap guard before JSON.parse: every record starts with its `log` key.
  if (!line.startsWith('{"log":')) return null
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const record = value as { log?: unknown; time?: unknown }
  if (typeof record.log !== 'string') return null
  const log = record.log
  const complete = log.endsWith('\n')
  const payload = complete ? log.slice(0, log.endsWith('\r\n') ? -2 : -1) : log
  const time = typeof record.time === 'string' ? parseIsoTime(record.time) : null
  return { payload, time, instance: null, partial: !complete }
}

export default defineWrapper({
  id: 'docker',
  title: 'Docker json-file log',
  unwrap: unwrapDockerJson,
  samples: [
    {
      // tests/fixtures/logs/wrappers/docker-apache.log, line 1 (fluent/fluent-bit kubernetes test data)
      line: '{"log":"20.38.166.115 - - [21/Feb/2018:17:26:53 +0000] \\"GET /intra-abdominally HTTP/1.0\\" 500 2216\\n","stream":"stdout","time":"2018-02-21T17:26:53.360920913Z"}',
      expect: {
        payload: '20.38.166.115 - - [21/Feb/2018:17:26:53 +0000] "GET /intra-abdominally HTTP/1.0" 500 2216',
        time: Date.UTC(2018, 1, 21, 17, 26, 53, 360),
        instance: null,
        partial: false
      }
    },
    {
      // docker-redis.log, line 2 (elastic/beats docker_json_test.go, "Split lines")
      line: '{"log":"1:M 09 Nov 13:27:36.276 # User requested ","stream":"stdout","time":"2017-11-09T13:27:36.277747246Z"}',
      expect: { payload: '1:M 09 Nov 13:27:36.276 # User requested ', time: Date.UTC(2017, 10, 9, 13, 27, 36, 277), instance: null, partial: true }
    },
    { line: '{"level":"info","msg":"not docker"}', expect: null }
  ]
})
