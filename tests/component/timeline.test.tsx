import { beforeEach, describe, expect, it } from 'vitest'
import { act, fireEvent, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { drawTimeline, type DrawContext } from '../../renderer/src/components/timeline/draw'
import { rebucket } from '../../renderer/src/components/timeline/rebucket'
import { resetAppStore, useApp } from '../../renderer/src/store'
import type { TimelineBucket } from '../../shared/contract'
import { rollbackAnalysis } from './analysis-fixture'
import { renderScreen } from './screen-helpers'

beforeEach(() => {
  resetAppStore()
  // The timeline speaks the local zone; these tests pin it.
  useApp.setState({ timeZone: 'UTC' })
})

const summary = () => screen.getByTestId('timeline-summary').textContent ?? ''
const plot = () => screen.getByRole('group', { name: /^Timeline chart/ })

describe('Timeline', () => {
  it('renders the deploy marker of the visible window and a table a screen reader can read', async () => {
    await renderScreen()
    // v2.13.2 went out at 09:15, outside the evidence window; v2.14.0 is the suspect.
    expect(screen.getAllByTestId('deploy-marker').map((m) => m.getAttribute('aria-label'))).toEqual(['Deploy v2.14.0 at 14:02:00 UTC (suspect)'])
    expect(screen.getByTestId('deploy-marker').className).toContain('suspect')
    expect(summary()).toBe('42,300 requests, 4,227 5xx (10%) · Sat 14 Mar 13:40:00 – 14:20:00 UTC · 1 bar = 1 min')
    await userEvent.click(screen.getByText('Timeline as a table'))
    const table = screen.getByRole('table', { name: 'Requests and 5xx per 1 min' })
    const rows = within(table).getAllByRole('row')
    // One bucket size for the chart and its table: header + the 40 one-minute bars.
    expect(rows).toHaveLength(41)
    expect(within(rows[1]).getAllByRole('cell').map((c) => c.textContent)).toEqual(['13:40:00', '1,000', '4', '2', '1', '0', '1'])
    expect(within(table).getByRole('columnheader', { name: 'From (UTC)' })).toBeTruthy()
  })

  it('draws nothing without a 2D context but keeps the canvas and the text', async () => {
    await renderScreen()
    const canvas = screen.getByTestId('timeline-canvas') as HTMLCanvasElement
    expect(canvas.getContext('2d')).toBeNull()
    expect(canvas.dataset.drawMs).toBeUndefined()
  })

  it('zooms and pans with the buttons and the keyboard, and re-buckets', async () => {
    await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: 'Zoom in' }))
    expect(summary()).toContain('13:50:00 – 14:10:00 UTC')
    await userEvent.click(screen.getByRole('button', { name: 'Pan later' }))
    expect(summary()).toContain('13:55:00 – 14:15:00 UTC')
    await userEvent.click(screen.getByText('Timeline as a table'))
    expect(within(screen.getByRole('table', { name: /^Requests and 5xx per/ })).getAllByRole('row')).toHaveLength(21)
    plot().focus()
    await userEvent.keyboard('+')
    expect(summary()).toContain('14:00:00 – 14:10:00 UTC')
    await userEvent.keyboard('{ArrowLeft}')
    expect(summary()).toContain('13:57:30 – 14:07:30 UTC')
    await userEvent.keyboard('-')
    expect(summary()).toContain('13:52:30 – 14:12:30 UTC')
    await userEvent.keyboard('0')
    expect(summary()).toContain('13:40:00 – 14:20:00 UTC')
    expect(screen.getByRole('button', { name: 'Zoom out' })).toHaveProperty('disabled', true)
  }, 20_000)

  it('zooms with the wheel and pans by dragging with Shift', async () => {
    await renderScreen()
    fireEvent.wheel(plot(), { deltaY: -100 })
    expect(summary()).toContain('13:44:00 – 14:16:00 UTC')
    fireEvent.pointerDown(plot(), { button: 0, clientX: 400, pointerId: 1, shiftKey: true })
    // jsdom lays nothing out: the plot counts as 800 px wide, so 200 px is a quarter of the 32 minutes.
    fireEvent.pointerMove(plot(), { clientX: 600, pointerId: 1 })
    fireEvent.pointerUp(plot(), { pointerId: 1 })
    expect(summary()).toContain('13:40:00 – 14:12:00 UTC')
    expect(useApp.getState().exploreRange).toBeNull()
  })

  it('hides markers outside a zoomed window', async () => {
    await renderScreen()
    act(() => useApp.getState().setZoom({ from: Date.parse('2026-03-14T13:40:00Z'), to: Date.parse('2026-03-14T13:50:00Z') }))
    expect(screen.queryAllByTestId('deploy-marker')).toHaveLength(0)
  })

  it('says when there is nothing timed yet', async () => {
    await renderScreen(null)
    expect(within(screen.getByRole('region', { name: 'Timeline' })).getByText('No timed requests yet.')).toBeTruthy()
  })
})

describe('Timeline cost for 1M requests', () => {
  const MINUTE = 60_000
  const buckets: TimelineBucket[] = Array.from({ length: 2000 }, (_, i) => ({ t: i * MINUTE, total: 500, s5xx: 25, s4xx: 5, s500: 10, s502: 5, s503: 5, s504: 5, appErrors: 3 }))
  const colors = { requests: '#555', s500: '#f00', s502: '#f80', s503: '#ff0', s504: '#f0f', other5xx: '#80f', grid: '#333' }
  const calls = { fillRect: 0 }
  const ctx: DrawContext = {
    fillStyle: '',
    setTransform: () => undefined,
    clearRect: () => undefined,
    fillRect: () => void calls.fillRect++
  }

  it('re-buckets 2,000 buckets and draws them within a frame budget', () => {
    expect(buckets.reduce((s, b) => s + b.total, 0)).toBe(1_000_000)
    const runs = 50
    const started = performance.now()
    let bins = 0
    for (let i = 0; i < runs; i++) {
      // Zoom steps as the wheel produces them: full view down to a tenth of it.
      const span = 2000 * MINUTE * (1 - i / (runs * 1.1))
      const { bins: b } = rebucket(buckets, MINUTE, 0, span, Math.floor(1100 / 3))
      drawTimeline(ctx, b, 1100, 150, colors, 2)
      bins = Math.max(bins, b.length)
    }
    const perFrame = (performance.now() - started) / runs
    console.info(`timeline: 2,000 buckets / 1,000,000 requests → ${bins} bars, rebucket+draw ${perFrame.toFixed(3)} ms per frame (${calls.fillRect} fillRect calls over ${runs} frames)`)
    expect(bins).toBeLessThanOrEqual(366)
    expect(perFrame).toBeLessThan(16)
  })

  it('re-renders the whole timeline on a zoom step quickly (React + DOM, jsdom)', async () => {
    const a = rollbackAnalysis()
    a.timeline = { bucketMs: MINUTE, buckets }
    a.deploys = Array.from({ length: 20 }, (_, i) => ({ version: `v1.${i}`, at: i * 100 * MINUTE, commit: null, previousVersion: null }))
    a.v1.suspectDeploy = null
    a.baseline.onset = null
    await renderScreen(a)
    const started = performance.now()
    const steps = 20
    for (let i = 1; i <= steps; i++) act(() => useApp.getState().setZoom({ from: i * 40 * MINUTE, to: 2000 * MINUTE - i * 40 * MINUTE }))
    const perStep = (performance.now() - started) / steps
    console.info(`timeline: zoom re-render with 2,000 buckets (jsdom, no canvas) ${perStep.toFixed(2)} ms per step`)
    expect(summary()).toContain('1 bar =')
    expect(perStep).toBeLessThan(100)
  })
})
