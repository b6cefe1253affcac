import { act, render } from '@testing-library/react'
import { App } from '../../renderer/src/components/App'
import { useApp } from '../../renderer/src/store'
import { fakePlatform, type FakePlatform } from './fake-platform'

/** The whole app on the fake platform, with the snapshot, analysis, incident, runbook and journal pulled as bootstrap does. */
export async function renderApp(opts: Parameters<typeof fakePlatform>[0] = {}): Promise<FakePlatform> {
  const platform = fakePlatform(opts)
  useApp.getState().setPlatform(platform)
  useApp.getState().setConnection({ status: 'open' })
  render(<App />)
  await act(async () => {
    const s = useApp.getState()
    await Promise.all([s.refresh(), s.refreshAnalysis(), s.refreshIncident(), s.refreshRunbook(), s.refreshJournal()])
  })
  return platform
}
