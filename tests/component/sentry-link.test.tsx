import { beforeEach, describe, expect, it } from 'vitest'
import { screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore } from '../../renderer/src/store'
import { renderScreen } from './screen-helpers'
import { rollbackAnalysis } from './analysis-fixture'

beforeEach(() => resetAppStore())

function withSentry(permalink: string) {
  const a = rollbackAnalysis()
  const [first, ...rest] = a.v1.errorGroups
  return {
    ...a,
    v1: { ...a.v1, errorGroups: [{ ...first, sentry: { issueId: '4503', shortId: 'SHOP-WEB-3', permalink, release: 'shop-web@3.8.1', users: 650, count: 1204 } }, ...rest] }
  }
}

describe('Error group: its Sentry issue', () => {
  it('shows the link (a new window: the external-link path), release and user count', async () => {
    await renderScreen(withSentry('https://acme.sentry.io/issues/4503/'))
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    const line = screen.getByTestId('group-sentry')
    expect(line.textContent).toBe('Sentry SHOP-WEB-3: release shop-web@3.8.1, 650 users, 1,204 events in Sentry')
    const link = within(line).getByRole('link', { name: 'SHOP-WEB-3' })
    expect(link.getAttribute('href')).toBe('https://acme.sentry.io/issues/4503/')
    expect(link.getAttribute('target')).toBe('_blank')
    expect(link.getAttribute('rel')).toBe('noreferrer noopener')
  })

  it('never makes a link of a permalink that is not http(s)', async () => {
    await renderScreen(withSentry('javascript:alert(1)'))
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    const line = screen.getByTestId('group-sentry')
    expect(within(line).queryByRole('link')).toBeNull()
    expect(line.textContent).toContain('SHOP-WEB-3')
  })

  it('shows no Sentry line for a group without one', async () => {
    await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    expect(screen.queryByTestId('group-sentry')).toBeNull()
  })
})
