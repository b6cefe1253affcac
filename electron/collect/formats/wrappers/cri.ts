/**
 * Kubernetes CRI container logs (containerd, CRI-O; /var/log/pods/…/0.log):
 * `2016-10-06T00:17:09.669794202Z stdout F <payload>`. The tag is `F` (full) or `P` (partial:
 * the runtime split a long line, the rest follows on the next record), optionally with more
 * `:`-separated tags (`P:TAG1:TAG2`). The file is per container, so the line names no instance.
 */
import { parseIsoTime } from '../time'
import type { Unwrapped } from './types'
import { defineWrapper } from './types'

const CRI_RE = /^(\d{4}-\d\d-\d\dT\S+) (stdout|stderr) ([PF])(?::\S*)?(?: (.*))?$/

export function unwrapCri(line: string): Unwrapped | null {
  const m = CRI_RE.exec(line)
  if (m === null) return null
  const time = parseIsoTime(m[1])
  if (time === null) return null
  return { payload: m[4] ?? '', time, instance: null, partial: m[3] === 'P' }
}

export default defineWrapper({
  id: 'cri',
  title: 'Kubernetes CRI container log',
  unwrap: unwrapCri,
  samples: [
    {
      // tests/fixtures/logs/wrappers/cri-calico.log, line 3 (elastic/beats docker_json_test.go)
      line: '2017-11-12T23:32:21.212771448Z stderr F 2017-11-12 23:32:21.212 [ERROR][77] table.go 111: error',
      expect: { payload: '2017-11-12 23:32:21.212 [ERROR][77] table.go 111: error', time: Date.UTC(2017, 10, 12, 23, 32, 21, 212), instance: null, partial: false }
    },
    {
      // cri-kubelet.log, line 4 (kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs_test.go)
      line: '2016-10-20T18:39:20.57606443Z stdout P:TAG1:TAG2 cri stdout partial test log',
      expect: { payload: 'cri stdout partial test log', time: Date.UTC(2016, 9, 20, 18, 39, 20, 576), instance: null, partial: true }
    },
    { line: '{"log":"line1\\n","stream":"stdout","time":"2020-09-27T11:18:01.00000000Z"}', expect: null }
  ]
})
