/**
 * `kubectl logs --prefix`: every line starts with its source, `[pod/<name>/<container>] `.
 * The instance is `<name>/<container>`; kubectl adds no time (with `--timestamps` the payload
 * starts with one, and the payload format reads it).
 */
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

const PREFIX_RE = /^\[([a-z]+)\/([^/\]\s]+)\/([^\]\s]+)\] ?(.*)$/

export function unwrapKubectlPrefix(line: string): Unwrapped | null {
  if (line.charCodeAt(0) !== 91) return null
  const m = PREFIX_RE.exec(line)
  if (m === null) return null
  return { payload: m[4], time: null, instance: `${m[2]}/${m[3]}`, partial: false }
}

export default defineWrapper({
  id: 'kubectl',
  title: 'kubectl logs --prefix',
  unwrap: unwrapKubectlPrefix,
  samples: [
    {
      // tests/fixtures/logs/wrappers/kubectl-prefix.log, line 2 (kubernetes/kubernetes kubectl logs_test.go)
      line: '[pod/test-sts-0/test-container] test log content for pod test-sts-0',
      expect: { payload: 'test log content for pod test-sts-0', time: null, instance: 'test-sts-0/test-container', partial: false }
    },
    { line: '[INFO] 2017-09-12 not a kubectl prefix', expect: null }
  ]
})
