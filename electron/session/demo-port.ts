import type { TriageHandlers } from '../../shared/contract'

/** What a demo may do to the session: add evidence, like a user would. */
export type DemoSink = Pick<TriageHandlers, 'addSource' | 'addTarget'>

/** A running demo, as the session sees it: what to show and how to stop it. */
export interface DemoRun {
  info: { oldVersion: string; newVersion: string; brokenRoute: string; deployAfterMs: number }
  demo: { stop(): Promise<void> }
}

/**
 * Starts a demo that feeds the session through `sink`. The session does not know the demo's
 * code: whoever builds the session (the app, `serve`) hands it one, so neither imports the other.
 */
export type DemoLauncher = (sink: DemoSink) => Promise<DemoRun>
