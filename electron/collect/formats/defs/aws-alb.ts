/**
 * AWS Application Load Balancer access logs (http, https, h2, grpc, ws, wss entries). The target
 * is the instance, the X-Amzn-Trace-Id the request id; fields after the trace id are optional.
 */
import { definePattern } from '../definition'
import { processingMs } from './aws-elb'

export default definePattern({
  id: 'aws-alb',
  title: 'AWS Application Load Balancer',
  family: 'access',
  specificity: 1,
  pattern: /^(?:https?|h2|grpcs?|wss?) (?<time>\d{4}-\d{2}-\d{2}T\S+) \S+ (?<client>\S+?):\d+ (?<instance>\S+) (?<requestTime>-1|[\d.]+) (?<targetTime>-1|[\d.]+) (?<responseTime>-1|[\d.]+) (?<status>\d{3}|-) (?<upstreamStatus>\d{3}|-) (?:\d+|-) (?<bytes>\d+|-) "(?<request>[^"]*)" "(?<agent>(?:[^"\\]|\\.)*)" \S+ \S+ \S+ "(?<requestId>[^"]*)"(?: .*)?$/,
  time: 'iso',
  refine: processingMs,
  samples: [{
    source: 'tests/fixtures/logs/aws-alb/lnav-format-samples.log (lines 2, 4)',
    lines: [
      'https 2016-08-10T23:39:43.065466Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" www.example.com arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012',
      'ws 2016-08-10T00:32:08.923954Z app/my-loadbalancer/50dc6c495c0c9188 10.0.0.140:40914 10.0.1.192:8010 0.001 0.003 0.000 101 101 218 587 "GET http://10.0.0.30:80/ HTTP/1.1" "-" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" - -'
    ],
    events: [
      { kind: 'request', time: '2016-08-10T23:39:43.065Z', method: 'GET', path: '/', status: 200, upstreamStatus: 200, bytes: 57, durationMs: 171, client: '192.168.131.39', userAgent: 'curl/7.46.0', requestId: 'Root=1-58337281-1d84f3d73c47ec4e58577259', instance: '10.0.0.1:80' },
      { kind: 'request', path: '/', status: 101, durationMs: 4, userAgent: null, instance: '10.0.1.192:8010' }
    ]
  }]
})
