import { beforeEach, describe, expect, it, vi } from 'vitest'
import { act, fireEvent, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { ROW_HEIGHT } from '../../renderer/src/components/explore/EventList'
import type { EventRow, TimelineBucket } from '../../shared/contract'
import { renderScreen } from './screen-helpers'

// Many screen renders per test on a shared 2-core machine: the default 5 s is too tight (no timing is asserted).
vi.setConfig({ testTimeout: 40_000 })

beforeEach(() => {
  resetAppStore()
  useApp.setState({ timeZone: 'UTC' })
})

const T = (hhmm: string) => Date.parse(`2026-03-14T${hhmm}:00Z`)
const plot = () => screen.getByRole('group', { name: /^Timeline chart/ })
const summary = () => screen.getByTestId('timeline-summary').textContent ?? ''

function row(i: number, over: Partial<EventRow> = {}): EventRow {
  return {
    time: T('14:00') + i * 10,
    kind: 'request',
    status: 500,
    method: 'GET',
    path: `/api/orders/${8800 + (i % 50)}/receipt`,
    instance: '10.0.3.14:8080',
    level: null,
    message: '203.0.113.9 · Mozilla/5.0',
    sourceId: '1',
    file: '/var/log/shop/app.log',
    line: i + 1,
    lines: 1,
    ...over
  }
}

describe('Drill-down from the timeline', () => {
  it('a click selects one bar, a drag a range snapped to bars; the list shows what the session found there', async () => {
    const platform = await renderScreen()
    platform.explore = () => ({ rows: [row(0), row(1)], total: 2, untimed: 0, buckets: [], groups: [], skipped: [] })
    // jsdom lays nothing out: the plot counts as 800 px wide over 13:40–14:20, so x = 400 is 14:00.
    await act(async () => {
      fireEvent.pointerDown(plot(), { button: 0, clientX: 400, pointerId: 1 })
      fireEvent.pointerUp(plot(), { button: 0, clientX: 401, pointerId: 1 })
    })
    expect(useApp.getState().exploreRange).toEqual({ from: T('14:00'), to: T('14:01') })
    await screen.findByText(/2 matching requests and events in Sat 14 Mar 14:00:00 – 14:01:00 UTC/)
    expect(platform.callsTo('queryEvents').at(-1)).toMatchObject({ query: '', from: T('14:00'), to: T('14:01'), cursor: 0 })
    expect(screen.getAllByTestId('event-row')).toHaveLength(2)
    expect(screen.getByTestId('timeline-selection')).toBeTruthy()

    await act(async () => {
      fireEvent.pointerDown(plot(), { button: 0, clientX: 100, pointerId: 1 })
      fireEvent.pointerMove(plot(), { clientX: 250, pointerId: 1 })
      fireEvent.pointerUp(plot(), { button: 0, clientX: 250, pointerId: 1 })
    })
    // 100 px → 13:45, 250 px → 13:52:30, widened to whole one-minute bars.
    expect(useApp.getState().exploreRange).toEqual({ from: T('13:45'), to: T('13:53') })
    expect(screen.getByTestId('timeline-selected').textContent).toContain('13:45:00 – 13:53:00 UTC')

    await userEvent.click(screen.getByRole('button', { name: 'Clear selection' }))
    expect(useApp.getState().exploreRange).toBeNull()
    expect(screen.getByText(/Select a range on the timeline/)).toBeTruthy()
  })

  it('hovering a bar tells its counts, UTC on the tooltip', async () => {
    await renderScreen()
    fireEvent.pointerMove(plot(), { clientX: 400, pointerId: 1 })
    const tip = screen.getByRole('tooltip')
    expect(tip.textContent).toMatch(/^Sat 14 Mar 14:00:00 – 14:01:00 UTC: [\d,]+ requests, [\d,]+ 5xx/)
    expect(tip.getAttribute('title')).toBe('UTC 2026-03-14 14:00:00 UTC – 2026-03-14 14:01:00 UTC')
    fireEvent.pointerLeave(plot())
    expect(screen.queryByRole('tooltip')).toBeNull()
  })

  it('labels both lanes with their scale; a few 5xx among many requests do not fill the 5xx lane', async () => {
    await renderScreen()
    expect(screen.getByTestId('scale-requests').textContent).toMatch(/^requests · [\d,]+ per bar at the top$/)
    expect(screen.getByTestId('scale-5xx').textContent).toMatch(/^5xx · [\d,]+ per bar at the top$/)
  })
})

describe('The filter bar', () => {
  it('refuses a bad term in one line and asks nothing of the session', async () => {
    const platform = await renderScreen()
    await userEvent.type(screen.getByLabelText('Filter requests and events'), 'status>=abc{Enter}')
    expect(screen.getByRole('alert').textContent).toBe('filter: status>=abc: status takes a number from 100 to 599 (status>=500) or a class (status:5xx)')
    expect(platform.callsTo('queryEvents')).toHaveLength(0)
  })

  it('a filter redraws the timeline with its counts and narrows the error groups to its own', async () => {
    const platform = await renderScreen()
    const buckets: TimelineBucket[] = [{ t: T('14:03'), total: 7, s5xx: 7, s4xx: 0, s500: 7, s502: 0, s503: 0, s504: 0, appErrors: 0 }]
    const groups = [{ id: 'Gnpe', type: 'java.lang.NullPointerException', message: 'Cannot invoke "Receipt.render()"', count: 7, firstSeen: '2026-03-14T14:03:00.000Z', lastSeen: '2026-03-14T14:03:40.000Z', endpoints: ['GET /api/orders/:id/receipt'], sample: 'java.lang.NullPointerException', newSinceDeploy: true }]
    platform.explore = () => ({ rows: [row(0)], total: 7, untimed: 0, buckets, groups, skipped: [] })
    const groupsBefore = screen.getAllByTestId('group-row').length
    expect(groupsBefore).toBeGreaterThan(1)
    await userEvent.type(screen.getByLabelText('Filter requests and events'), 'status>=500 route:/api/orders/:id/receipt{Enter}')
    await screen.findByText(/7 matching requests and events for status>=500/)
    expect(platform.callsTo('queryEvents').at(-1)).toMatchObject({ query: 'status>=500 route:/api/orders/:id/receipt', from: null, to: null, buckets: { start: T('13:40'), bucketMs: 60_000 } })
    expect(summary()).toMatch(/^Filter status>=500 route:\/api\/orders\/:id\/receipt: 7 requests, 7 5xx \(100%\)/)
    expect(screen.getAllByTestId('group-row')).toHaveLength(1)
    expect(screen.getByTestId('groups-filtered').textContent).toContain(`1 of ${groupsBefore}`)
    await userEvent.click(screen.getByRole('button', { name: 'Clear filter' }))
    expect(screen.getAllByTestId('group-row')).toHaveLength(groupsBefore)
    expect(summary()).toMatch(/^42,300 requests/)
  })
})

describe('The list of matching requests and events', () => {
  it('renders a bounded number of rows for 100,000 matches, pages as it scrolls, and opens a row in its raw lines', async () => {
    const platform = await renderScreen()
    const all = Array.from({ length: 100_000 }, (_, i) => row(i))
    platform.explore = () => ({ rows: all, total: all.length, untimed: 0, buckets: [], groups: [], skipped: [] })
    platform.files['1'] = Array.from({ length: 100_000 }, (_, i) =>
      i === 49_999 ? `{"ts":1773496800123,"level":"error","msg":"receipt failed","order":{"id":8849,"total":null}}` : `line ${i + 1} of app.log`
    )
    await userEvent.type(screen.getByLabelText('Filter requests and events'), 'status:5xx{Enter}')
    await screen.findByText(/100,000 matching requests and events/)
    const list = screen.getByTestId('event-list')
    const body = list.firstElementChild as HTMLElement
    expect(body.style.height).toBe(`${100_000 * ROW_HEIGHT}px`)
    const first = within(list).getAllByTestId('event-row')
    expect(first.length).toBeGreaterThan(5)
    expect(first.length).toBeLessThan(40)
    expect(platform.callsTo('queryEvents')).toHaveLength(1)

    // Scroll to the middle: only the rows there are drawn, fetched a page at a time.
    list.scrollTop = 49_990 * ROW_HEIGHT
    await act(async () => {
      fireEvent.scroll(list)
    })
    await within(list).findByTitle('/var/log/shop/app.log:50000')
    const rows = within(list).getAllByTestId('event-row')
    expect(rows.length).toBeLessThan(40)
    expect(platform.callsTo('queryEvents').slice(1).map((r) => r.cursor)).toEqual([49_800, 50_000])

    await userEvent.click(within(list).getByTitle('/var/log/shop/app.log:50000'))
    const raw = await screen.findByTestId('raw-lines')
    const target = await within(raw).findByText(/receipt failed/)
    const li = target.closest('li') as HTMLElement
    expect(li.className).toContain('target')
    expect(li.getAttribute('data-line')).toBe('50000')
    // Pretty-printed, and the epoch time shown as a date.
    expect(target.textContent).toContain('\n  "level": "error",')
    expect(target.textContent).toContain('"ts": "1773496800123 = 2026-03-14 14:00:00 UTC +123 ms"')
  })
})
