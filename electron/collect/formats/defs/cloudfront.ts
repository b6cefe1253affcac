/** Amazon CloudFront standard (access) logs: W3C with tabs; detection reaches it through iis-w3c's variant. */
import { defineParser } from '../definition'
import { CLOUDFRONT_FIELDS, IIS_DEFAULT_FIELDS, W3cParser } from '../w3c'

export default defineParser({
  id: 'cloudfront',
  title: 'Amazon CloudFront (standard logs)',
  family: 'access',
  multiline: 'single',
  detectable: false,
  create: () => new W3cParser('cloudfront', [CLOUDFRONT_FIELDS, IIS_DEFAULT_FIELDS]),
  samples: [{
    source: 'tests/fixtures/logs/cloudfront/clay-web-1-0.log and clay-web-2019-12.log (its last line, with an extra empty trailing field)',
    lines: [
      '#Version: 1.0',
      '#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status cs(Referer) cs(User-Agent) cs-uri-query cs(Cookie) x-edge-result-type x-edge-request-id x-host-header cs-protocol cs-bytes time-taken x-forwarded-for ssl-protocol ssl-cipher x-edge-response-result-type cs-protocol-version',
      '2014-05-23\t01:13:12\tLAX1\t2390282\t192.0.2.202\tGET\td111111abcdef8.cloudfront.net\t/soundtrack/happy.mp3\t304\twww.unknownsingers.com\tMozilla/5.0%2520(iPhone;%2520CPU%2520iPhone%2520OS%252010_2_1%2520like%2520Mac%2520OS%2520X)%2520AppleWebKit/602.4.6%2520(KHTML,%2520like%2520Gecko)%2520Version/10.0%2520Mobile/14D27%2520Safari/602.1\ta=b&c=d\tzip=50158\tHit\txGN7KWpVEmB9Dp7ctcVFQC4E-nrcOcEKS3QyAez--06dV7TEXAMPLE==\td111111abcdef8.cloudfront.net\thttp\t-\t0.002\t-\t-\t-\tHit\tHTTP/1.1',
      '#Version:\t1.0',
      '#Fields:\tdate\ttime\tx-edge-location\tsc-bytes\tc-ip\tcs-method\tcs(Host)\tcs-uri-stem\tsc-status\tcs(Referer)\tcs(User-Agent)\tcs-uri-query\tcs(Cookie)\tx-edge-result-type\tx-edge-request-id\tx-host-header\tcs-protocol\tcs-bytes\ttime-taken\tx-forwarded-for\tssl-protocol\tssl-cipher\tx-edge-response-result-type\tcs-protocol-version\tfle-status\tfle-encrypted-fields\tc-port\ttime-to-first-byte\tx-edge-detailed-result-type\tsc-content-type\tsc-content-len\tsc-range-start\tsc-range-end',
      '2019-12-04\t21:02:31\tLAX1\t392\t192.0.2.100\tGET\td111111abcdef8.cloudfront.net\t/index.html\t200\t-\tMozilla/5.0%2520(Windows%2520NT%252010.0;%2520Win64;%2520x64)%2520AppleWebKit/537.36%2520(KHTML,%2520like%2520Gecko)%2520Chrome/78.0.3904.108%2520Safari/537.36\t-\t-\tHit\tf37nTMVvnKvV2ZSvEsivup_c2kZ7VXzYdjC-GUQZ5qNs-89BlWazbw==\td111111abcdef8.cloudfront.net\thttps\t23\t0.001\t-\tTLSv1.2\tECDHE-RSA-AES128-GCM-SHA256\tHit\tHTTP/2.0\t-\t-\t11040\t0.001\tHit\ttext/html\t78\t-\t-\t'
    ],
    directives: 4,
    events: [
      {
        kind: 'request', time: '2014-05-23T01:13:12.000Z', method: 'GET', path: '/soundtrack/happy.mp3?a=b&c=d', status: 304, bytes: 2390282, durationMs: 2,
        client: '192.0.2.202', instance: 'LAX1', cacheStatus: 'Hit', requestId: 'xGN7KWpVEmB9Dp7ctcVFQC4E-nrcOcEKS3QyAez--06dV7TEXAMPLE==',
        userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like Gecko) Version/10.0 Mobile/14D27 Safari/602.1'
      },
      { kind: 'request', time: '2019-12-04T21:02:31.000Z', method: 'GET', path: '/index.html', status: 200, bytes: 392, durationMs: 1, instance: 'LAX1', cacheStatus: 'Hit' }
    ]
  }]
})
