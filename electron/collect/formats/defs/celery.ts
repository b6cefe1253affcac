/**
 * Celery worker log `[%(asctime)s: %(levelname)s/%(processName)s] %(message)s` (and the task
 * variant, whose message starts with `task[id]:`). Retry notices and tracebacks fold into their record.
 */
import { definePattern } from '../definition'

export default definePattern({
  id: 'celery',
  title: 'Celery worker',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  time: 'iso',
  pattern: /^\[(?<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}[,.]\d{3}): (?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL)\/(?<thread>[^\]]+)\] (?<message>.*)$/,
  samples: [{
    source: 'tests/fixtures/logs/celery/vocabseditor-worker.log (lines 1-3)',
    lines: [
      '[2025-08-21 07:25:15,500: ERROR/MainProcess] consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.',
      'Trying again in 2.00 seconds... (1/100)',
      ''
    ],
    events: [{ kind: 'app', time: '2025-08-21T07:25:15.500Z', level: 'error', message: 'consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.\nTrying again in 2.00 seconds... (1/100)', lines: 3 }]
  }]
})
