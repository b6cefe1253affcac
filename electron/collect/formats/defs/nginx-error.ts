/**
 * nginx's error_log: why it could not reach an upstream, and FastCGI stderr folded into its line.
 * A PHP error nginx relayed from FastCGI stderr is read as the app error it is (type and message from PHP).
 */
import { defineParser } from '../definition'
import { NginxErrorParser } from '../proxy-error'

export default defineParser({
  id: 'nginx-error',
  title: 'nginx error log',
  family: 'proxy-error',
  multiline: 'text',
  specificity: 1,
  create: () => new NginxErrorParser(),
  samples: [{
    source: 'tests/fixtures/formats/nginx-upstream-error.log',
    lines: ['2024/03/01 12:00:01 [error] 123#0: *45 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.7, server: api.example.com, request: "GET /api/reports/8812/export HTTP/1.1", upstream: "http://127.0.0.1:8080/api/reports/8812/export", host: "api.example.com"'],
    events: [{ kind: 'proxy-error', time: '2024-03-01T12:00:01.000Z', level: 'error', reason: 'refused', method: 'GET', path: '/api/reports/8812/export', client: '10.0.0.7', upstream: 'http://127.0.0.1:8080/api/reports/8812/export' }]
  }, {
    // PHP's own error relayed from FastCGI stderr: an app error of the upstream, with no proxy reason.
    source: 'tests/fixtures/logs/nginx-error-php/ddd-demo-php.log (line 3)',
    lines: [String.raw`2020/04/29 12:03:17 [error] 18#18: *40 FastCGI sent in stderr: "PHP message: PHP Fatal error:  Cannot make non static method App\Services\UserService::getUser() static in class App\Services\Impl\UserServiceImpl in /var/www/laravel_portfolio/app/Services/Impl/UserServiceImpl.php on line 14" while reading response header from upstream, client: 172.26.0.1, server: localhost, request: "GET /test HTTP/1.1", upstream: "fastcgi://172.26.0.3:9000", host: "localhost:58710"`],
    events: [{
      kind: 'app', time: '2020-04-29T12:03:17.000Z', level: 'error', method: 'GET', path: '/test', instance: 'fastcgi://172.26.0.3:9000',
      errorType: 'PHP Fatal error', errorMessage: String.raw`Cannot make non static method App\Services\UserService::getUser() static in class App\Services\Impl\UserServiceImpl in /var/www/laravel_portfolio/app/Services/Impl/UserServiceImpl.php on line 14`
    }]
  }]
})
