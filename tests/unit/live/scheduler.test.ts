/**
 * The analysis scheduler with a slow analysis (as on the live worker): one analysis at a time,
 * evidence that changes meanwhile is analysed right after it, and a caller never waits for more
 * than the analysis in flight plus one.
 */
import { describe, expect, it } from 'vitest'
import { AnalysisScheduler } from '../../../electron/session/analysis'
import type { AnalysisSnapshot } from '../../../shared/contract/analysis'

/** An analysis the test finishes by hand, numbered by the evidence version it read. */
function harness(staleWhileRunning = false) {
  let version = 0
  const runs: { version: number; finish(): void }[] = []
  let analyzed = 0
  const scheduler = new AnalysisScheduler({
    analyze: () =>
      new Promise<AnalysisSnapshot | null>((resolve) => {
        const v = version
        runs.push({ version: v, finish: () => resolve({ computedAt: v, v1: { verdict: null, suspectDeploy: null } } as unknown as AnalysisSnapshot) })
      }),
    log: async () => undefined,
    analyzed: () => void analyzed++,
    now: () => undefined,
    staleWhileRunning
  })
  return {
    scheduler,
    runs,
    analyzed: () => analyzed,
    change: () => {
      version++
      scheduler.markDirty()
    }
  }
}

describe('AnalysisScheduler', () => {
  it('runs one analysis at a time and analyses changes that arrived meanwhile right after it', async () => {
    const h = harness()
    h.change()
    await expect.poll(() => h.runs.length).toBe(1)
    // Three batches while the first analysis runs: no second analysis starts beside it.
    h.change()
    h.change()
    h.change()
    expect(h.runs.length).toBe(1)
    h.runs[0].finish()
    await expect.poll(() => h.runs.length).toBe(2)
    expect(h.runs[1].version).toBe(4)
    h.runs[1].finish()
    // One notification for the burst, once the picture includes its last batch.
    await expect.poll(() => h.analyzed()).toBe(1)
    expect((await h.scheduler.current())?.computedAt).toBe(4)
    expect(h.runs.length).toBe(2)
    h.scheduler.close()
  })

  it('answers a caller after the analysis in flight and one more, however fast lines arrive', async () => {
    const h = harness()
    h.change()
    await expect.poll(() => h.runs.length).toBe(1)
    const answer = h.scheduler.current()
    let settled = false
    void answer.then(() => (settled = true))
    h.change()
    h.runs[0].finish()
    await expect.poll(() => h.runs.length).toBe(2)
    h.change()
    h.runs[1].finish()
    expect((await answer)?.computedAt).toBe(2)
    expect(settled).toBe(true)
    // The newer batch is analysed next, not forgotten.
    await expect.poll(() => h.runs.length).toBe(3)
    h.runs[2].finish()
    expect((await h.scheduler.current())?.computedAt).toBe(3)
    h.scheduler.close()
  })

  it('on the live worker, answers with the last picture while the next is computed', async () => {
    const h = harness(true)
    h.change()
    await expect.poll(() => h.runs.length).toBe(1)
    const first = h.scheduler.current()
    h.runs[0].finish()
    expect((await first)?.computedAt).toBe(1)
    h.change()
    await expect.poll(() => h.runs.length).toBe(2)
    // The second analysis is running: the caller gets the first picture at once, not after it.
    expect((await h.scheduler.current())?.computedAt).toBe(1)
    h.runs[1].finish()
    await expect.poll(() => h.analyzed()).toBe(2)
    expect((await h.scheduler.current())?.computedAt).toBe(2)
    h.scheduler.close()
  })
})
