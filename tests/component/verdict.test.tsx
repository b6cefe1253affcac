import { beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { renderScreen } from './screen-helpers'
import { rollbackAnalysis } from './analysis-fixture'

beforeEach(() => {
  resetAppStore()
  // The timeline speaks the local zone; these tests pin it.
  useApp.setState({ timeZone: 'UTC' })
})

describe('Verdict banner', () => {
  it('names the playbook for a human, with the confidence and the reasons', async () => {
    await renderScreen()
    const banner = screen.getByTestId('verdict')
    expect(within(banner).getByRole('heading', { name: 'Roll back the deploy' })).toBeTruthy()
    expect(within(banner).getByTestId('confidence').textContent).toBe('confidence 92%')
    const why = within(banner).getByRole('list', { name: 'Why' })
    expect(within(why).getAllByRole('listitem').map((li) => li.firstChild?.textContent)).toEqual([
      '5xx rose from 0.4% to 23% within 2 min after v2.14.0 went live',
      'TypeError in computeTotal first seen after the deploy'
    ])
  })

  it('says there is no verdict yet before any analysis', async () => {
    await renderScreen(null)
    expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'No verdict yet' })).toBeTruthy()
  })

  it('a deploy reason highlights the marker on the timeline', async () => {
    await renderScreen()
    const marker = screen.getByRole('button', { name: 'Deploy v2.14.0 at 14:02:00 UTC (suspect)' })
    expect(marker.className).not.toContain('focused')
    await userEvent.click(screen.getByRole('button', { name: 'Highlight deploy v2.14.0 on the timeline' }))
    expect(marker.className).toContain('focused')
  })

  it('a window reason zooms the timeline to it', async () => {
    await renderScreen()
    expect(screen.getByTestId('timeline-summary').textContent).toContain('13:40:00 – 14:20:00 UTC')
    await userEvent.click(screen.getByRole('button', { name: 'Zoom the timeline to 13:58:00 UTC – 14:08:00 UTC' }))
    expect(screen.getByTestId('timeline-summary').textContent).toContain('13:57:00 – 14:09:00 UTC')
    expect(useApp.getState().zoom).toEqual({ from: Date.parse('2026-03-14T13:57:00Z'), to: Date.parse('2026-03-14T14:09:00Z') })
  })

  it('a group reason opens that error group with its stack trace', async () => {
    await renderScreen()
    expect(screen.queryByLabelText(/^Sample of TypeError/)).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Open error group G-typeerror' }))
    const row = screen.getByRole('button', { name: /^TypeError: Cannot read properties/ })
    expect(row.getAttribute('aria-expanded')).toBe('true')
    expect(screen.getByLabelText(/^Sample of TypeError/).textContent).toContain('at computeTotal')
  })

  it('a route reason filters the error groups; a health reason highlights the band', async () => {
    await renderScreen()
    expect(screen.getAllByTestId('group-row')).toHaveLength(3)
    await userEvent.click(screen.getByRole('button', { name: 'Filter error groups to POST /api/checkout' }))
    expect(screen.getAllByTestId('group-row')).toHaveLength(2)
    expect(within(screen.getByRole('region', { name: 'Error groups' })).getByRole('status').textContent).toBe('Only groups on POST /api/checkout Show all groups')
    await userEvent.click(screen.getByRole('button', { name: 'Show all groups' }))
    expect(screen.getAllByTestId('group-row')).toHaveLength(3)

    const band = screen.getByRole('img', { name: /^payments: failing 13:50:00 UTC–13:52:00 UTC$/ })
    expect(band.className).not.toContain('focused')
    await userEvent.click(screen.getByRole('button', { name: 'Highlight the payments health band' }))
    expect(band.className).toContain('focused')
  })

  it('a health reason naming the component that was down still highlights the target’s band', async () => {
    const a = rollbackAnalysis()
    for (const r of a.findings[2].reasons) r.evidence = r.evidence.map((e) => (e.kind === 'health' ? { ...e, component: 'db' } : e))
    await renderScreen(a)
    const band = screen.getByRole('img', { name: /^payments: failing 13:50:00 UTC–13:52:00 UTC$/ })
    const link = screen.getByRole('button', { name: 'Highlight the payments health band' })
    expect(link.textContent).toBe('payments/db health')
    await userEvent.click(link)
    expect(band.className).toContain('focused')
  })

  it('a line reason shows the raw lines around it, read from the source by page', async () => {
    const platform = await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: 'Show the lines around /var/log/shop/app.log line 4711' }))
    const raw = await screen.findByTestId('raw-lines')
    await waitFor(() => expect(within(raw).getAllByRole('listitem')).toHaveLength(25))
    expect(platform.callsTo('readLines')).toEqual([{ sourceId: '1', fromLine: 4701, count: 25 }])
    const target = raw.querySelector('li.target')
    expect(target?.textContent).toContain('line 4711 of app.log')
  })
})
