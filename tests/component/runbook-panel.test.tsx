import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { act, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { rollbackAnalysis } from './analysis-fixture'
import { renderScreen } from './screen-helpers'

beforeEach(() => resetAppStore())
afterEach(() => vi.restoreAllMocks())

const runbook = () => screen.getByRole('region', { name: 'Runbook' })
const stepEl = (id: string) => within(runbook()).getByTestId(`step-${id}`)

describe('Runbook panel', () => {
  it('fills the steps from the evidence: suspect version, before/after rates, the stack trace with in-app frames', async () => {
    await renderScreen()
    expect(within(runbook()).getByTestId('runbook-title').textContent).toBe('Roll back the deploy')
    const deploy = stepEl('deploy-correlation')
    expect(within(deploy).getByTestId('step-status').textContent).toBe('checked by the evidence')
    expect(deploy.textContent).toContain('v2.14.0 went live at 14:02:00 UTC')
    expect(deploy.textContent).toContain('5xx rate before: 0.41% → after: 23%')
    expect(stepEl('roll-back').textContent).toContain('Roll back v2.14.0 → v2.13.2')
    const frames = within(stepEl('stack-trace')).getByLabelText(/^Stack trace/).querySelectorAll('[data-frame="app"]')
    expect([...frames].map((f) => f.textContent?.trim())).toEqual(['at computeTotal (/srv/shop/src/cart/total.js:42:17)', 'at checkout (/srv/shop/src/routes/checkout.js:88:21)'])
  })

  it('shows the replay curl and copies it to the clipboard', async () => {
    const writeText = vi.fn(async (_text: string) => {})
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await renderScreen()
    await userEvent.selectOptions(within(runbook()).getByLabelText('Playbook'), 'One endpoint is failing')
    const replay = stepEl('replay')
    const curl = "curl -sS -i -X GET 'https://shop.example.com/api/orders/42' -H 'Accept: application/json'"
    expect(within(replay).getByTestId('replay-command').textContent).toBe(curl)
    // userEvent installs its own clipboard; put ours back for the click.
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    await userEvent.click(within(replay).getByRole('button', { name: 'Copy the replay command' }))
    expect(writeText).toHaveBeenCalledWith(curl)
    await waitFor(() => expect(within(replay).getByRole('button', { name: 'Copy the replay command' }).textContent).toBe('Copied'))
  })

  it('a POST replay cannot be copied until the engineer confirms it has no side effects', async () => {
    const a = rollbackAnalysis()
    a.v1.replay = { method: 'POST', url: 'https://shop.example.com/api/checkout', curl: "curl -X POST 'https://shop.example.com/api/checkout'" }
    await renderScreen(a)
    await userEvent.selectOptions(within(runbook()).getByLabelText('Playbook'), 'One endpoint is failing')
    const copy = within(stepEl('replay')).getByRole('button', { name: 'Copy the replay command' })
    expect(copy).toHaveProperty('disabled', true)
    await userEvent.click(within(stepEl('replay')).getByRole('checkbox', { name: /replaying this POST request has no side effects/ }))
    expect(copy).toHaveProperty('disabled', false)
  })

  it('switching playbook goes through the API and keeps the verdict and the other findings visible', async () => {
    const platform = await renderScreen()
    await userEvent.selectOptions(within(runbook()).getByLabelText('Playbook'), 'One endpoint is failing')
    expect(platform.callsTo('choosePlaybook')).toEqual([{ playbook: 'endpoint' }])
    await waitFor(() => expect(within(runbook()).getByTestId('runbook-title').textContent).toBe('One endpoint is failing'))
    expect(stepEl('endpoint-isolate').textContent).toContain('POST /api/checkout: 61% of its requests fail, 72% of all 5xx')
    expect(within(screen.getByTestId('verdict')).getByRole('heading', { name: 'Roll back the deploy' })).toBeTruthy()
    const others = screen.getByTestId('other-findings')
    expect(within(others).getByRole('heading', { name: 'One endpoint is failing' })).toBeTruthy()
    expect(within(others).getByRole('heading', { name: 'A dependency is failing' })).toBeTruthy()
    expect(within(others).getByText('followed')).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'Follow the playbook: A dependency is failing' }))
    expect(platform.callsTo('choosePlaybook').at(-1)).toEqual({ playbook: 'dependency' })
    await userEvent.click(screen.getByRole('button', { name: 'Follow the verdict' }))
    expect(platform.callsTo('choosePlaybook').at(-1)).toEqual({ playbook: null })
    await waitFor(() => expect(within(runbook()).getByTestId('runbook-title').textContent).toBe('Roll back the deploy'))
  })

  it('checking, skipping and noting a step, and recording a decision, call the API', async () => {
    const platform = await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: 'Mark done: Roll back to the previous version' }))
    expect(platform.callsTo('updateStep')).toEqual([{ playbook: 'rollback', stepId: 'roll-back', status: 'checked' }])
    await waitFor(() => expect(within(stepEl('roll-back')).getByTestId('step-status').textContent).toBe('done'))

    await userEvent.click(screen.getByRole('button', { name: 'Skip: Read the error log and the top stack trace' }))
    expect(platform.callsTo('updateStep').at(-1)).toEqual({ playbook: 'rollback', stepId: 'stack-trace', status: 'skipped' })

    const note = within(stepEl('roll-back')).getByLabelText('Note: Roll back to the previous version')
    await userEvent.type(note, 'argo rollback started')
    await userEvent.click(screen.getByRole('button', { name: 'Save note: Roll back to the previous version' }))
    expect(platform.callsTo('updateStep').at(-1)).toEqual({ playbook: 'rollback', stepId: 'roll-back', status: 'checked', note: 'argo rollback started' })
    await waitFor(() => expect(platform.incident.steps['rollback:roll-back'].note).toBe('argo rollback started'))

    vi.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-03-14T14:02:30Z'))
    await userEvent.click(within(stepEl('roll-back')).getByRole('button', { name: 'Record as decision…' }))
    const decision = screen.getByLabelText('Decision taken') as HTMLInputElement
    expect(decision.value).toBe('Rolled back v2.14.0 to v2.13.2 at 14:02 UTC')
    await userEvent.click(screen.getByRole('button', { name: 'Record decision' }))
    expect(platform.callsTo('addDecision')).toEqual([{ text: 'Rolled back v2.14.0 to v2.13.2 at 14:02 UTC' }])
    await waitFor(() => expect(screen.getByRole('list', { name: 'Decisions and notes' }).textContent).toContain('Rolled back v2.14.0 to v2.13.2 at 14:02 UTC'))
    expect(decision.value).toBe('')

    await userEvent.type(screen.getByLabelText('Incident note'), 'paged payments team')
    await userEvent.click(screen.getByRole('button', { name: 'Add note' }))
    expect(platform.callsTo('addNote')).toEqual([{ text: 'paged payments team' }])
  })

  it('a config reason leads to the config step', async () => {
    const a = rollbackAnalysis()
    a.v1.missingConfig = ['PAYMENTS_API_KEY']
    a.findings[0].reasons.push({ text: 'PAYMENTS_API_KEY is not set', evidence: [{ kind: 'config', name: 'PAYMENTS_API_KEY' }] })
    await renderScreen(a)
    expect(stepEl('missing-config').className).not.toContain('focused')
    await userEvent.click(screen.getByRole('button', { name: 'Go to the configuration step for PAYMENTS_API_KEY' }))
    expect(stepEl('missing-config').className).toContain('focused')
    expect(stepEl('missing-config').textContent).toContain('PAYMENTS_API_KEY')
  })

  it('a live update keeps a half-typed note and the focus in it', async () => {
    const platform = await renderScreen()
    const note = within(stepEl('monitor')).getByLabelText('Note: Watch the 5xx rate return to baseline')
    await userEvent.type(note, 'still 20%')
    const next = rollbackAnalysis()
    next.v1.suspectDeploy = { version: 'v2.14.0', at: '2026-03-14T14:02:00Z', errorRateBefore: 0.0041, errorRateAfter: 0.25, source: 'given', migration: null }
    platform.analysis = next
    // An 'analysis' change: the screen pulls the analysis and the session's new runbook.
    await act(async () => {
      await Promise.all([useApp.getState().refreshAnalysis(), useApp.getState().refreshRunbook()])
    })
    expect(stepEl('deploy-correlation').textContent).toContain('after: 25%')
    const same = within(stepEl('monitor')).getByLabelText('Note: Watch the 5xx rate return to baseline')
    expect(same).toBe(note)
    expect(document.activeElement).toBe(note)
    expect((same as HTMLTextAreaElement).value).toBe('still 20%')
  })
})
