/** Apache httpd 2.2 / 2.4 ErrorLog, with mod_proxy's reasons for failing upstreams. */
import { defineParser } from '../definition'
import { ApacheErrorParser } from '../proxy-error'

export default defineParser({
  id: 'apache-error',
  title: 'Apache error log',
  family: 'proxy-error',
  multiline: 'trace',
  specificity: 1,
  create: () => new ApacheErrorParser(),
  samples: [{
    source: 'tests/fixtures/formats/apache-proxy-error.log',
    lines: [
      '[Fri Mar 01 12:00:01.123456 2024] [proxy:error] [pid 4242:tid 140000] (111)Connection refused: AH00957: HTTP: attempt to connect to 127.0.0.1:8080 (127.0.0.1) failed',
      '[Sun Dec 04 04:47:44 2005] [error] mod_jk child workerEnv in error state 6'
    ],
    events: [
      { kind: 'proxy-error', time: '2024-03-01T12:00:01.123Z', level: 'error', reason: 'refused' },
      { kind: 'proxy-error', time: '2005-12-04T04:47:44.000Z', level: 'error', reason: null }
    ]
  }, {
    // httpd's startup lines on stderr (no time, no level) land in the same file under Docker.
    source: 'tests/fixtures/logs/apache-error/docker-lamp.log (lines 1-2)',
    lines: [
      "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 172.20.0.4. Set the 'ServerName' directive globally to suppress this message",
      "[Sun Jul 28 18:21:38.379745 2019] [mpm_prefork:notice] [pid 7] AH00163: Apache/2.4.25 (Debian) PHP/7.1.20 configured -- resuming normal operations"
    ],
    events: [
      { kind: 'proxy-error', time: null, level: null, reason: null, message: "AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using 172.20.0.4. Set the 'ServerName' directive globally to suppress this message" },
      { kind: 'proxy-error', time: '2019-07-28T18:21:38.379Z', level: 'info' }
    ]
  }]
})
