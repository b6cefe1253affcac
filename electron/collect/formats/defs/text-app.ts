/**
 * Plain-text application logs whose lines start with a timestamp and usually a level (logback,
 * log4j, Python logging, Rails, Laravel, zap console…): the generic fallback that more specific
 * definitions beat on equal coverage.
 */
import { defineParser } from '../definition'
import { TextAppParser } from '../text-app'

export default defineParser({
  id: 'text-app',
  title: 'Text with timestamps and levels',
  family: 'app',
  multiline: 'text',
  specificity: -1,
  create: () => new TextAppParser(),
  samples: [{
    source: 'tests/fixtures/formats/logback.log',
    lines: [
      '2024-03-01 12:00:05.456 ERROR [http-nio-8080-exec-1] c.e.shop.OrderController - Request failed for order 42',
      'java.lang.IllegalStateException: Payment gateway returned 500',
      '\tat com.example.shop.PaymentClient.charge(PaymentClient.java:88)'
    ],
    events: [{ kind: 'app', time: '2024-03-01T12:00:05.456Z', level: 'error', errorType: 'java.lang.IllegalStateException', lines: 3, hasStack: true }]
  }]
})
