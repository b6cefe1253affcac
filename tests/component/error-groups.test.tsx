import { beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { resetAppStore } from '../../renderer/src/store'
import { renderScreen } from './screen-helpers'
import { rollbackAnalysis } from './analysis-fixture'

beforeEach(() => resetAppStore())

const titles = () => screen.getAllByTestId('group-row').map((r) => r.querySelector('.group-title')?.textContent)
const sortHeader = (name: string) => screen.getByRole('button', { name: new RegExp(`^${name}`) }).closest('th') as HTMLElement

describe('Error groups', () => {
  it('sorts by count, first seen, last seen and new-since-deploy, both ways', async () => {
    await renderScreen()
    expect(titles()).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'price')",
      'TimeoutError: upstream payments timed out after 5000 ms',
      'other errors (beyond 199 distinct groups)'
    ])
    expect(sortHeader('Count').getAttribute('aria-sort')).toBe('descending')
    await userEvent.click(screen.getByRole('button', { name: /^Count/ }))
    expect(sortHeader('Count').getAttribute('aria-sort')).toBe('ascending')
    expect(titles()[0]).toBe('other errors (beyond 199 distinct groups)')

    await userEvent.click(screen.getByRole('button', { name: /^First seen/ }))
    expect(sortHeader('First seen').getAttribute('aria-sort')).toBe('descending')
    expect(titles()).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'price')",
      'other errors (beyond 199 distinct groups)',
      'TimeoutError: upstream payments timed out after 5000 ms'
    ])
    await userEvent.click(screen.getByRole('button', { name: /^Last seen/ }))
    expect(titles()[2]).toBe('other errors (beyond 199 distinct groups)')
    await userEvent.click(screen.getByRole('button', { name: /^New since deploy/ }))
    expect(titles()[0]).toMatch(/^TypeError/)
    expect(within(screen.getAllByTestId('group-row')[0]).getByText('new')).toBeTruthy()
  })

  it('opens a group: the folded stack with in-app frames highlighted and library frames dimmed', async () => {
    await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    const stack = screen.getByLabelText(/^Sample of TypeError/)
    const kinds = [...stack.querySelectorAll('[data-frame]')].map((el) => `${el.getAttribute('data-frame')}:${el.textContent?.trim().split(' ').slice(0, 2).join(' ')}`)
    expect(kinds).toEqual(['text:TypeError: Cannot', 'app:at computeTotal', 'library:at Array.map', 'app:at checkout', 'library:at Layer.handle', 'library:at next', 'library:at process.processTicksAndRejections'])
    expect(within(screen.getByTestId('error-groups')).getByText('On POST /api/checkout')).toBeTruthy()
    // Closing and reopening keeps the list in place (no re-mount of rows).
    const row = screen.getAllByTestId('group-row')[0]
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    expect(screen.queryByLabelText(/^Sample of TypeError/)).toBeNull()
    expect(screen.getAllByTestId('group-row')[0]).toBe(row)
  })

  it('opens the drawer: counts, first/last seen, sparkline, routes, instances, versions live then and new since which deploy', async () => {
    await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    const drawer = screen.getByTestId('group-drawer')
    expect(within(drawer).getByText('Events').nextElementSibling?.textContent).toBe('3,910')
    expect(within(drawer).getByTestId('new-since-deploy').textContent).toBe('new since the deploy of v2.14.0 at 14:02:00 UTC')
    const spark = within(drawer).getByRole('img', { name: /^3,910 events over the timeline window, busiest bucket 221$/ })
    // Bars only where the group had events: none before the deploy's bucket.
    expect(spark.querySelectorAll('rect')).toHaveLength(18)
    expect(within(drawer).getByText('POST /api/checkout')).toBeTruthy()
    expect(within(drawer).getByText('shop-api-7d9f8c6b5-x2k4q')).toBeTruthy()
    expect(within(drawer).getByText('v2.14.0')).toBeTruthy()
    // The timeout group was there before the deploy: no "new since" line, and both versions listed.
    await userEvent.click(screen.getByRole('button', { name: /^TimeoutError/ }))
    const other = screen.getByTestId('group-drawer')
    expect(within(other).queryByTestId('new-since-deploy')).toBeNull()
    expect(within(other).getAllByRole('listitem').map((li) => li.textContent)).toEqual(expect.arrayContaining(['v2.13.2 150', 'v2.14.0 62']))
    expect(within(other).getByText('The logs do not name an instance.')).toBeTruthy()
  })

  it('shows the whole Caused by chain, root cause last', async () => {
    const analysis = rollbackAnalysis()
    analysis.groupSamples['G-timeout'] = [
      'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payments:8080/charge": Read timed out',
      '\tat org.springframework.web.client.RestTemplate.doExecute(RestTemplate.java:791)',
      '\tat com.acme.shop.PaymentClient.charge(PaymentClient.java:57)',
      'Caused by: java.net.SocketTimeoutException: Read timed out',
      '\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)',
      '\t... 42 common frames omitted'
    ].join('\n')
    await renderScreen(analysis)
    await userEvent.click(screen.getByRole('button', { name: /^TimeoutError/ }))
    const chain = within(screen.getByTestId('group-drawer')).getByRole('heading', { name: /Exception chain/ }).nextElementSibling as HTMLElement
    expect([...chain.querySelectorAll('li')].map((li) => li.textContent)).toEqual([
      'org.springframework.web.client.ResourceAccessException: I/O error on POST request for "http://payments:8080/charge": Read timed out',
      'java.net.SocketTimeoutException: Read timed out'
    ])
    const own = within(screen.getByTestId('group-drawer')).getByLabelText(/^Sample of TimeoutError/).querySelectorAll('[data-frame="app"]')
    expect([...own].map((el) => el.textContent?.trim())).toEqual(['at com.acme.shop.PaymentClient.charge(PaymentClient.java:57)'])
  })

  it('pages the raw lines around the sample from the file, never the whole log', async () => {
    const platform = await renderScreen()
    await userEvent.click(screen.getByRole('button', { name: /^TypeError: Cannot read/ }))
    await userEvent.click(screen.getByRole('button', { name: /Show the log lines around it \(app\.log:4711\)/ }))
    const raw = await screen.findByTestId('raw-lines')
    await waitFor(() => expect(raw.querySelector('li.target')?.textContent).toContain('line 4711 of app.log'))
    await userEvent.click(within(raw).getByRole('button', { name: 'Later lines' }))
    await waitFor(() => expect(raw.querySelector('li')?.textContent).toContain('line 4726 of app.log'))
    await userEvent.click(within(raw).getByRole('button', { name: 'Earlier lines' }))
    await userEvent.click(within(raw).getByRole('button', { name: 'Earlier lines' }))
    await waitFor(() => expect(raw.querySelector('li')?.textContent).toContain('line 4676 of app.log'))
    expect(platform.callsTo('readLines').map((r) => [r.fromLine, r.count])).toEqual([
      [4701, 25],
      [4726, 25],
      [4701, 25],
      [4676, 25]
    ])
  })

  it('offers the raw lines of any group whose sample location the analysis recorded', async () => {
    const analysis = rollbackAnalysis()
    analysis.groupLocations = { 'G-timeout': { path: '/var/log/shop/app.log', line: 120 } }
    const platform = await renderScreen(analysis)
    await userEvent.click(screen.getByRole('button', { name: /^TimeoutError: upstream payments/ }))
    await userEvent.click(screen.getByRole('button', { name: /Show the log lines around it \(app\.log:120\)/ }))
    const raw = await screen.findByTestId('raw-lines')
    await waitFor(() => expect(raw.querySelector('li.target')?.textContent).toContain('line 120 of app.log'))
    expect(platform.callsTo('readLines')[0]).toMatchObject({ fromLine: 110 })
  })

  it('says so when the file of a line is not a source of this incident', async () => {
    await renderScreen()
    const { useApp } = await import('../../renderer/src/store')
    useApp.getState().showEvidence({ kind: 'line', path: '/elsewhere/other.log', line: 3 })
    expect(await screen.findByText('/elsewhere/other.log is not among the sources of this incident: add it to see its lines.')).toBeTruthy()
  })
})
