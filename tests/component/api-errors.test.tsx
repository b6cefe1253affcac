import { beforeEach, describe, expect, it } from 'vitest'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { App } from '../../renderer/src/components/App'
import { bootstrap } from '../../renderer/src/bootstrap'
import { desktopPlatform } from '../../renderer/src/api/platform'
import { errorCode } from '../../renderer/src/api/errors'
import { resetAppStore, useApp } from '../../renderer/src/store'
import { bridgeErrorMessage, type DesktopBridge } from '../../shared/contract'
import { fakePlatform } from './fake-platform'

beforeEach(() => resetAppStore())

/** A desktop bridge over the fake platform whose addSource fails as the preload throws it: the code in the message. */
function failingBridge(platform: ReturnType<typeof fakePlatform>, code: string, message: string): DesktopBridge {
  return {
    ...platform.api,
    addSource: async () => {
      throw new Error(bridgeErrorMessage({ code, message }))
    },
    platform: 'desktop',
    pathForFile: (f: File) => `/dropped/${f.name}`,
    savePdf: async () => null
  }
}

describe('error codes from the envelope to the screen', () => {
  it('the desktop platform turns the bridge error back into the envelope code and words', async () => {
    const platform = desktopPlatform(failingBridge(fakePlatform(), 'bad-input', '/x.log: no such file'))
    const err = await platform.api.addSource({ path: '/x.log' }).catch((e: unknown) => e)
    expect(errorCode(err)).toBe('bad-input')
    expect((err as Error).message).toBe('/x.log: no such file')
    // addFile goes through the same api.
    const dropped = await platform.addFile(new File(['a'], 'x.log')).catch((e: unknown) => e)
    expect(errorCode(dropped)).toBe('bad-input')
  })

  it('says a fault is Triage500\'s, not the input\'s, when the code is `failed`; input errors stay plain', async () => {
    const fake = fakePlatform()
    useApp.getState().setPlatform(desktopPlatform(failingBridge(fake, 'failed', 'addSource failed: EIO')))
    useApp.getState().setConnection({ status: 'open' })
    render(<App />)
    await userEvent.type(screen.getByLabelText('Log file path'), '/a.log')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('addSource failed: EIO (a fault in Triage500, not in your input)'))
    expect(screen.getByRole('alert').textContent).not.toContain('[failed]')

    useApp.getState().setPlatform(desktopPlatform(failingBridge(fake, 'bad-input', '/b.log: no such file')))
    await userEvent.clear(screen.getByLabelText('Log file path'))
    await userEvent.type(screen.getByLabelText('Log file path'), '/b.log')
    await userEvent.click(screen.getByRole('button', { name: 'Add' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('/b.log: no such file'))
    expect(screen.getByRole('alert').textContent).not.toContain('fault')
  })
})

describe('push sequence numbers', () => {
  it('pulls everything again when pushes were missed, and not when they arrive in order', async () => {
    const platform = fakePlatform({ analysis: null })
    const bridge: DesktopBridge = { ...platform.api, platform: 'desktop', pathForFile: (f: File) => f.name, savePdf: async () => null }
    const stop = await bootstrap({ triage: bridge, document, location: window.location } as unknown as Window)
    await waitFor(() => expect(platform.callsTo('getAnalysis')).toHaveLength(1))
    await waitFor(() => expect(useApp.getState().seq).toBe(1))
    platform.emit('ingest.progress', { seq: 2, sourceId: 'x', bytesDone: 1, bytesTotal: 2, linesPerSec: 0 })
    platform.emit('ingest.progress', { seq: 3, sourceId: 'x', bytesDone: 2, bytesTotal: 2, linesPerSec: 0 })
    expect(useApp.getState().seq).toBe(3)
    expect(platform.callsTo('getAnalysis')).toHaveLength(1)
    // 4 and 5 were lost: nothing pulled since can be trusted, so everything is pulled at once.
    platform.emit('ingest.progress', { seq: 6, sourceId: 'x', bytesDone: 2, bytesTotal: 2, linesPerSec: 0 })
    expect(platform.callsTo('getAnalysis')).toHaveLength(2)
    expect(useApp.getState().seq).toBe(6)
    // A repeat or an older number is no gap.
    expect(useApp.getState().noteSeq(6)).toBe(false)
    expect(useApp.getState().noteSeq(7)).toBe(false)
    stop()
  })
})

describe('alerts in the Sources panel', () => {
  it('a new attempt replaces the old alerts instead of piling them up', async () => {
    const fake = fakePlatform()
    useApp.getState().setPlatform({
      ...fake,
      api: {
        ...fake.api,
        addSource: async () => {
          throw new Error('/x.log: no such file')
        },
        addTarget: async () => {
          throw new Error('nope: is not a URL')
        }
      }
    })
    await useApp.getState().addPath('/x.log')
    expect(useApp.getState().sourceError).toContain('/x.log: no such file')
    await useApp.getState().addTarget({ kind: 'health', name: 'api', url: 'nope' })
    expect(useApp.getState().sourceError).toBeNull()
    expect(useApp.getState().targetError).toContain('is not a URL')
    await useApp.getState().addPath('/y.log')
    expect(useApp.getState().targetError).toBeNull()
    expect(useApp.getState().sourceError).toContain('no such file')
  })
})

describe('a page the host refused', () => {
  it('shows why, and no buttons that look live', async () => {
    useApp.getState().setPlatform(fakePlatform())
    useApp.getState().setConnection({ status: 'refused', message: 'No access token in this address. Open the exact URL that `triage500 serve` printed (it ends with #token=…).' })
    render(<App />)
    expect(screen.getByTestId('connection-notice').textContent).toContain('No access token')
    expect(screen.queryAllByRole('button')).toEqual([])
    expect(screen.queryByRole('textbox')).toBeNull()
  })
})
