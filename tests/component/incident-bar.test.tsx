import { beforeEach, describe, expect, it } from 'vitest'
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { newIncident, rollbackAnalysis } from './analysis-fixture'
import type { FakePlatform } from './fake-platform'
import { renderApp } from './incident-helpers'

beforeEach(() => resetAppStore())

const title = () => screen.getByRole('heading', { level: 1 })

/** A second incident on "disk": an older outage with a note, whose log moved since. */
function storeOldOutage(platform: FakePlatform): void {
  platform.stored.set('inc-old', {
    state: newIncident({ id: 'inc-old', title: 'Old outage', createdAt: '2026-02-01T09:30:00Z', closedAt: '2026-02-01T11:00:00Z', notes: [{ at: '2026-02-01T09:40:00Z', text: 'payments were slow' }] }),
    journal: [],
    problems: ['/var/log/old/app.log: the file is gone (moved or deleted)']
  })
}

async function openIncidentsDialog() {
  await userEvent.click(screen.getByRole('button', { name: 'Incidents…' }))
  const dialog = await screen.findByRole('dialog', { name: 'Incidents' })
  await within(dialog).findByRole('list', { name: 'Stored incidents' })
  return dialog
}

describe('Incident bar: the title', () => {
  it('renames in place: click, edit, Enter saves through renameIncident', async () => {
    const platform = await renderApp()
    expect(title().textContent).toContain('Checkout 500s')
    await userEvent.click(within(title()).getByRole('button'))
    const input = screen.getByRole('textbox', { name: 'Incident title' }) as HTMLInputElement
    expect(input.value).toBe('Checkout 500s')
    expect(document.activeElement).toBe(input)
    await userEvent.clear(input)
    await userEvent.type(input, 'Receipts answer 500{Enter}')
    await waitFor(() => expect(title().textContent).toContain('Receipts answer 500'))
    expect(platform.callsTo('renameIncident')).toEqual([{ title: 'Receipts answer 500' }])
    expect(screen.queryByRole('textbox', { name: 'Incident title' })).toBeNull()
  })

  it('is reachable by keyboard, and Escape (or an unchanged title) renames nothing', async () => {
    const platform = await renderApp()
    within(title()).getByRole('button').focus()
    await userEvent.keyboard('{Enter}')
    const input = screen.getByRole('textbox', { name: 'Incident title' })
    await userEvent.type(input, ' (draft){Escape}')
    expect(screen.queryByRole('textbox', { name: 'Incident title' })).toBeNull()
    expect(document.activeElement).toBe(within(title()).getByRole('button'))
    expect(title().textContent).toContain('Checkout 500s')
    await userEvent.click(within(title()).getByRole('button'))
    await userEvent.keyboard('{Enter}')
    expect(platform.callsTo('renameIncident')).toEqual([])
  })
})

describe('Incident bar: incidents', () => {
  it('New incident switches the whole screen to an empty incident', async () => {
    const platform = await renderApp({ analysis: rollbackAnalysis() })
    await act(() => useApp.getState().addPath('/var/log/shop/app.log'))
    expect(screen.getByText('app.log')).toBeTruthy()
    await userEvent.type(screen.getByLabelText('Incident note'), 'checked the load balancer{Enter}')
    await screen.findByText('checked the load balancer')
    expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'Roll back the deploy' })).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'New incident' }))
    await waitFor(() => expect(title().textContent).toContain('Untitled incident'))
    expect(platform.callsTo('newIncident')).toHaveLength(1)
    await waitFor(() => expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'No verdict yet' })).toBeTruthy())
    expect(screen.getByText('No sources yet.')).toBeTruthy()
    expect(screen.queryByText('checked the load balancer')).toBeNull()
    // The new incident's journal is the one shown.
    await waitFor(() => expect(screen.getByText(/Incident journal \(1 entry\)/)).toBeTruthy())
  })

  it('lists the stored incidents with their dates, state and problems, and opens one', async () => {
    const platform = await renderApp()
    storeOldOutage(platform)
    const dialog = await openIncidentsDialog()
    const items = within(dialog).getAllByTestId('incident-item')
    expect(items.map((i) => within(i).getByText(/Checkout 500s|Old outage/).textContent)).toEqual(['Checkout 500s', 'Old outage'])
    expect(within(items[0]).getByText('open now')).toBeTruthy()
    expect(within(items[0]).getByRole('button', { name: 'Open “Checkout 500s”' })).toHaveProperty('disabled', true)
    expect(within(items[1]).getByText('created 2026-02-01 09:30 UTC')).toBeTruthy()
    expect(within(items[1]).getByText('closed 2026-02-01 11:00 UTC')).toBeTruthy()
    expect(within(items[1]).getByRole('list', { name: 'Problems with “Old outage”' }).textContent).toContain('/var/log/old/app.log: the file is gone (moved or deleted)')

    await userEvent.click(within(items[1]).getByRole('button', { name: 'Open “Old outage”' }))
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull())
    expect(platform.callsTo('openIncident')).toEqual([{ id: 'inc-old' }])
    await waitFor(() => expect(title().textContent).toContain('Old outage'))
    // Everything on screen is the opened incident's: its notes, its closed state, what reopening it found.
    await screen.findByText('payments were slow')
    expect(screen.getByTestId('incident-closed').textContent).toBe('closed at 11:00:00 UTC')
    const problems = await screen.findByTestId('incident-problems')
    expect(problems.textContent).toContain('Reopened with problems')
    expect(problems.textContent).toContain('/var/log/old/app.log: the file is gone (moved or deleted)')
    await userEvent.click(within(problems).getByRole('button', { name: 'Dismiss the reopening problems' }))
    expect(screen.queryByTestId('incident-problems')).toBeNull()
  })

  it('tells incidents of the same title apart: verdict, logs and last activity on each row', async () => {
    const platform = await renderApp()
    for (const [id, verdict, log, at] of [
      ['inc-a', 'rollback', '/var/log/shop/access.log', '2026-03-14T14:20:00Z'],
      ['inc-b', 'dependency', '/srv/payments/app.log', '2026-03-15T08:05:00Z']
    ] as const)
      platform.stored.set(id, {
        state: newIncident({ id, title: 'Untitled incident', createdAt: '2026-03-14T13:00:00Z', sources: [{ path: log, addedAt: at, sizeBytes: 10, mtimeMs: 0 }] }),
        journal: [{ at, kind: 'verdict', text: 'Verdict', data: { playbook: verdict, confidence: 0.9, previous: null } }],
        problems: []
      })
    const dialog = await openIncidentsDialog()
    const rows = within(dialog)
      .getAllByTestId('incident-item')
      .filter((i) => i.textContent?.includes('Untitled incident'))
    expect(rows.map((r) => within(r).getByTestId('incident-verdict').textContent).sort()).toEqual(['Verdict: A dependency is failing', 'Verdict: Roll back the deploy'].sort())
    const a = rows.find((r) => r.textContent?.includes('access.log')) as HTMLElement
    expect(within(a).getByText('Logs: access.log')).toBeTruthy()
    expect(within(a).getByText(' · last activity 2026-03-14 14:20 UTC', { normalizer: (t) => t })).toBeTruthy()
    const b = rows.find((r) => r.textContent?.includes('app.log')) as HTMLElement
    expect(within(b).getByText(' · last activity 2026-03-15 08:05 UTC', { normalizer: (t) => t })).toBeTruthy()
  })

  it('refuses to delete the open incident, in words, without asking the host', async () => {
    const platform = await renderApp()
    storeOldOutage(platform)
    const dialog = await openIncidentsDialog()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete “Checkout 500s”' }))
    expect(within(dialog).getByRole('alert').textContent).toContain('This is the incident open now, so it cannot be deleted')
    expect(platform.callsTo('deleteIncident')).toEqual([])
    expect(platform.stored.has('inc-1')).toBe(true)
  })

  it('deletes another incident only after an explicit confirmation', async () => {
    const platform = await renderApp()
    storeOldOutage(platform)
    const dialog = await openIncidentsDialog()
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete “Old outage”' }))
    const confirm = within(dialog).getByRole('group', { name: 'Confirm deleting “Old outage”' })
    expect(confirm.textContent).toContain('cannot be undone')
    await userEvent.click(within(confirm).getByRole('button', { name: 'Keep it' }))
    expect(platform.callsTo('deleteIncident')).toEqual([])

    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete “Old outage”' }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete for good' }))
    await waitFor(() => expect(within(dialog).getAllByTestId('incident-item')).toHaveLength(1))
    expect(platform.callsTo('deleteIncident')).toEqual([{ id: 'inc-old' }])
    expect(platform.stored.has('inc-old')).toBe(false)
    // The focused button left with its row; the keyboard stays in the dialog and Escape still closes it.
    expect(dialog.contains(document.activeElement)).toBe(true)
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
  })

  it('shows the host refusing a deletion in words', async () => {
    const platform = await renderApp()
    storeOldOutage(platform)
    const dialog = await openIncidentsDialog()
    // Deleted elsewhere (another window) after this list was read.
    platform.stored.delete('inc-old')
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete “Old outage”' }))
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete for good' }))
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toContain('no incident with id inc-old'))
  })

  it('the dialog is keyboard-usable: focus moves in, Escape closes it and focus returns', async () => {
    await renderApp()
    const opener = screen.getByRole('button', { name: 'Incidents…' })
    await userEvent.click(opener)
    const dialog = await screen.findByRole('dialog', { name: 'Incidents' })
    await within(dialog).findByRole('list', { name: 'Stored incidents' })
    expect(dialog.contains(document.activeElement)).toBe(true)
    await userEvent.keyboard('{Escape}')
    expect(screen.queryByRole('dialog')).toBeNull()
    expect(document.activeElement).toBe(opener)
  })

  it('Close incident closes it and shows the closed state', async () => {
    const platform = await renderApp()
    await userEvent.click(screen.getByRole('button', { name: 'Close incident' }))
    await waitFor(() => expect(screen.getByTestId('incident-closed').textContent).toBe('closed at 14:10:00 UTC'))
    expect(platform.callsTo('closeIncident')).toHaveLength(1)
    expect(screen.getByRole('button', { name: 'Closed' })).toHaveProperty('disabled', true)
    await waitFor(() => expect(screen.getByText(/Incident journal/)).toBeTruthy())
  })
})
