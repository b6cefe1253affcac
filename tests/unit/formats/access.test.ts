import { describe, expect, it } from 'vitest'
import type { RequestEvent } from '../../../shared/model/evidence'
import { createParser } from '../../../electron/collect/formats'
import { hasSharedData, sharedData } from '../../support/shared-data'
import { fixture, foldFile, lineTotal, readLines } from './fold-file'

const requests = (items: ReturnType<typeof foldFile>): RequestEvent[] => items.filter((i): i is RequestEvent => i.kind === 'request')

describe('combined / common access lines', () => {
  const items = foldFile(fixture('combined-extras.log'), 'nginx-combined')
  const [first, second, ipv6, forwarded, junk, common] = requests(items)

  it('reads every field of a combined line with nginx extras', () => {
    expect(first).toEqual({
      kind: 'request', line: 1, lines: 1, offset: 0,
      time: Date.UTC(2024, 2, 1, 11, 0, 0), method: 'GET', path: '/api/reports/8812/export?format=csv',
      route: '/api/reports/:id/export', status: 500, bytes: 512, durationMs: 532,
      requestId: 'f3b1c2d4e5f60718293a4b5c6d7e8f90', client: '203.0.113.9', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', upstreamStatus: null, instance: null
    })
    expect(second).toMatchObject({ method: 'POST', route: '/api/users/:id/avatar', status: 201, durationMs: 12, requestId: '7c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f' })
  })

  it('handles IPv6 clients, X-Forwarded-For prefixes, escaped quotes, junk requests and CLF lines', () => {
    expect(ipv6).toMatchObject({ client: '2001:db8::1', userAgent: null, status: 200 })
    expect(forwarded).toMatchObject({ client: '198.51.100.4', status: 404, userAgent: 'Agent \\"quoted\\" here' })
    expect(junk).toMatchObject({ method: '\\x16\\x03\\x01', path: '-', route: '-', status: 400 })
    expect(common).toMatchObject({ method: 'GET', path: '/old', status: 301, bytes: null, userAgent: null })
  })

  it('reports the non-access line as unparsed, with its offset', () => {
    expect(items[items.length - 1]).toEqual({ kind: 'unparsed', line: 7, lines: 1, offset: 747, text: 'not an access line' })
    expect(lineTotal(items)).toBe(7)
  })

  it('rejects a line with an impossible timestamp or status', () => {
    const parser = createParser('nginx-combined')
    expect(parser.parse('1.2.3.4 - - [32/Foo/2024:12:00:00 +0000] "GET / HTTP/1.1" 200 1', 1, 0)).toBeNull()
    expect(parser.parse('1.2.3.4 - - [01/Mar/2024:12:00:00 +0000] "GET / HTTP/1.1" 20x 1', 1, 0)).toBeNull()
  })
})

describe.skipIf(!hasSharedData)('real access logs', () => {
  it('reads Elastic\'s 10k Apache combined log: 10,000 requests, 0 unparsed, three 500s', () => {
    const items = foldFile(sharedData('nginx', 'elastic-examples_apache_access_combined_10k.log'), 'nginx-combined')
    expect(items.filter((i) => i.kind === 'unparsed')).toEqual([])
    const all = requests(items)
    expect(all).toHaveLength(10_000)
    expect(all.filter((r) => r.status === 500)).toHaveLength(3)
    expect(all.filter((r) => r.status === 200)).toHaveLength(9126)
    expect(all[0].time).toBe(Date.UTC(2015, 4, 17, 10, 5, 3))
  })

  it('reads ingress-nginx upstream-info lines, including retried 502s and bracketed IPv6 upstreams', () => {
    const items = foldFile(sharedData('nginx', 'elastic-beats_nginx_ingress_controller_test.log'), 'ingress-nginx')
    const all = requests(items)
    expect(all).toHaveLength(readLines(sharedData('nginx', 'elastic-beats_nginx_ingress_controller_test.log')).length)
    const bad = all.filter((r) => r.status === 502)
    expect(bad).toHaveLength(2)
    for (const r of bad) expect(r).toMatchObject({ upstreamStatus: 502, requestId: '3db73c6c673c4256ade033a6ce08c2ab', durationMs: 0 })
    expect(all[0]).toMatchObject({ method: 'POST', path: '/products', upstreamStatus: 200, durationMs: 1, requestId: '529a007902362a5f51385a5fa7049884' })
  })

  it('reads nginx edge cases: XFF chains, quoted XFF, IPv6, empty request', () => {
    const all = requests(foldFile(sharedData('nginx', 'elastic-beats_nginx_access_test.log'), 'nginx-combined'))
    expect(all.map((r) => r.client)).toEqual(['10.0.0.2', '172.17.0.1', '10.0.0.2', '85.181.35.98', '10.5.102.222', '2a03:0000:10ff:f00f:0000:0000:0:8000', '127.0.0.1'])
    expect(all[6]).toMatchObject({ method: '-', path: '-', status: 400 })
  })

  it.each(['logfile_access_log.0', 'logfile_access_log.1', 'logfile_shop_access_log.0'])('lnav %s parses without unparsed lines', (name) => {
    const items = foldFile(sharedData('lnav', name), 'nginx-combined')
    expect(items.filter((i) => i.kind === 'unparsed')).toEqual([])
  })
})
