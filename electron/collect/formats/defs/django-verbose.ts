/**
 * Python logging with every field in brackets and the level last, as Django projects commonly
 * configure it: `[%(asctime)s] [%(process)d] [%(thread)d] [%(filename)s:%(lineno)d] [%(levelname)-6s] %(message)s`
 * (any bracketed fields between the time and the level). Tracebacks and multi-line SQL fold into
 * their record; django.server's `"POST /x HTTP/1.1" 500 18211` lines give the request they answered.
 */
import { splitRequestLine } from '../mapped'
import { definePattern } from '../definition'

const SERVED_RE = /^"([^"]+)" (\d{3}) (?:\d+|-)$/

export default definePattern({
  id: 'django-verbose',
  title: 'Python logging, bracketed fields ([asctime] […] [levelname] message)',
  family: 'app',
  multiline: 'header',
  specificity: 1,
  time: 'iso',
  pattern: /^\[(?<time>\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:[,.]\d{3})?)\] (?:\[[^\]]*\] )*\[(?<level>DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL) *\] (?<message>.*)$/,
  refine: (event) => {
    if (event.kind !== 'app') return event
    const served = SERVED_RE.exec(event.message)
    const request = served === null ? null : splitRequestLine(served[1])
    if (served === null || request === null) return event
    return { ...event, method: request.method, path: request.path, status: Number(served[2]) }
  },
  samples: [{
    source: 'tests/fixtures/logs/django-verbose/devops-audit.log (lines 54-56, 75-77)',
    lines: [
      '[2018-12-14 16:29:30,831] [6242] [139630815827712] [    exception.py: 135] [ERROR ] Internal Server Error: /audit/multitask/',
      'Traceback (most recent call last):',
      '  File "/data/env/devops6/lib/python3.6/site-packages/django/core/handlers/exception.py", line 41, in inner',
      '    raise child_exception_type(errno_num, err_msg, err_filename)',
      'FileNotFoundError: [Errno 2] No such file or directory: \'python /vagrant/devops_demo/devops6/devops/multitask.py 8\': \'python /vagrant/devops_demo/devops6/devops/multitask.py 8\'',
      '[2018-12-14 16:29:30,979] [6242] [139630815827712] [     basehttp.py: 124] [ERROR ] "POST /audit/multitask/ HTTP/1.1" 500 18211'
    ],
    events: [
      { kind: 'app', time: '2018-12-14T16:29:30.831Z', level: 'error', message: 'Internal Server Error: /audit/multitask/', errorType: 'FileNotFoundError', lines: 5, hasStack: true },
      { kind: 'app', level: 'error', method: 'POST', path: '/audit/multitask/', status: 500, lines: 1 }
    ]
  }]
})
