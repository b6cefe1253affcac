/**
 * Sidekiq's text logger: 4.x `2017-04-27T00:29:55.501Z 19999 TID-gnh1qxg1c PriceUpdateJob JID-4fed… INFO: start`,
 * 5.x-6.x `… pid=7 tid=oveq class=HardJob jid=77b5… elapsed=0.3 INFO: done`. Sidekiq logs each
 * backtrace line as an ERROR record of its own: those fold into the error before them as its stack.
 * Ruby's `message (Class)` convention gives the error type.
 */
import { definePattern } from '../definition'

const RUBY_ERROR_RE = /^(.*) \(((?:[A-Z]\w*::)*[A-Z]\w*)\)$/

export default definePattern({
  id: 'sidekiq',
  title: 'Sidekiq',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  time: 'iso',
  frameRecords: true,
  pattern: /^(?<time>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) (?:pid=)?\d+ (?:TID-|tid=)(?<thread>\S+)(?: (?:class=)?(?<logger>[A-Z][\w:]*) (?:JID-|jid=)(?<requestId>\w+))?(?: \w+=\S+)* (?<level>DEBUG|INFO|WARN|ERROR|FATAL): (?<message>.*)$/,
  refine: (event) => {
    if (event.kind !== 'app' || event.errorType !== null || (event.level !== 'error' && event.level !== 'fatal')) return event
    const m = RUBY_ERROR_RE.exec(event.message)
    return m === null ? event : { ...event, errorType: m[2], errorMessage: m[1] }
  },
  samples: [{
    source: 'tests/fixtures/logs/sidekiq/constructor-redis-refused.log (lines 6, 16-18)',
    lines: [
      '2017-04-27T00:29:55.501Z 19999 TID-gnh1qxg1c PriceUpdateJob JID-4fed22c659dfbf7d479dfdee INFO: start',
      '2017-04-27T02:43:41.343Z 19999 TID-gnh1qxpww ERROR: Error fetching job: Error connecting to Redis on 127.0.0.1:6379 (Errno::ECONNREFUSED)',
      '2017-04-27T02:43:41.352Z 19999 TID-gnh1qxpww ERROR: /home/g1nc/.rbenv/versions/2.3.1/lib/ruby/gems/2.3.0/gems/redis-3.3.3/lib/redis/client.rb:345:in `rescue in establish_connection\'',
      '2017-04-27T02:43:41.352Z 19999 TID-gnh1qxpww ERROR: /home/g1nc/.rbenv/versions/2.3.1/lib/ruby/gems/2.3.0/gems/redis-3.3.3/lib/redis/client.rb:331:in `establish_connection\''
    ],
    events: [
      { kind: 'app', time: '2017-04-27T00:29:55.501Z', level: 'info', logger: 'PriceUpdateJob', requestId: '4fed22c659dfbf7d479dfdee', message: 'start' },
      { kind: 'app', level: 'error', errorType: 'Errno::ECONNREFUSED', errorMessage: 'Error fetching job: Error connecting to Redis on 127.0.0.1:6379', lines: 3, hasStack: true }
    ]
  }]
})
