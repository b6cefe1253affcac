/** php-fpm's own (master) log: `[21-May-2018 08:40:17] WARNING: [pool www] child 30245, script … executing too slow`. */
import { definePattern } from '../definition'

export default definePattern({
  id: 'php-fpm',
  title: 'php-fpm',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  time: 'dmy',
  pattern: /^\[(?<time>\d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}(?:\.\d+)?)\] (?<level>DEBUG|NOTICE|WARNING|ERROR|ALERT|EMERGENCY): (?:\[pool (?<logger>[^\]]+)\] )?(?<message>.*)$/,
  samples: [{
    source: 'tests/fixtures/logs/php-fpm/guacamole9-slowlog.log (lines 3-5)',
    lines: [
      '[21-May-2018 08:40:10] ERROR: failed to ptrace(PEEKDATA) pid 30229: Input/output error (5)',
      '[21-May-2018 08:40:10] NOTICE: finished trace of 30229',
      '[21-May-2018 08:40:17] WARNING: [pool ciccio] child 30245, script \'/home/ciccio/ciccio.ogino.net/www/index.php\' (request: "POST /index.php") executing too slow (5.414265 sec), logging'
    ],
    events: [
      { kind: 'app', time: '2018-05-21T08:40:10.000Z', level: 'error', message: 'failed to ptrace(PEEKDATA) pid 30229: Input/output error (5)' },
      { kind: 'app', level: 'info' },
      { kind: 'app', time: '2018-05-21T08:40:17.000Z', level: 'warn', logger: 'ciccio' }
    ]
  }]
})
