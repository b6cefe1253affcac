/**
 * HAProxy's own log lines (`option httplog`, `option tcplog`, its connection errors and proxy
 * notices), as it writes them after the syslog header or to stdout with `format raw`. HTTP lines
 * are requests (status after the timers, the backend/server as instance, the last timer as
 * duration); an extra custom field before the timers (a `capture` of the host) is allowed.
 * TCP-mode lines, SSL handshake errors and proxy start/stop/health notices are app events.
 */
import type { AppEvent, EvidenceEvent } from '../../../../shared/model/evidence'
import { defineParser, type FieldRole, type LineParser } from '../definition'
import { EventMapper } from '../mapped'

const PREFIX = String.raw`^(?<client>\S+?):(?:\d+|-) \[(?<time>\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?)\] `
/** frontend backend/server [custom] TR/Tw/Tc/Tr/Ta status bytes cookies(2) termination conns queues {headers} "request". */
const HTTP_RE = new RegExp(PREFIX + String.raw`\S+ (?<instance>[^\s/]+\/\S+) (?:\S+ )?-?\d+\/-?\d+\/-?\d+\/-?\d+\/\+?(?<duration>-?\d+) (?<status>-?\d+) \+?(?<bytes>\d+) \S+ \S+ \S{4} \d+\/\d+\/\d+\/\d+\/\+?\d+ \d+\/\d+(?: \{[^}]*\})* "(?<request>[^"]*)"?$`)
/** Any other line about one connection: a TCP-mode log line or an error (`frontend/bind: SSL handshake failure`). */
const CONNECTION_RE = new RegExp(PREFIX + String.raw`(?<message>.+)$`)
const TCP_INSTANCE_RE = /^\S+ ([^\s/]+\/\S+) -?\d+\/-?\d+\/\+?-?\d+ /
/** HAProxy's notices about its proxies and servers. */
const NOTICE_RE = /^(?:Proxy \S+ (?:started|stopped|paused|resumed)|(?:Stopping|Pausing|Resuming) (?:frontend|backend|proxy) |(?:Backup )?Server \S+\/\S+ is (?:UP|DOWN|going DOWN)|[Bb]ackend \S+ has no server available!|Health check for (?:backup )?server \S+\/\S+ (?:succeeded|failed))/

function noticeLevel(text: string): AppEvent['level'] {
  if (text.includes('has no server available')) return 'error'
  return /is (?:going )?DOWN|failed/.test(text) ? 'warn' : 'info'
}

class HaproxyParser implements LineParser {
  readonly format = 'haproxy-http'
  readonly multiline = 'single'
  private readonly requests = new EventMapper({ family: 'access', time: 'clf', durationUnit: 'ms' })
  private readonly others = new EventMapper({ family: 'app', time: 'clf' })

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const http = HTTP_RE.exec(line)?.groups
    if (http !== undefined) {
      // A negative timer means the phase never happened (aborted request): no duration.
      const request = this.requests.map((role) => (role === 'duration' && http.duration?.startsWith('-') ? undefined : http[role]), lineNo, offset)
      if (request !== null) return request
    }
    const connection = CONNECTION_RE.exec(line)?.groups
    if (connection !== undefined) {
      const message = connection.message
      const instance = TCP_INSTANCE_RE.exec(message)?.[1]
      const fields: Partial<Record<FieldRole, string>> = { time: connection.time, message, instance }
      return this.others.map((role) => fields[role], lineNo, offset)
    }
    if (NOTICE_RE.test(line)) return this.others.map((role) => (role === 'message' ? line : role === 'level' ? noticeLevel(line) : undefined), lineNo, offset)
    return null
  }
}

export default defineParser({
  id: 'haproxy-http',
  title: 'HAProxy',
  family: 'access',
  multiline: 'single',
  specificity: 1,
  create: () => new HaproxyParser(),
  samples: [
    {
      source: 'tests/fixtures/logs/haproxy-http/beats-haproxy.log (lines 1-2, payloads after the syslog header)',
      lines: [
        '1.2.3.4:38862 [30/Jul/2018:09:03:52.726] incoming~ docs_microservice/docs 0/0/1/0/2 304 168 - - ---- 6/6/0/0/0 0/0 {docs.example.internal||} {|||} "GET /component---src-pages-index-js-4b15624544f97cf0bb8f.js HTTP/1.1"',
        '-:22222 [22/May/2021:02:22:22.222] www-https~ myapp/node2 site.domain.com 0/0/0/18/18 200 200 - - ---- 222/222/2/0/0 0/0 "OPTIONS /api/v2/app/ HTTP/1.1"'
      ],
      events: [
        { kind: 'request', time: '2018-07-30T09:03:52.726Z', method: 'GET', path: '/component---src-pages-index-js-4b15624544f97cf0bb8f.js', status: 304, bytes: 168, durationMs: 2, client: '1.2.3.4', instance: 'docs_microservice/docs' },
        { kind: 'request', time: '2021-05-22T02:22:22.222Z', method: 'OPTIONS', path: '/api/v2/app/', status: 200, bytes: 200, durationMs: 18, client: null, instance: 'myapp/node2' }
      ]
    },
    {
      source: 'tests/fixtures/logs/haproxy-http/beats-httplog-no-headers.log (line 3) and beats-tcplog.log (payloads)',
      lines: [
        '127.0.0.1:44542 [10/Dec/2018:15:48:56.017] http-webservices http-webservices/<NOSRV> 0/-1/-1/-1/0 503 213 - - SC-- 1/1/0/0/0 0/0 {localhost:8888||} {|} "GET /foo HTTP/1.1"',
        '127.0.0.1:40962 [20/Sep/2018:15:44:23.285] main app/<NOSRV> -1/-1/1 212 SC 1/1/0/0/0 0/0'
      ],
      events: [
        { kind: 'request', method: 'GET', path: '/foo', status: 503, durationMs: 0, instance: 'http-webservices/<NOSRV>' },
        { kind: 'app', time: '2018-09-20T15:44:23.285Z', message: 'main app/<NOSRV> -1/-1/1 212 SC 1/1/0/0/0 0/0', instance: 'app/<NOSRV>' }
      ]
    },
    {
      source: 'tests/fixtures/logs/haproxy-http/lnav-format-samples.log (payloads)',
      lines: [
        'Proxy prod_http_in started.',
        'Stopping frontend prod_http_in in 0 ms.',
        '178.203.144.192:50210 [26/Feb/2019:23:08:47.266] prod_http_in/slsp: Connection closed during SSL handshake',
        '178.203.144.192:50210 [26/Feb/2019:00:29:44.326] prod_http_in~ prod_http_out/nginx1 0/0/1/48/49 200 3313 - - ---- 3/2/0/0/0 0/0 {Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:65.0) Gecko/20100101 Firefox/65.0} {} "POST /schulportal/?Script=934&lehrer=126537&anm=3235&onlinetest=admin HTTP/1.1"'
      ],
      events: [
        { kind: 'app', level: 'info', message: 'Proxy prod_http_in started.' },
        { kind: 'app', level: 'info', message: 'Stopping frontend prod_http_in in 0 ms.' },
        { kind: 'app', time: '2019-02-26T23:08:47.266Z', message: 'prod_http_in/slsp: Connection closed during SSL handshake' },
        { kind: 'request', method: 'POST', path: '/schulportal/?Script=934&lehrer=126537&anm=3235&onlinetest=admin', status: 200, durationMs: 49, instance: 'prod_http_out/nginx1' }
      ]
    }
  ]
})
