import { beforeEach, describe, expect, it } from 'vitest'
import { act, render, screen } from '@testing-library/react'
import type { SourceInfo } from '../../shared/contract'
import { SourceList } from '../../renderer/src/components/SourceList'
import { resetAppStore, useApp } from '../../renderer/src/store'

beforeEach(() => resetAppStore())

const source = (over: Partial<SourceInfo>): SourceInfo => ({
  id: '1',
  path: '/var/log/mixed.log',
  name: 'mixed.log',
  sizeBytes: 40_000,
  lines: 300,
  events: 50,
  eventLines: 248,
  directiveLines: 0,
  unparsed: 52,
  longLines: 0,
  format: 'text-app',
  formatForced: false,
  fieldMap: null,
  fieldMapForced: null,
  unread: null,
  state: 'ready',
  bytesDone: 40_000,
  error: null,
  addedAt: '2026-01-01T00:00:00Z',
  linesPerSec: 0,
  behindBytes: 0,
  lastEventAt: null,
  note: null,
  ...over
})

describe('the source card', () => {
  it('shows events over the lines they span beside the unparsed lines, so every line is on the card', () => {
    useApp.setState({ sources: [source({})] })
    render(<SourceList />)
    expect(screen.getByTestId('source-lines').textContent).toBe('300 lines')
    expect(screen.getByTestId('source-events').textContent).toBe(' · 50 events over 248 lines')
    expect(screen.getByTestId('source-unparsed').textContent).toBe(' · 52 unparsed')
    expect(screen.queryByTestId('source-behind')).toBeNull()
  })

  it('says how far behind the writer a followed file is', () => {
    useApp.setState({ sources: [source({ state: 'tailing', behindBytes: 120 * 1024 * 1024, directiveLines: 4 })] })
    render(<SourceList />)
    expect(screen.getByTestId('source-behind').textContent).toBe(' · behind by 120 MB')
    expect(screen.getByTestId('source-directives').textContent).toBe(' · 4 header lines')
  })

  it('does not call a follower a batch behind the writer behind', () => {
    useApp.setState({ sources: [source({ state: 'tailing', behindBytes: 64 * 1024 })] })
    render(<SourceList />)
    expect(screen.queryByTestId('source-behind')).toBeNull()
  })

  it('names the lines cut at the line cap, with the cap', () => {
    useApp.setState({ sources: [source({ longLines: 1 })] })
    const { unmount } = render(<SourceList />)
    expect(screen.getByTestId('source-long-lines').textContent).toBe(' · 1 line over 64 KB, cut')
    unmount()
    useApp.setState({ sources: [source({ longLines: 1204 })] })
    render(<SourceList />)
    expect(screen.getByTestId('source-long-lines').textContent).toBe(' · 1,204 lines over 64 KB, cut')
  })

  it('says nothing of cut lines when there are none', () => {
    useApp.setState({ sources: [source({})] })
    render(<SourceList />)
    expect(screen.queryByTestId('source-long-lines')).toBeNull()
  })

  it('moves its size and line count as a followed file grows, without a remount', () => {
    useApp.setState({ sources: [source({ state: 'tailing', sizeBytes: 40_000, lines: 300, linesPerSec: 0 })] })
    render(<SourceList />)
    expect(screen.getByTestId('source-size').textContent).toBe('39 KB')
    expect(screen.getByTestId('source-lines').textContent).toBe('300 lines')
    act(() => useApp.setState({ sources: [source({ state: 'tailing', sizeBytes: 3 * 1024 * 1024, lines: 24_180, linesPerSec: 200 })] }))
    expect(screen.getByTestId('source-size').textContent).toBe('3 MB')
    expect(screen.getByTestId('source-lines').textContent).toBe('24,180 lines')
  })

  it('a store source shows its health and the bytes moved beside what the engine scanned', () => {
    const store = { kind: 'clickhouse' as const, url: 'http://127.0.0.1:8123', query: 'shop.access', from: '2026-01-01T00:00:00Z', to: null, credential: 'none', bytesMoved: 2_500_000, scannedBytes: 800_000_000, lastReadAt: null, nextReadAt: null }
    useApp.setState({ sources: [source({ state: 'tailing', store: { ...store, health: 'slow', warnings: ['shop.access: 5000 of 9000 failing requests sampled'] } })] })
    const { unmount } = render(<SourceList />)
    expect(screen.getByTestId('source-store-health').textContent).toBe('store slow (backing off)')
    expect(screen.getByTestId('source-store-bytes').textContent).toMatch(/^2\.\d+ MB moved of \d+ MB scanned by the engine \(0\.\d+%\)$/)
    expect(screen.getByTestId('source-store-warning').textContent).toBe('shop.access: 5000 of 9000 failing requests sampled')
    unmount()
    useApp.setState({ sources: [source({ store: { ...store, health: 'unreachable', scannedBytes: null, warnings: [] } })] })
    render(<SourceList />)
    expect(screen.getByTestId('source-store-health').textContent).toBe('store unreachable')
    expect(screen.getByTestId('source-store-bytes').textContent).toMatch(/ moved; the engine did not say what it scanned$/)
  })
})
