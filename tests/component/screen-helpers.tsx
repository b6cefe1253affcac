import { act, render } from '@testing-library/react'
import { App } from '../../renderer/src/components/App'
import { useApp } from '../../renderer/src/store'
import type { AnalysisSnapshot } from '../../shared/contract'
import { rollbackAnalysis } from './analysis-fixture'
import { fakePlatform, type FakePlatform } from './fake-platform'

/** The app on the fake platform, with the rollback analysis loaded and the app log among the sources. */
export async function renderScreen(analysis: AnalysisSnapshot | null = rollbackAnalysis()): Promise<FakePlatform> {
  const platform = fakePlatform({ analysis })
  useApp.getState().setPlatform(platform)
  useApp.getState().setConnection({ status: 'open' })
  await platform.api.addSource({ path: '/var/log/shop/app.log' })
  platform.files['1'] = Array.from({ length: 5000 }, (_, i) => `line ${i + 1} of app.log`)
  render(<App />)
  await act(async () => {
    await useApp.getState().refresh()
    await useApp.getState().refreshAnalysis()
    await useApp.getState().refreshIncident()
    await useApp.getState().refreshRunbook()
  })
  return platform
}
