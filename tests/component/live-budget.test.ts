/**
 * The live path never starves: a notification every 50 ms (a log that keeps growing) must still
 * pull the analysis at least every maximum wait, where a plain debounce waited for a quiet moment
 * that never came. Fake timers: the test counts pulls, it does not time anything.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounced } from '../../renderer/src/store/debounce'
import { LIVE_BUDGET, LIVE_STAGES_MAX_MS } from '../../shared/live-budget'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('the live budget', () => {
  it('leaves room within the total for the analysis and a frame', () => {
    expect(LIVE_STAGES_MAX_MS).toBeLessThan(LIVE_BUDGET.totalMs)
  })
})

describe('debounced with a maximum wait', () => {
  it('pulls at least every maximum wait while notifications never stop', () => {
    const pulls: number[] = []
    const pull = debounced(() => pulls.push(Date.now()), LIVE_BUDGET.pullDebounceMs, null, LIVE_BUDGET.pullMaxWaitMs)
    const start = Date.now()
    for (let t = 0; t < 3000; t += 50) {
      pull.schedule()
      vi.advanceTimersByTime(50)
    }
    expect(pulls.length).toBeGreaterThanOrEqual(Math.floor(3000 / LIVE_BUDGET.pullMaxWaitMs) - 1)
    const gaps = pulls.map((t, i) => t - (i === 0 ? start : pulls[i - 1]))
    expect(Math.max(...gaps)).toBeLessThanOrEqual(LIVE_BUDGET.pullMaxWaitMs + 50)
  })

  it('still makes one pull of a short burst, after the debounce', () => {
    let pulls = 0
    const pull = debounced(() => pulls++, 100, null, 1000)
    for (let i = 0; i < 5; i++) {
      pull.schedule()
      vi.advanceTimersByTime(20)
    }
    expect(pulls).toBe(0)
    vi.advanceTimersByTime(100)
    expect(pulls).toBe(1)
    vi.advanceTimersByTime(2000)
    expect(pulls).toBe(1)
  })

  it('without a maximum wait, a never-ending stream never pulls (the old freeze)', () => {
    let pulls = 0
    const pull = debounced(() => pulls++, 100, null)
    for (let t = 0; t < 3000; t += 50) {
      pull.schedule()
      vi.advanceTimersByTime(50)
    }
    expect(pulls).toBe(0)
  })
})
