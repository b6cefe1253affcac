import { describe, expect, it } from 'vitest'
import type { AppEvent } from '../../../shared/model/evidence'
import { SyslogParser } from '../../../electron/collect/formats/syslog'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { fixture, foldFile, lineTotal } from './fold-file'

const apps = (items: ReturnType<typeof foldFile>): AppEvent[] => items.filter((i): i is AppEvent => i.kind === 'app')

describe('text application logs', () => {
  const events = apps(foldFile(fixture('logback.log'), 'text-app'))

  it('logback: level, logger, message; a zone-less time is UTC', () => {
    expect(events[0]).toMatchObject({ time: Date.UTC(2024, 2, 1, 12, 0, 0, 123), level: 'info', logger: 'c.e.shop.Application', message: 'Started Application in 3.2 seconds' })
  })

  it('folds a Java trace under its header and takes the first exception line', () => {
    expect(events[1]).toMatchObject({ line: 2, lines: 7, level: 'error', errorType: 'java.lang.IllegalStateException', errorMessage: 'Payment gateway returned 500' })
    expect(events[1].stack).toContain('Caused by: java.net.SocketTimeoutException: Read timed out')
    expect(events[1].stack).toContain('... 12 more')
  })

  it('Spring Boot layout with an explicit offset', () => {
    expect(events[2]).toMatchObject({ time: Date.UTC(2024, 2, 1, 10, 0, 6), level: 'warn', logger: 'c.e.shop.Cleanup', message: 'Slow cleanup took 812 ms' })
  })

  it('Python logging with a chained traceback: one event, type from the final line', () => {
    expect(events[3]).toMatchObject({ line: 10, lines: 12, level: 'error', logger: 'payments.worker', errorType: 'payments.errors.PaymentError', errorMessage: 'gateway down' })
    expect(events[3].stack).toContain('During handling of the above exception')
    expect(events[4]).toMatchObject({ level: 'error', logger: 'root', message: 'bare python logging line', time: events[3].time })
  })

  it('folds an indented continuation into the message', () => {
    expect(events[5]).toMatchObject({ lines: 2, level: null, message: 'wrapped message starts here\n  and continues on an indented line', stack: null })
  })

  it('Rails: tagged request ids, Started/Completed lines, exception lines', () => {
    const rails = apps(foldFile(fixture('rails.log'), 'text-app'))
    expect(rails[0]).toMatchObject({ level: 'info', method: 'GET', path: '/api/reports/8812/export', requestId: '6f1c2b3a-1d2e-4f50-8a9b-0c1d2e3f4a5b' })
    expect(rails[3]).toMatchObject({ level: 'fatal', errorType: 'NoMethodError', errorMessage: "undefined method `rows' for nil" })
    expect(rails[4]).toMatchObject({ level: 'error', status: 500 })
    expect(rails[5]).toMatchObject({ method: 'GET', path: '/health', time: Date.UTC(2024, 2, 1, 12, 0, 1) })
    expect(rails[6]).toMatchObject({ status: 200, level: 'info', time: Date.UTC(2024, 2, 1, 12, 0, 1) })
  })

  it('Laravel: channel, level, exception class from the context, [stacktrace] folded', () => {
    const items = foldFile(fixture('laravel.log'), 'text-app')
    expect(items).toHaveLength(2)
    expect(items[0]).toMatchObject({ lines: 5, level: 'error', logger: 'production', message: 'SQLSTATE[HY000] [2002] Connection refused', errorType: 'PDOException' })
    expect(items[1]).toMatchObject({ level: 'info', message: 'Queue worker started' })
  })
})

describe('syslog', () => {
  it('reads RFC 3164 and 5424, PRI severities and leading level words', () => {
    const events = apps(foldFile(fixture('syslog.log'), 'syslog'))
    expect(events.map((e) => [e.level, e.logger])).toEqual([['error', 'app'], ['error', 'app'], ['info', 'app'], ['info', 'app'], [null, 'kernel']])
    expect(events[2]).toMatchObject({ time: Date.UTC(2024, 2, 1, 12, 0, 2, 3), message: 'worker restarted' })
    expect(events[3].time).toBe(Date.UTC(2024, 2, 1, 11, 0, 3))
  })

  it('assumes the current year, or the previous one when that would be in the future', () => {
    const now = Date.UTC(2026, 0, 10, 12, 0, 0)
    const parser = new SyslogParser(() => now)
    expect(parser.parse('Jan  9 08:00:00 host app: x', 1, 0)?.time).toBe(Date.UTC(2026, 0, 9, 8, 0, 0))
    expect(parser.parse('Dec 31 23:59:59 host app: x', 1, 0)?.time).toBe(Date.UTC(2025, 11, 31, 23, 59, 59))
  })
})

describe.skipIf(!hasSharedData)('real text logs', () => {
  it('lnav laravel.0: 82 entries with PHP traces, no line lost or unparsed', () => {
    const items = foldFile(sharedData('lnav', 'logfile_laravel.0'), 'text-app')
    expect(items).toHaveLength(82)
    expect(items.every((i) => i.kind === 'app')).toBe(true)
    expect(lineTotal(items)).toBe(1416)
    expect(items[0]).toMatchObject({ errorType: 'Illuminate\\Contracts\\Container\\BindingResolutionException', level: 'error' })
  })

  it('lnav zap_console: the Go stack folds into the error line', () => {
    const items = apps(foldFile(sharedData('lnav', 'logfile_zap_console.0'), 'text-app'))
    expect(items).toHaveLength(3)
    expect(items[1]).toMatchObject({ level: 'error', lines: 7, message: 'Exporting failed. Dropping data.' })
    expect(items[1].errorMessage).toContain('HTTP Status Code 500')
    expect(items[1].stack).toContain('queue_sender.go:128')
  })

  it('lnav java, crlf and invalid_utf8 samples', () => {
    expect(apps(foldFile(sharedData('lnav', 'logfile_java.0'), 'text-app'))).toHaveLength(20)
    expect(apps(foldFile(sharedData('lnav', 'logfile_crlf.0'), 'text-app')).map((e) => e.level)).toEqual(['debug', 'warn'])
    const utf8 = foldFile(sharedData('lnav', 'logfile_invalid_utf8.0'), 'text-app')
    expect(utf8).toHaveLength(1)
    expect(utf8[0]).toMatchObject({ lines: 6, level: 'info' })
  })

  it('lnav syslog samples: every line an event, continuation lines folded', () => {
    for (const name of ['logfile_syslog.0', 'logfile_syslog.1', 'logfile_syslog.2']) {
      expect(foldFile(sharedData('lnav', name), 'syslog').every((i) => i.kind === 'app')).toBe(true)
    }
    const folded = foldFile(sharedData('lnav', 'logfile_syslog.3'), 'syslog')
    expect(folded.every((i) => i.kind === 'app')).toBe(true)
    expect(folded[2].lines).toBe(3)
  })
})
