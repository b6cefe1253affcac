/**
 * Real-looking log lines for the fuzzers: the in-repo format fixtures, a few lines per format that
 * has none, lines built from random field values, stack-trace lines and junk.
 */
import fc from 'fast-check'
import { readdirSync } from 'node:fs'
import path from 'node:path'
import { repoRoot } from '../support/shared-data'
import { readLines } from '../unit/formats/fold-file'
import { mutated } from './fuzz'

const fixtureDir = path.join(repoRoot, 'tests', 'fixtures', 'formats')

/** Every line of every format fixture (all formats: a parser also meets other formats' lines). */
const FIXTURE_LINES: string[] = readdirSync(fixtureDir)
  .sort()
  .flatMap((name) => readLines(path.join(fixtureDir, name)))

const EXTRA_LINES: string[] = [
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326',
  '192.168.64.1 - - [07/Feb/2020:11:48:51 +0000] "POST /products HTTP/1.1" 200 59 "-" "curl/7.54.0" 89 0.001 [default-web-8080] [] 172.17.0.5:8080 59 0.000 200 529a007902362a5f51385a5fa7049884',
  '10.0.0.1 - - [07/Feb/2020:11:50:00 +0000] "GET /x HTTP/1.1" 502 150 "-" "-" 80 5.002 [default-web-8080] [] 10.0.0.5:8080, 10.0.0.6:8080 0, 0 5.000, 0.002 502, 502 abc',
  '{"level":"info","ts":1716723772.6014807,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"10.5.1.1","method":"GET","host":"example.net","uri":"/a?b=1"},"duration":0.0175,"size":3768,"status":200}',
  '{"ClientIP":"89.163.242.206","ClientRequestMethod":"GET","ClientRequestURI":"/","EdgeEndTimestamp":1712790000123000000,"EdgeResponseStatus":500,"EdgeStartTimestamp":1712790000100000000,"RayID":"87a1"}',
  '{"time":"2024-03-01T12:00:00Z","level":"error","msg":"db down","error":"dial tcp: i/o timeout","trace_id":"abc"}',
  '{"@timestamp":"2024-03-01T12:00:00.123+01:00","log.level":"ERROR","message":"boom","error.stack_trace":"java.lang.X: y\\n\\tat a.b(C.java:1)"}',
  'level=error ts=2024-03-01T12:00:00.000Z caller=main.go:42 msg="request failed" status=500 path=/api',
  '2024-03-01 12:00:00,123 ERROR [main] module.name: something failed',
  '2024-03-01T12:00:00.123456Z  WARN 1 --- [  main] o.s.b.Application : slow',
  '[2024-03-01 12:00:00] local.ERROR: Undefined index: id {"exception":"[object] (ErrorException(code: 0): Undefined index: id at /app/x.php:10)"}',
  '<34>Oct 11 22:14:15 mymachine su: \'su root\' failed for lonvick on /dev/pts/8',
  '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] An application event',
  '2024/03/01 12:00:03 [crit] 123#0: *47 SSL_do_handshake() failed (SSL: error) while SSL handshaking, client: 10.0.0.9',
  '[Fri Mar 01 12:00:03.000000 2024] [core:error] [pid 1:tid 2] [client 10.0.0.1:1] AH00124: Request exceeded the limit',
  'Mar  1 12:00:00 web-1 nginx: 2024/03/01 12:00:00 [error] 7#7: *1 upstream prematurely closed connection'
]

export const SEED_LINES: readonly string[] = [...FIXTURE_LINES, ...EXTRA_LINES]

/** Stack-trace and continuation lines of the languages the folder knows. */
export const FRAME_LINES: readonly string[] = [
  '\tat com.example.shop.PaymentClient.charge(PaymentClient.java:88)',
  '    at Object.<anonymous> (/app/index.js:1:1)',
  '    at async Promise.all (index 0)',
  '\t... 12 more',
  'Caused by: java.net.SocketTimeoutException: Read timed out',
  'java.lang.IllegalStateException: Payment gateway returned 500',
  'Traceback (most recent call last):',
  '  File "/app/main.py", line 10, in <module>',
  '    main()',
  'ValueError: invalid literal for int() with base 10: \'x\'',
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
  'panic: runtime error: invalid memory address or nil pointer dereference',
  '[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4]',
  'goroutine 1 [running]:',
  'main.main()',
  '\t/app/main.go:12 +0x1d',
  '#0 /var/www/app/vendor/x.php(70): PDO->__construct(\'mysql:host=db\')',
  '#1 {main}',
  '[stacktrace]',
  "/app/models/report.rb:12:in `rows'",
  '   at System.Data.SqlClient.SqlConnection.Open()',
  'Unhandled exception. System.InvalidOperationException: nope',
  'nested exception is: java.io.IOException: broken pipe',
  '  with some indented continuation',
  'Error: connect ECONNREFUSED 127.0.0.1:5432'
]

const ip = fc.oneof(
  fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.')),
  fc.constantFrom('::1', '2001:db8::1', '-', 'unknown')
)
const status = fc.oneof(fc.integer({ min: 100, max: 599 }), fc.constantFrom(0, -1, 999, 1e300))
const clfTime = fc
  .tuple(fc.integer({ min: 0, max: 32 }), fc.constantFrom('Jan', 'Feb', 'Mar', 'Dec', 'Foo'), fc.integer({ min: 0, max: 10_000 }), fc.nat(25), fc.nat(61), fc.nat(61), fc.constantFrom('+0000', '-0700', '+1400', '+9999', 'Z', ''))
  .map(([d, mon, y, h, m, s, z]) => `${String(d).padStart(2, '0')}/${mon}/${y}:${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')} ${z}`)
const isoTime = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('2024-02-30T25:61:61Z', '0000-00-00 00:00:00', '9999-12-31T23:59:59.999999999+14:00', '2024-03-01T12:00:00+25:00')
)
const word = fc.stringMatching(/^[A-Za-z0-9_./-]{0,12}$/)
const reqPath = fc.oneof(fc.webPath(), fc.constantFrom('/', '/a%20b', '/%E0%A4%A', '*', '/api/x?y=1&z', 'http://x/y'))

const accessLine = fc
  .tuple(ip, word, clfTime, fc.constantFrom('GET', 'POST', 'HEAD', '-', 'BREW'), reqPath, status, fc.nat(), fc.boolean(), fc.double({ noNaN: false }))
  .map(([addr, user, t, method, p, st, bytes, withLatency, latency]) => {
    const base = `${addr} - ${user || '-'} [${t}] "${method} ${p} HTTP/1.1" ${st} ${bytes} "-" "curl/8.5.0"`
    return withLatency ? `${base} ${latency} ${latency}` : base
  })

/** A JSON object with the field names the JSON formats read, holding any JSON value. */
export const logJsonObject = fc.dictionary(
  fc.oneof(
    fc.constantFrom('time', 'ts', 'timestamp', '@timestamp', 'level', 'lvl', 'severity', 'msg', 'message', 'status', 'statusCode', 'method', 'url', 'uri', 'path', 'request', 'req', 'res', 'err', 'error', 'stack', 'duration', 'latency', 'responseTime', 'EdgeResponseStatus', 'EdgeStartTimestamp', 'ClientRequestURI'),
    fc.string({ maxLength: 8 })
  ),
  fc.oneof(fc.jsonValue({ maxDepth: 3 }), isoTime, status, fc.double()),
  { maxKeys: 8 }
)

const jsonLine = logJsonObject.map((o) => JSON.stringify(o))
const appLine = fc
  .tuple(isoTime, fc.constantFrom('ERROR', 'WARN', 'INFO', 'error', 'FATAL', 'E,', '[error]', 'crit'), word, fc.string({ maxLength: 40 }))
  .map(([t, level, logger, msg]) => `${t} ${level} [main] ${logger} - ${msg}`)
const logfmtLine = fc
  .array(fc.tuple(word, fc.oneof(word, fc.string({ maxLength: 10 }).map((s) => JSON.stringify(s)), isoTime)), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join(' '))
const syslogLine = fc
  .tuple(fc.integer({ min: -1, max: 200 }), fc.constantFrom('Mar', 'Jan', 'Xyz'), fc.integer({ min: 0, max: 40 }), fc.nat(30), word, fc.string({ maxLength: 30 }))
  .map(([pri, mon, day, h, host, msg]) => `<${pri}>${mon} ${String(day).padStart(2, ' ')} ${String(h).padStart(2, '0')}:00:00 ${host} app[1]: ${msg}`)

/** A real-looking line: a seed line as is or mutated, or one built from random fields. */
export const realLine: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...SEED_LINES), weight: 3 },
  { arbitrary: mutated(fc.constantFrom(...SEED_LINES)), weight: 3 },
  { arbitrary: mutated(fc.oneof(accessLine, jsonLine, appLine, logfmtLine, syslogLine)), weight: 3 }
)

export const frameLine = fc.oneof(fc.constantFrom(...FRAME_LINES), mutated(fc.constantFrom(...FRAME_LINES)))
export const blankLine = fc.constantFrom('', ' ', '\t', '   \t ')
/** Lines as the splitter hands them over: any text, no CR or LF (those end a line). */
export const junkLine = fc.string({ unit: 'binary', maxLength: 60 }).map((s) => s.replace(/[\r\n]/g, ' '))
