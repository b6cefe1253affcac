import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { LogFormatId } from '../../../shared/model/evidence'
import { detectFormat } from '../../../electron/collect/formats'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { fixture, readLines } from './fold-file'

const detect = (file: string): LogFormatId => detectFormat(readLines(file).slice(0, 200)).format

describe('detectFormat on our fixtures', () => {
  it.each([
    ['combined-extras.log', 'nginx-combined'],
    ['nginx-upstream-error.log', 'nginx-error'],
    ['apache-proxy-error.log', 'apache-error'],
    ['logback.log', 'text-app'],
    ['rails.log', 'text-app'],
    ['laravel.log', 'laravel'],
    ['app.jsonl', 'json-app'],
    ['app.logfmt', 'logfmt'],
    ['syslog.log', 'syslog']
  ] as const)('%s → %s', (name, format) => {
    expect(detect(fixture(name))).toBe(format)
  })

  it('names unknown when nothing fits, and for an empty sample', () => {
    expect(detectFormat(['hello there', 'general kenobi'])).toEqual({ format: 'unknown', confidence: 1 })
    expect(detectFormat([])).toEqual({ format: 'unknown', confidence: 0 })
  })

  it('tells common from combined, and a confidence in 0..1', () => {
    const result = detectFormat(['1.2.3.4 - - [01/Mar/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 1'])
    expect(result).toEqual({ format: 'common', confidence: 1 })
  })
})

describe.skipIf(!hasSharedData)('detectFormat on real samples', () => {
  it.each([
    ['lnav', 'logfile_access_log.0', 'nginx-combined'],
    ['lnav', 'logfile_access_log.1', 'nginx-combined'],
    ['lnav', 'logfile_shop_access_log.0', 'nginx-combined'],
    ['lnav', 'logfile_pino.0', 'json-app'],
    ['lnav', 'logfile_bunyan.0', 'json-app'],
    ['lnav', 'logfile_ecs_log.json', 'json-app'],
    ['lnav', 'logfile_caddy_log.1', 'json-access'],
    ['lnav', 'logfile_cloudflare.1', 'json-access'],
    ['lnav', 'logfile_zap_console.0', 'text-app'],
    ['lnav', 'logfile_logfmt.0', 'logfmt'],
    ['lnav', 'logfile_laravel.0', 'laravel'],
    ['lnav', 'logfile_laravel.1', 'laravel'],
    ['lnav', 'logfile_java.0', 'text-app'],
    ['lnav', 'logfile_java.1', 'text-app'],
    ['lnav', 'logfile_crlf.0', 'text-app'],
    ['lnav', 'logfile_invalid_utf8.0', 'text-app'],
    ['lnav', 'logfile_syslog.0', 'syslog'],
    ['lnav', 'logfile_syslog.1', 'syslog'],
    ['lnav', 'logfile_syslog.2', 'syslog'],
    ['lnav', 'logfile_syslog.3', 'syslog'],
    ['nginx', 'elastic-examples_apache_access_combined_10k.log', 'nginx-combined'],
    ['nginx', 'elastic-beats_nginx_access_test.log', 'nginx-combined'],
    ['nginx', 'elastic-beats_nginx_ingress_controller_test.log', 'ingress-nginx'],
    ['nginx', 'elastic-beats_nginx_error_test.log', 'nginx-error'],
    ['nginx', 'elastic-beats_apache_error_test.log', 'apache-error'],
    ['loghub', 'Apache/Apache_2k.log', 'apache-error']
  ] as const)('%s/%s → %s', (folder, name, format) => {
    expect(detect(sharedData(folder, ...name.split('/')))).toBe(format)
  })

  it('does not throw on any lnav or loghub file and always names a known format id', () => {
    const files = [
      ...readdirSync(sharedData('lnav')).filter((f) => f.startsWith('logfile_')).map((f) => sharedData('lnav', f)),
      ...readdirSync(sharedData('loghub')).filter((d) => !d.includes('.') && d !== 'LICENSE' && d !== 'CITATION').map((d) => sharedData('loghub', d, `${d}_2k.log`))
    ]
    expect(files.length).toBeGreaterThan(100)
    for (const file of files) {
      const result = detectFormat(readLines(file).slice(0, 200))
      expect(result.confidence).toBeGreaterThanOrEqual(0)
      expect(result.confidence).toBeLessThanOrEqual(1)
    }
  })
})

describe('detection of a log made only of errors with traces', () => {
  it('names the Spring Boot layout for its ERROR lines with Java traces, not a format whose parser read none of them', () => {
    const sample: string[] = []
    for (let i = 0; i < 5; i++) {
      sample.push(`2026-10-10 13:55:0${i}.123 ERROR 4242 --- [nio-8080-exec-${i}] c.s.orders.OrderController : Request processing failed`)
      sample.push('java.lang.NullPointerException: Cannot invoke "com.shop.Cart.total()" because "cart" is null')
      sample.push('\tat com.shop.orders.OrderController.checkout(OrderController.java:88)')
      sample.push('\tat java.base/java.lang.Thread.run(Thread.java:833)')
    }
    expect(detectFormat(sample).format).toBe('spring-boot')
  })
})
