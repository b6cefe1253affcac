/**
 * `heroku logs` output: `<time> <source>[<dyno>]: <message>`, the source being `app` or `heroku`. The router's lines
 * (`heroku[router]: at=info method=GET path="/" … dyno=web.1 connect=1ms service=12ms status=200`)
 * are requests, the dyno that served them the instance; the other lines (app output, platform
 * state changes, `Error R14` / `at=error code=H10`) are app events of their dyno.
 */
import type { EvidenceEvent } from '../../../../shared/model/evidence'
import { defineParser, type FieldRole, type LineParser } from '../definition'
import { parseLogfmtPairs } from '../logfmt'
import { EventMapper } from '../mapped'

const LINE_RE = /^(?<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})) (?<source>app|heroku)\[(?<dyno>[^\]\s]+)\]: ?(?<message>.*)$/

/** Router fields → roles (`service` is the time the dyno took, `fwd` the client). */
const ROUTER_FIELDS: Partial<Record<FieldRole, string>> = {
  method: 'method', path: 'path', status: 'status', bytes: 'bytes', duration: 'service', requestId: 'request_id', client: 'fwd', instance: 'dyno'
}

function platformLevel(source: string, message: string): string | undefined {
  if (source !== 'heroku') return undefined
  if (/^Error [A-Z]\d+|^at=error |to crashed$/.test(message)) return 'error'
  return undefined
}

class HerokuParser implements LineParser {
  readonly format = 'heroku-router'
  readonly multiline = 'trace'
  private readonly requests = new EventMapper({ family: 'access', time: 'iso', durationUnit: 'ms' })
  private readonly others = new EventMapper({ family: 'app', time: 'iso' })

  parse(line: string, lineNo: number, offset: number): EvidenceEvent | null {
    const m = LINE_RE.exec(line)?.groups
    if (m === undefined) return null
    const { time, source, dyno, message } = m
    if (source === 'heroku' && dyno === 'router') {
      const record = parseLogfmtPairs(message)
      const request = record === null ? null : this.requests.map((role) => (role === 'time' ? time : record[ROUTER_FIELDS[role] ?? '']), lineNo, offset)
      if (request !== null) return request
    }
    const fields: Partial<Record<FieldRole, string>> = { time, message, instance: dyno, logger: source, level: platformLevel(source, message) }
    return this.others.map((role) => fields[role], lineNo, offset)
  }
}

export default defineParser({
  id: 'heroku-router',
  title: 'Heroku (router and dyno logs)',
  family: 'access',
  multiline: 'trace',
  specificity: 1,
  create: () => new HerokuParser(),
  samples: [{
    source: 'tests/fixtures/logs/heroku-router/dental-laboratory-readme.log',
    lines: [
      '2020-05-19T19:25:05.421772+00:00 heroku[web.1]: State changed from starting to crashed',
      '2020-05-19T19:25:05.319516+00:00 app[web.1]: Traceback (most recent call last):',
      '2020-05-19T19:27:39.107746+00:00 heroku[router]: at=error code=H10 desc="App crashed" method=GET path="/" host=dental-laboratory.herokuapp.com request_id=a1d603a0-c306-4d85-9cdd-e9c5606e7670 fwd="90.202.46.200" dyno= connect= service= status=503 bytes= protocol=https',
      '2020-05-19T19:56:28.905675+00:00 heroku[router]: at=info method=GET path="/" host=dental-laboratory.herokuapp.com request_id=c103b62f-dae4-432d-ac53-a193e94930d4 fwd="90.202.46.200" dyno=web.1 connect=3ms service=54ms status=200 bytes=3663 protocol=https'
    ],
    events: [
      { kind: 'app', time: '2020-05-19T19:25:05.421Z', level: 'error', instance: 'web.1', logger: 'heroku', message: 'State changed from starting to crashed' },
      { kind: 'app', instance: 'web.1', logger: 'app', message: 'Traceback (most recent call last):' },
      { kind: 'request', time: '2020-05-19T19:27:39.107Z', method: 'GET', path: '/', status: 503, bytes: null, durationMs: null, requestId: 'a1d603a0-c306-4d85-9cdd-e9c5606e7670', client: '90.202.46.200', instance: null },
      { kind: 'request', method: 'GET', path: '/', status: 200, bytes: 3663, durationMs: 54, instance: 'web.1' }
    ]
  }]
})
