/**
 * Runs `run` once, `ms` after the last `schedule()`, so a burst of "changed" notifications
 * becomes one pull. While the page is hidden the pull waits until it is visible again: nobody
 * is looking, and a background tab should not re-analyse on every tail.
 */
export function debounced(run: () => void, ms: number, doc: Document | null = typeof document === 'undefined' ? null : document): { schedule(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | null = null
  let waitingForVisible = false
  const onVisible = () => {
    if (doc?.hidden) return
    doc?.removeEventListener('visibilitychange', onVisible)
    waitingForVisible = false
    run()
  }
  const fire = () => {
    timer = null
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
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(fire, ms)
    },
    cancel() {
      if (timer !== null) clearTimeout(timer)
      timer = null
      doc?.removeEventListener('visibilitychange', onVisible)
      waitingForVisible = false
    }
  }
}
