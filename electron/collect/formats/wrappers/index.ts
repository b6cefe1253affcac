/**
 * The wrappers, and which one (if any) wraps a file: the wrapper that unwraps most of the
 * sample's non-blank lines, when that is most of them.
 */
import { isBlank } from '../trace'
import compose from './compose'
import cri from './cri'
import dockerJson from './docker-json'
import journaldJson from './journald-json'
import kubectlPrefix from './kubectl-prefix'
import syslog3164 from './syslog-3164'
import syslog5424 from './syslog-5424'
import type { UnwrapContext, WrapperDefinition } from './types'

export type { UnwrapContext, Unwrapped, WrapperDefinition, WrapperSample } from './types'
export { defineWrapper } from './types'
export type { JoinedLine, PayloadLine, RawLine } from './joiner'
export { WrappedLineJoiner } from './joiner'

/** Most specific first: a tie goes to the earlier one. */
export const WRAPPERS: readonly WrapperDefinition[] = [cri, dockerJson, journaldJson, kubectlPrefix, syslog5424, syslog3164, compose]

/** Share of non-blank sample lines a wrapper must unwrap to wrap the file. */
export const MIN_WRAPPED_SHARE = 0.5

export function wrapperById(id: string): WrapperDefinition | null {
  return WRAPPERS.find((w) => w.id === id) ?? null
}

export interface WrapperDetection {
  wrapper: WrapperDefinition
  /** Unwrapped share of the non-blank sample lines. */
  share: number
}

export function detectWrapper(sample: readonly string[], ctx?: UnwrapContext): WrapperDetection | null {
  const lines = sample.filter((line) => !isBlank(line))
  if (lines.length === 0) return null
  let best: WrapperDetection | null = null
  for (const wrapper of WRAPPERS) {
    let hits = 0
    for (const line of lines) if (wrapper.unwrap(line, ctx) !== null) hits++
    const share = hits / lines.length
    if (share > MIN_WRAPPED_SHARE && (best === null || share > best.share)) best = { wrapper, share }
  }
  return best
}
