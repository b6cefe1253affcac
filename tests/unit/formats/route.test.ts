import { describe, expect, it } from 'vitest'
import { isIdSegment, normalizeRoute } from '../../../shared/analysis/route'

describe('normalizeRoute', () => {
  it('drops query and fragment and replaces numeric ids', () => {
    expect(normalizeRoute('/api/reports/8812/export?x=1')).toBe('/api/reports/:id/export')
    expect(normalizeRoute('/api/reports/8812/export#top')).toBe('/api/reports/:id/export')
    expect(normalizeRoute('/search?q=a/b')).toBe('/search')
  })

  it('replaces uuids, hex hashes, ULIDs, base64url tokens and emails', () => {
    expect(normalizeRoute('/users/0b9c2f1e-8a7d-4c3b-9e2f-1a2b3c4d5e6f/avatar')).toBe('/users/:id/avatar')
    expect(normalizeRoute('/commits/9fceb02d0ae598e95dc970b74767f19372d61af8')).toBe('/commits/:id')
    expect(normalizeRoute('/blobs/a1b2c3d4')).toBe('/blobs/:id')
    expect(normalizeRoute('/orders/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('/orders/:id')
    expect(normalizeRoute('/share/dGhpc2lzYXRva2VuMTIz')).toBe('/share/:id')
    expect(normalizeRoute('/users/jane.doe@example.com/prefs')).toBe('/users/:id/prefs')
    expect(normalizeRoute('/users/jane.doe%40example.com')).toBe('/users/:id')
  })

  it('keeps words, slugs, versions and file names', () => {
    expect(normalizeRoute('/presentations/logstash-monitorama-2013/images/kibana-search.png'))
      .toBe('/presentations/logstash-monitorama-2013/images/kibana-search.png')
    expect(normalizeRoute('/api/v2/deadbeef/facade')).toBe('/api/v2/deadbeef/facade')
    expect(normalizeRoute('/')).toBe('/')
    expect(normalizeRoute('')).toBe('/')
    expect(normalizeRoute('/a/')).toBe('/a/')
  })

  it('gives the same answer from the memo as from the first computation', () => {
    const first = normalizeRoute('/api/items/77/x')
    expect(normalizeRoute('/api/items/77/x')).toBe(first)
    expect(first).toBe('/api/items/:id/x')
  })

  it('classifies single segments', () => {
    expect(isIdSegment('12345')).toBe(true)
    expect(isIdSegment('export')).toBe(false)
    expect(isIdSegment('v1')).toBe(false)
  })
})
