/**
 * W3C extended logs as IIS writes them (and HTTP.sys, and any W3C file): the field list comes from
 * the `#Fields:` directives. A file whose headers name CloudFront's fields is named cloudfront.
 */
import { defineParser } from '../definition'
import { CLOUDFRONT_FIELDS, IIS_DEFAULT_FIELDS, W3cParser } from '../w3c'

export default defineParser({
  id: 'iis-w3c',
  title: 'IIS / W3C extended',
  family: 'access',
  multiline: 'single',
  specificity: 1,
  create: () => new W3cParser('iis-w3c', [IIS_DEFAULT_FIELDS, CLOUDFRONT_FIELDS]),
  variant: (parser) => (parser instanceof W3cParser && parser.sawCloudfront && !parser.sawOther ? 'cloudfront' : 'iis-w3c'),
  samples: [{
    source: 'tests/fixtures/logs/iis-w3c/beats-iis-test.log (lines 1-5 and 11-17)',
    lines: [
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2018-01-01 08:09:10',
      '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken',
      '2018-01-01 08:09:10 127.0.0.1 GET / q=100 80 - 81.2.69.143 Mozilla/5.0+(Windows+NT+6.1;+Win64;+x64;+rv:57.0)+Gecko/20100101+Firefox/57.0 - 200 0 0 123',
      '#Software: Microsoft Internet Information Services 10.0',
      '#Version: 1.0',
      '#Date: 2018-01-01 10:11:12',
      '#Fields: date time s-sitename s-computername s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs-version cs(User-Agent) cs(Cookie) cs(Referer) cs-host sc-status sc-substatus sc-win32-status sc-bytes cs-bytes time-taken',
      '2018-01-01 10:11:12 W3SVC1 MACHINE-NAME 127.0.0.1 GET / - 80 - 81.2.69.143 HTTP/1.1 Mozilla/5.0+(Macintosh;+Intel+Mac+OS+X+10_14_0)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/70.0.3538.102+Safari/537.36 - - example.com 200 0 0 123 456 789',
      // Written with the first header's 15 fields after the 22-field one: read with the layout of its length.
      "2018-12-31 12:52:33 10.44.0.136 GET / redirect:${%23req%3d%23context.get('com.opensymphony.xwork2.dispatcher.HttpServletRequest'),%23webroot%3d%23req.getSession().getServletContext().getRealPath('/'),%23resp.println(%23webroot),%23resp.flush(),%23resp.close()} 443 - 10.50.6.188 Mozilla/4.0+(compatible;+MSIE+8.0;+Windows+NT+5.1;+Trident/4.0) - 401 0 0 0"
    ],
    directives: 8,
    events: [
      { kind: 'request', time: '2018-01-01T08:09:10.000Z', method: 'GET', path: '/?q=100', status: 200, durationMs: 123, client: '81.2.69.143', instance: '127.0.0.1', userAgent: 'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:57.0) Gecko/20100101 Firefox/57.0' },
      { kind: 'request', time: '2018-01-01T10:11:12.000Z', method: 'GET', path: '/', status: 200, bytes: 123, durationMs: 789, client: '81.2.69.143', instance: 'MACHINE-NAME' },
      { kind: 'request', time: '2018-12-31T12:52:33.000Z', method: 'GET', status: 401, durationMs: 0, client: '10.50.6.188', instance: '10.44.0.136' }
    ]
  }]
})
