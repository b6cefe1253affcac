/** Deploy and dependency-health pollers: plain Node (node:http/https), no electron. */
export { PollError, isCancelled, redactUrl, type PollErrorKind } from './errors'
export { DEFAULT_MAX_BODY_BYTES, MAX_REDIRECTS, httpGet, type HttpGetOptions, type HttpGetResult } from './http-get'
export {
  DEFAULT_INTERVAL_MS,
  DEFAULT_TIMEOUT_MS,
  PollTargetError,
  parseHttpUrl,
  resolveTarget,
  type ResolvedTarget,
  type PollTarget,
  type PollerStateBase
} from './target'
export { PollLoop, backoffCapMs, nextDelayMs, type PollLoopOptions } from './schedule'
export { readHealthResponse, statusWordOk, type HealthComponent, type HealthReading, type HealthShape } from './health-shapes'
export {
  HealthPoller,
  pollHealthOnce,
  type HealthPollerListeners,
  type HealthPollerState,
  type HealthTarget,
  type PollOnceOptions,
  type PollerOptions
} from './health'
export {
  parseDeployMapping,
  readDeployDocument,
  valueAtPath,
  type DeployMapping,
  type DeployReading,
  type DeployShape,
  type DeployTimeKind
} from './deploy-shapes'
export {
  DeployPoller,
  DeployTracker,
  pollDeployOnce,
  type DeployChange,
  type DeployChangeKind,
  type DeployObservation,
  type DeployPollerListeners,
  type DeployPollerState,
  type DeployTarget
} from './deploy'
export { parseIsoTime, parseTimeValue } from './times'
