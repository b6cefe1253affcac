/**
 * Spring Boot's default console/file layout (1.x-3.x):
 * `2022-01-17 10:23:59.703  INFO 1543 --- [restartedMain] c.k.c.CafeApplication : msg`; 3.x adds
 * an offset and an `[application]` bracket before the thread. Everything up to the next header is
 * the event's: the exception, frames, `Caused by:` and the failure-analysis block after a blank line.
 */
import { definePattern } from '../definition'

export default definePattern({
  id: 'spring-boot',
  title: 'Spring Boot (default layout)',
  family: 'app',
  multiline: 'header',
  specificity: 2,
  time: 'iso',
  pattern: /^(?<time>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}[.,]\d{3}(?:Z|[+-]\d{2}:?\d{2})?) +(?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +\d+ --- (?:\[[^\]]*\] +)*?\[ *(?<thread>[^\]]*?)\] +(?<logger>\S+) *:(?: (?<message>.*))?$/,
  samples: [{
    source: 'tests/fixtures/logs/spring-boot/be-w34-spring-cafe.log (lines 25-30, 151-157)',
    lines: [
      '2022-01-17 11:08:58.410  INFO 1543 --- [restartedMain] ConditionEvaluationReportLoggingListener : ',
      '2022-01-17 11:08:58.527 ERROR 1543 --- [restartedMain] o.s.boot.SpringApplication               : Application run failed',
      '',
      'java.lang.IllegalStateException: Error processing condition on org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration.propertySourcesPlaceholderConfigurer',
      '\tat org.springframework.boot.autoconfigure.condition.SpringBootCondition.matches(SpringBootCondition.java:60) ~[spring-boot-autoconfigure-2.6.2.jar:2.6.2]',
      '2022-01-17 11:44:34.060 ERROR 1543 --- [restartedMain] o.s.b.d.LoggingFailureAnalysisReporter   : ',
      '',
      '***************************',
      'APPLICATION FAILED TO START',
      '***************************'
    ],
    events: [
      { kind: 'app', time: '2022-01-17T11:08:58.410Z', level: 'info', logger: 'ConditionEvaluationReportLoggingListener', lines: 1 },
      { kind: 'app', time: '2022-01-17T11:08:58.527Z', level: 'error', logger: 'o.s.boot.SpringApplication', message: 'Application run failed', errorType: 'java.lang.IllegalStateException', lines: 4, hasStack: true },
      { kind: 'app', level: 'error', logger: 'o.s.b.d.LoggingFailureAnalysisReporter', lines: 5, hasStack: false }
    ]
  }]
})
