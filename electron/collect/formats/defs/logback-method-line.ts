/**
 * logback with a time-only stamp: `%d{HH:mm:ss.SSS} [%thread] %-5level %logger - [%method,%line] - %msg`
 * (RuoYi and its many forks), and logback's own default console pattern without `[%method,%line] - `.
 * The stamp has no date and nothing else in the file gives one, so events carry no time (null):
 * the lines are still counted, grouped and ordered, but not placed on a timeline.
 */
import { definePattern } from '../definition'

export default definePattern({
  id: 'logback-method-line',
  title: 'logback, time of day only (HH:mm:ss.SSS [thread] LEVEL logger - [method,line] - msg)',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  // `clock` without `date`: the time of day is read but makes no time (see above).
  pattern: /^(?<clock>\d{2}:\d{2}:\d{2}[.,]\d{3}) \[(?<thread>[^\]]*)\] (?<level>TRACE|DEBUG|INFO|WARN|ERROR|FATAL) +(?<logger>[\w.$]+) - (?:\[(?<caller>[\w$<>]+,\d+)\] - )?(?<message>.*)$/,
  samples: [{
    source: 'tests/fixtures/logs/logback-method-line/ruoyi-sys-error.log (lines 2-6)',
    lines: [
      '16:46:21.234 [http-nio-8080-exec-23] ERROR c.r.f.a.LogAspect - [handleLog,125] - 异常信息:java.lang.IllegalStateException: The shiro-activeSessionCache Cache is not alive (STATUS_SHUTDOWN)',
      '16:59:20.767 [http-nio-8080-exec-1] ERROR c.r.f.w.e.GlobalExceptionHandler - [notFount,63] - 运行时异常:',
      'org.springframework.dao.DuplicateKeyException: ',
      '### Error updating database.  Cause: java.sql.SQLIntegrityConstraintViolationException: Duplicate entry \'3\' for key \'salary_userId\'',
      '\tat org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator.doTranslate(SQLErrorCodeSQLExceptionTranslator.java:247)'
    ],
    events: [
      { kind: 'app', time: null, level: 'error', logger: 'c.r.f.a.LogAspect', errorType: 'java.lang.IllegalStateException', lines: 1, hasStack: false },
      { kind: 'app', time: null, level: 'error', logger: 'c.r.f.w.e.GlobalExceptionHandler', message: '运行时异常:', errorType: 'org.springframework.dao.DuplicateKeyException', lines: 4, hasStack: true }
    ]
  }]
})
