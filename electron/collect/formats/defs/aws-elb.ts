/**
 * AWS Classic Load Balancer access logs. The backend is the instance; the duration is the sum of
 * the three processing times (-1 when the backend was never reached). TCP/SSL listener entries
 * (`"- - - "`, status `-`) are no requests: app events.
 */
import type { EvidenceEvent } from '../../../../shared/model/evidence'
import { definePattern } from '../definition'

/** request + target + response processing seconds → ms; null when one is -1 (never reached). */
export function processingMs(event: EvidenceEvent, groups: Readonly<Record<string, string | undefined>>): EvidenceEvent {
  if (event.kind !== 'request') return event
  const times = [groups.requestTime, groups.targetTime, groups.responseTime].map(Number)
  const ok = times.every((t) => Number.isFinite(t) && t >= 0)
  return { ...event, durationMs: ok ? Math.round(times.reduce((a, b) => a + b, 0) * 1e6) / 1e3 : null }
}

export default definePattern({
  id: 'aws-elb',
  title: 'AWS Classic Load Balancer',
  family: 'access',
  specificity: 1,
  pattern: /^(?<time>\d{4}-\d{2}-\d{2}T\S+) \S+ (?<client>\S+?):\d+ (?<instance>\S+) (?<requestTime>-1|[\d.]+) (?<targetTime>-1|[\d.]+) (?<responseTime>-1|[\d.]+) (?<status>\d{3}|-) (?<upstreamStatus>\d{3}|-) (?:\d+|-) (?<bytes>\d+|-) "(?<request>[^"]*)" "(?<agent>(?:[^"\\]|\\.)*)"(?: \S+ \S+)?$/,
  time: 'iso',
  refine: processingMs,
  samples: [{
    source: 'tests/fixtures/logs/aws-elb/lnav-format-samples.log (lines 1, 2, 4)',
    lines: [
      '2015-11-17T05:45:24.077255Z elastic-prod 54.161.222.121:40909 10.231.68.180:443 0.000031 0.009511 0.000029 200 200 0 415 "GET https://example.com/foo/bar?baz=1234 HTTP/1.1" "test agent" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2',
      '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.000073 0.001048 0.000057 200 200 0 29 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.38.0" - -',
      '2015-05-13T23:39:43.945958Z my-loadbalancer 192.168.131.39:2817 10.0.0.1:80 0.001069 0.000028 0.000041 - - 82 305 "- - - " "-" - -'
    ],
    events: [
      { kind: 'request', time: '2015-11-17T05:45:24.077Z', method: 'GET', path: '/foo/bar?baz=1234', status: 200, upstreamStatus: 200, bytes: 415, durationMs: 9.571, client: '54.161.222.121', userAgent: 'test agent', instance: '10.231.68.180:443' },
      { kind: 'request', path: '/', status: 200, bytes: 29, durationMs: 1.178, instance: '10.0.0.1:80' },
      { kind: 'app', time: '2015-05-13T23:39:43.945Z', instance: '10.0.0.1:80' }
    ]
  }]
})
