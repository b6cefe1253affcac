/**
 * Rails 2.3-3.2 production.log as Rails wrote it by default: no timestamp or level prefix, one
 * block per request from `Started GET "/" for 127.0.0.1 at 2012-07-26 14:04:06 -0400` through
 * `Completed 500 Internal Server Error in 141ms` and the exception with its template excerpt and
 * backtrace. Each block is ONE event carrying the request's method, path and status (so it also
 * counts as that request) and the exception as its error; Rails' own lines outside a block
 * (`Connecting to database specified by database.yml`) are events of their own.
 */
import type { AppEvent, LogFormatId, ProxyErrorEvent } from '../../../../shared/model/evidence'
import { defineParser } from '../definition'
import { appEvent, normalizeLevel } from '../events'
import type { LineParser } from '../parser'
import { parseRailsTime } from '../text-app'
import { exceptionFromLine } from '../trace'

const STARTED_RE = /^Started ([A-Z]+) "([^"]*)" for (\S+) at (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?: ?[+-]\d{4}| UTC)?)$/
const COMPLETED_RE = /^Completed (\d{3}) /
/** What ActionPack and ActiveRecord write at the start of a line, outside the app's own messages. */
const RAILS_LINE_RE = /^(?:Connecting to database specified by |Processing by |Processing \w+#|Completed \d{3} |Redirected to |Rendered |Filter chain halted |Sent (?:file|data) |Can't verify CSRF token authenticity|Migrating to )/

/** Where the parser is in the request block the folder has open. */
type Block = 'none' | 'request' | 'completed'

class RailsPlainParser implements LineParser {
  readonly format: LogFormatId = 'rails-plain'
  readonly multiline = 'text'
  private block: Block = 'none'

  parse(line: string, lineNo: number, offset: number): AppEvent | null {
    const started = STARTED_RE.exec(line)
    if (started !== null) {
      this.block = 'request'
      return appEvent(lineNo, offset, { time: parseRailsTime(started[4]), level: 'info', message: line, method: started[1], path: started[2] })
    }
    this.block = 'none'
    if (!RAILS_LINE_RE.test(line)) return null
    const completed = COMPLETED_RE.exec(line)
    return appEvent(lineNo, offset, { level: completed === null ? null : statusLevel(Number(completed[1])), message: line, status: completed === null ? null : Number(completed[1]) })
  }

  /** Inside a request block: its lines, the `Completed` status and the exception after it. */
  continues(line: string, open: AppEvent | ProxyErrorEvent): string | null {
    if (this.block === 'none' || open.kind !== 'app' || line.startsWith('Started ') || line.startsWith('Connecting to database ')) return null
    const completed = this.block === 'request' ? COMPLETED_RE.exec(line) : null
    if (completed !== null) {
      open.status = Number(completed[1])
      open.level = statusLevel(open.status)
      this.block = 'completed'
      return line
    }
    const exception = exceptionFromLine(line)
    if (exception !== null) {
      if (open.errorType === null) {
        open.errorType = exception.type
        open.errorMessage = exception.message
      }
      if (open.level !== 'fatal') open.level = 'error'
      return line
    }
    return this.block === 'request' ? line : null
  }
}

function statusLevel(status: number): AppEvent['level'] {
  return normalizeLevel(status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info')
}

export default defineParser({
  id: 'rails-plain',
  title: 'Rails production.log (no prefix, Rails 2.3-3.2)',
  family: 'app',
  multiline: 'text',
  specificity: 1,
  create: () => new RailsPlainParser(),
  samples: [{
    source: 'tests/fixtures/logs/rails-plain/physics-academy-500s.log (lines 3-20)',
    lines: [
      'Connecting to database specified by database.yml',
      '',
      '',
      'Started GET "/" for 127.0.0.1 at 2012-07-26 14:04:06 -0400',
      'Processing by StaticPagesController#home as HTML',
      '  Rendered static_pages/home.html.erb within layouts/application (56.0ms)',
      'Completed 500 Internal Server Error in 141ms',
      '',
      'ActionView::Template::Error (theme/avatar.png isn\'t precompiled):',
      '    157:             <li>',
      '    160:                   <%= image_tag "theme/avatar.png", alt: "Thumbnail" %>',
      '  app/views/static_pages/home.html.erb:160:in `_app_views_static_pages_home_html_erb__727896025_47255940\'',
      '',
      '',
      'Connecting to database specified by database.yml'
    ],
    events: [
      { kind: 'app', time: null, level: null, message: 'Connecting to database specified by database.yml', lines: 3 },
      {
        kind: 'app', time: '2012-07-26T18:04:06.000Z', level: 'error', method: 'GET', path: '/', status: 500,
        errorType: 'ActionView::Template::Error', errorMessage: 'theme/avatar.png isn\'t precompiled', lines: 11, hasStack: true
      },
      { kind: 'app', message: 'Connecting to database specified by database.yml', lines: 1 }
    ]
  }]
})
