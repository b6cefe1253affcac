import { describe, expect, it } from 'vitest'
import type { ProxyErrorEvent } from '../../../shared/model/evidence'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { fixture, foldFile, lineTotal } from './fold-file'

const errors = (items: ReturnType<typeof foldFile>): ProxyErrorEvent[] => items.filter((i): i is ProxyErrorEvent => i.kind === 'proxy-error')

describe('nginx error log', () => {
  const all = errors(foldFile(fixture('nginx-upstream-error.log'), 'nginx-error'))

  it('names why the upstream failed', () => {
    expect(all.map((e) => e.reason)).toEqual(['refused', 'timeout', 'prematurely-closed', 'no-live-upstreams', 'reset', 'dns', null])
  })

  it('takes method, path, upstream and client from the context', () => {
    expect(all[0]).toMatchObject({
      time: Date.UTC(2024, 2, 1, 12, 0, 1), level: 'error', method: 'GET', path: '/api/reports/8812/export',
      upstream: 'http://127.0.0.1:8080/api/reports/8812/export', client: '10.0.0.7',
      message: 'connect() failed (111: Connection refused) while connecting to upstream'
    })
    expect(all[6].level).toBe('warn')
  })
})

describe('apache error log', () => {
  const all = errors(foldFile(fixture('apache-proxy-error.log'), 'apache-error'))

  it('reads 2.2 and 2.4 layouts and mod_proxy reasons', () => {
    expect(all.map((e) => e.reason)).toEqual(['refused', 'refused', 'timeout', null])
    expect(all[0]).toMatchObject({ time: Date.UTC(2024, 2, 1, 12, 0, 1, 123), upstream: '127.0.0.1:8080', level: 'error' })
    expect(all[1].client).toBe('10.0.0.7')
    expect(all[2]).toMatchObject({ client: '10.0.0.8', upstream: '127.0.0.1:8080' })
    expect(all[3]).toMatchObject({ time: Date.UTC(2005, 11, 4, 4, 47, 44), message: 'mod_jk child workerEnv in error state 6' })
  })
})

describe.skipIf(!hasSharedData)('real proxy error logs', () => {
  it('folds the multi-line FastCGI stderr entry of the beats nginx sample', () => {
    const items = foldFile(sharedData('nginx', 'elastic-beats_nginx_error_test.log'), 'nginx-error')
    // Line 3 is PHP's warnings relayed from FastCGI stderr: an app event of the upstream, at PHP's level.
    expect(items.map((i) => [i.kind, i.line, i.lines])).toEqual([['proxy-error', 1, 1], ['proxy-error', 2, 1], ['app', 3, 3], ['proxy-error', 6, 1]])
    expect(items[2]).toMatchObject({ level: 'warn', errorType: null })
    expect(errors(items)[0]).toMatchObject({ method: 'GET', path: '/favicon.ico', client: '127.0.0.1' })
  })

  it('reads the beats Apache error variants and loghub\'s Apache log', () => {
    const beats = errors(foldFile(sharedData('nginx', 'elastic-beats_apache_error_test.log'), 'apache-error'))
    expect(beats.map((e) => [e.level, e.client])).toEqual([['error', '192.168.33.1'], ['info', null], ['error', '72.15.99.187']])
    const loghub = foldFile(sharedData('loghub', 'Apache', 'Apache_2k.log'), 'apache-error')
    expect(errors(loghub)).toHaveLength(2000)
    expect(lineTotal(loghub)).toBe(2000)
  })
})
