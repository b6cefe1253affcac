/** NCSA common log format (no referer or user agent). Detection reaches it through nginx-combined's variant. */
import { AccessLineParser } from '../access'
import { defineParser } from '../definition'

export default defineParser({
  id: 'common',
  title: 'NCSA common',
  family: 'access',
  multiline: 'single',
  detectable: false,
  create: () => new AccessLineParser('common'),
  samples: [{
    source: 'tests/fixtures/formats/combined-extras.log (common layout)',
    lines: ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326'],
    events: [{ kind: 'request', time: '2000-10-10T20:55:36.000Z', method: 'GET', path: '/apache_pb.gif', status: 200, bytes: 2326, client: '127.0.0.1' }]
  }]
})
