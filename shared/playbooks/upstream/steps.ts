/** The steps only this playbook uses; the shared ones (deploy correlation, stack trace, replay, monitor…) are in shared/runbook/steps. */
import { count } from '../../format'
import { groupLine, groupSample, proxyGroups, statusCount } from '../../runbook/evidence'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

export function proxyErrors({ a }: StepContext): StepDraft {
  const step: StepDraft = {
    id: 'proxy-errors',
    title: 'Read the proxy error log',
    action: 'nginx says why it answered 502/504: refused, timed out, closed early, no live upstreams.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const groups = proxyGroups(a)
  if (groups.length === 0) return { ...step, evidence: ['No proxy error log read: add nginx error.log to see why it answered 502/504.'] }
  return { ...step, evidence: groups.slice(0, 5).map((g) => groupLine(a, g)), detail: { kind: 'code', text: groupSample(a, groups[0]) }, settled: true }
}

export function appRunning({ a }: StepContext): StepDraft {
  const refused = a ? proxyGroups(a).filter((g) => /refused|no-live|reset|dns/.test(g.type ?? '')) : []
  return {
    id: 'app-running',
    title: 'Is the app server running?',
    action: 'Check the process or pods (systemctl status, kubectl get pods), restarts and OOM kills, and the port it listens on.',
    evidence: refused.length > 0 ? [`The proxy could not connect ${count(refused.reduce((s, g) => s + g.count, 0))} times: the app server is down or not listening.`] : [a ? 'No refused connections in the proxy error log.' : NO_EVIDENCE],
    settled: false
  }
}

export function upstreamLatency({ a }: StepContext): StepDraft {
  const timeouts = a ? proxyGroups(a).filter((g) => /timeout/.test(g.type ?? '')) : []
  const evidence = a ? [`504 answers: ${count(statusCount(a, 504))}`] : [NO_EVIDENCE]
  if (timeouts.length > 0) evidence.push(`Upstream timed out ${count(timeouts.reduce((s, g) => s + g.count, 0))} times: the app is up but too slow.`)
  return {
    id: 'upstream-latency',
    title: "Check the upstream's response time",
    action: 'Timeouts mean the app answers too slowly: check its latency, slow queries, and worker/thread pools.',
    evidence,
    settled: false
  }
}
