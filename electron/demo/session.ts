import type { TriageHandlers } from '../../shared/contract'
import { DemoService, type DemoInfo, type DemoOptions } from './service'

export interface DemoSessionOptions extends DemoOptions {
  /** Health poll interval. Default 2 000 ms. */
  healthIntervalMs?: number
  /**
   * Deploy poll interval. Default 1 000 ms: well under the demo's traffic shift delay, so the
   * poll sees the new version before its first failing request, as a timely poll would.
   */
  deployIntervalMs?: number
}

export const DEMO_HEALTH_TARGET = 'shop-api health'
export const DEMO_DEPLOY_TARGET = 'shop-api'

/**
 * Starts the demo and hands its evidence to the session like a user would: the two log files
 * as sources (read, then tailed) and the health and version endpoints as polled targets.
 */
export async function startDemoInSession(session: Pick<TriageHandlers, 'addSource' | 'addTarget'>, opts: DemoSessionOptions = {}): Promise<{ demo: DemoService; info: DemoInfo }> {
  const { healthIntervalMs = 2000, deployIntervalMs = 1000, ...demoOptions } = opts
  const demo = new DemoService(demoOptions)
  const info = await demo.start()
  try {
    await session.addSource({ path: info.accessLog })
    await session.addSource({ path: info.appLog })
    await session.addTarget({ kind: 'health', name: DEMO_HEALTH_TARGET, url: info.healthUrl, intervalMs: healthIntervalMs })
    await session.addTarget({ kind: 'deploy', name: DEMO_DEPLOY_TARGET, url: info.versionUrl, intervalMs: deployIntervalMs })
  } catch (err) {
    await demo.stop()
    throw err
  }
  return { demo, info }
}
