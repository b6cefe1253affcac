/**
 * Runs `run` once, `ms` after the last `schedule()`, so a burst of "changed" notifications
 * becomes one pull — but never later than `maxWaitMs` after the first `schedule()` of the burst:
 * a log that never stops growing sends a notification every batch, and a plain debounce would
 * wait for a quiet moment that never comes (the screen froze while the log grew).
 * While the page is hidden the pull waits until it is visible again: nobody is looking, and a
 * background tab should not re-analyse on every tail.
 */
export function debounced(
  run: () => void,
  ms: number,
  doc: Document | null = typeof document === 'undefined' ? null : document,
  maxWaitMs: number = Number.POSITIVE_INFINITY,
  now: () => number = Date.now
): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  let firstAt: number | null = null
  let waitingForVisible = false
  const onVisible = () => {
    if (doc?.hidden) return
    doc?.removeEventListener('visibilitychange', onVisible)
    waitingForVisible = false
    run()
  }
  const fire = () => {
    timer = null
    firstAt = null
    if (doc?.hidden) {
      if (!waitingForVisible) {
        waitingForVisible = true
        doc.addEventListener('visibilitychange', onVisible)
      }
      return
    }
    run()
  }
  return {
    schedule() {
      const t = now()
      firstAt ??= t
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(fire, Math.max(0, Math.min(ms, firstAt + maxWaitMs - t)))
    },
    cancel() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      firstAt = null
      doc?.removeEventListener('visibilitychange', onVisible)
      waitingForVisible = false
    }
  }
}
