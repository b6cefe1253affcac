/**
 * The live path's latency budget, owned in one place: a line appended to a followed log reaches
 * the screen within LIVE_BUDGET.totalMs; a picture newer lines have waited behind for longer than
 * that is marked `behind` and the banner says "analysis behind the logs". Each stage waits to batch work (a burst of lines costs
 * one analysis, not one per line), and every wait has a maximum, so a steady stream of lines can
 * delay the picture but never freeze it. The worst case is the sum of the maxima plus the
 * analysis itself; most lines see the debounces, not the maxima.
 *
 *   tail (watch, or a stat poll)  → tailPollMs
 *   source counters               → countersRefreshMs
 *   session change notification   → changeBatchMs
 *   verdict re-analysis           → analysisDebounceMs, at most analysisMaxWaitMs after the first change;
 *                                   on the live worker, one at a time (lines that arrive meanwhile are
 *                                   analysed right after it), so a fast log coarsens updates, never queues them
 *   the page pulls the snapshot   → pullDebounceMs, at most pullMaxWaitMs after the first notification
 */
export const LIVE_BUDGET = {
  totalMs: 1000,
  tailPollMs: 100,
  countersRefreshMs: 100,
  changeBatchMs: 50,
  analysisDebounceMs: 50,
  analysisMaxWaitMs: 150,
  pullDebounceMs: 50,
  pullMaxWaitMs: 150
} as const

/** The stages' maxima, which the total must cover with room for the analysis and a frame. */
export const LIVE_STAGES_MAX_MS =
  LIVE_BUDGET.tailPollMs + LIVE_BUDGET.countersRefreshMs + LIVE_BUDGET.changeBatchMs + LIVE_BUDGET.analysisMaxWaitMs + LIVE_BUDGET.pullMaxWaitMs
