/** The resource playbook's steps: they cite v1.resource (kind, instance, what ran out, crash loop, groups), never re-detect. */
import type { ResourceKind } from '../../contract/analysis'
import { count } from '../../format'
import { groupLine, groupsByCount, groupSample } from '../../runbook/evidence'
import { NO_EVIDENCE, type StepContext, type StepDraft } from '../../runbook/steps'

const RESTORE: Record<ResourceKind, string> = {
  memory: 'Restart it so it serves again (kubectl delete pod / rollout restart, systemctl restart), and give it headroom: raise the memory limit or scale out so one instance dying does not take the traffic with it.',
  'file-descriptors': 'Restart the process to release its descriptors, and raise the limit for the next one (LimitNOFILE in the unit, ulimit -n; nginx worker_rlimit_nofile and worker_connections).',
  threads: 'Add capacity: scale out, or add workers/threads (gunicorn --workers and --timeout, Tomcat maxThreads, Jetty maxThreads, puma threads, php-fpm pm.max_children), and restart the stuck ones.',
  disk: 'Free space now: rotate and compress logs, delete old artifacts, tmp files and core dumps, or grow the volume; then restart what failed to write.'
}

const FIND: Record<ResourceKind, string> = {
  memory: 'Catch the leak before it dies again: a heap dump (jcmd <pid> GC.heap_dump, -XX:+HeapDumpOnOutOfMemoryError; node --heapsnapshot-near-heap-limit; tracemalloc), the limit it hit (kubectl describe pod: Last State OOMKilled, limits.memory; -Xmx, --max-old-space-size), and whether memory climbs steadily between restarts.',
  'file-descriptors': 'Compare open descriptors with the limit (ls /proc/<pid>/fd | wc -l, cat /proc/<pid>/limits, ulimit -n) and see what leaks (lsof -p <pid>: sockets in CLOSE_WAIT, unclosed files).',
  threads: 'See what the busy workers wait on (jstack <pid>, py-spy dump --pid <pid>, rbspy, the php-fpm slowlog) and compare the pool size with the concurrency the traffic needs.',
  disk: 'Find what fills it (df -h; du -xh / | sort -h | tail -20) and whether it keeps growing (logs without rotation, uploads, a queue spilling to disk).'
}

export function restoreCapacity({ a }: StepContext): StepDraft {
  const res = a?.v1.resource ?? null
  const where = res?.instance ?? null
  const step: StepDraft = {
    id: 'resource-restore',
    title: res?.kind === 'disk' ? `Free disk space${where ? ` on ${where}` : ''}` : `Restore capacity${where ? ` on ${where}` : ''}`,
    action: res ? RESTORE[res.kind] : 'Restart, scale out or free disk: bring back the capacity the limit took away.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  if (!res) return { ...step, evidence: ['No memory, file-descriptor, thread or disk limit ran out in the logs read.'] }
  step.evidence.push(`${res.what}: ${count(res.count)} ${res.count === 1 ? 'line' : 'lines'} during the incident${where ? `, on ${where}` : ''}`)
  if (res.crashLoop) step.evidence.push('It dies, restarts and runs out again (a crash loop): a restart alone buys minutes.')
  return step
}

export function findLimit({ a }: StepContext): StepDraft {
  const res = a?.v1.resource ?? null
  const step: StepDraft = {
    id: 'resource-limit',
    title: res?.kind === 'memory' ? 'Find the leak or the limit' : 'Find the limit and what exhausts it',
    action: res ? FIND[res.kind] : 'Find whether it leaks (climbs steadily) or the limit is too low for the load.',
    evidence: [],
    settled: false
  }
  if (!a) return { ...step, evidence: [NO_EVIDENCE] }
  const ids = new Set(res?.groupIds ?? [])
  const groups = groupsByCount(a).filter((g) => ids.has(g.id))
  if (groups.length === 0) return step
  return { ...step, evidence: groups.slice(0, 3).map((g) => groupLine(a, g)), detail: { kind: 'code', text: groupSample(a, groups[0]) } }
}
