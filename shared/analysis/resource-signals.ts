/**
 * The words runtimes, kernels and servers write when a hard limit runs out: memory, file
 * descriptors, threads/workers, disk. The one place these patterns live: the grouping reads
 * them (such a line is an error whatever its level) and the `resource` playbook classifies with them.
 */
import type { ResourceKind } from '../contract/analysis'

export interface ResourceSignal {
  kind: ResourceKind
  /** What ran out, in words (`Java heap space`, `OOM kill`, `Too many open files`). */
  what: string
  /** The process died of it (an OOM kill, a fatal heap error): a restart follows, or a crash loop. */
  fatal: boolean
}

interface Rule extends ResourceSignal {
  re: RegExp
}

// Order matters: a JVM "unable to create native thread" is an OutOfMemoryError about threads.
const RULES: Rule[] = [
  { re: /OutOfMemoryError:? unable to create (?:new )?native thread|can't create (?:new )?Thread|pthread_create failed/i, kind: 'threads', what: 'cannot create native threads', fatal: true },
  { re: /java\.lang\.OutOfMemoryError(?::\s*([\w ]+))?/, kind: 'memory', what: 'Java OutOfMemoryError', fatal: true },
  { re: /JavaScript heap out of memory|Reached heap limit|Ineffective mark-compacts near heap limit/i, kind: 'memory', what: 'Node.js heap out of memory', fatal: true },
  { re: /Out of memory: Kill(?:ed)? process|Memory cgroup out of memory|invoked oom-killer|\boom[-_]kill(?:er)?\b|\bOOMKill(?:ed|ing)\b/i, kind: 'memory', what: 'OOM kill', fatal: true },
  { re: /fatal error: runtime: out of memory|System\.OutOfMemoryException|\bNoMemoryError\b|failed to allocate memory/, kind: 'memory', what: 'out of memory', fatal: true },
  { re: /Allowed memory size of \d+ bytes exhausted/, kind: 'memory', what: 'PHP memory_limit exhausted', fatal: false },
  { re: /(?:^|[\s:(])MemoryError\b/, kind: 'memory', what: 'Python MemoryError', fatal: false },
  { re: /\bEMFILE\b|\bENFILE\b|Too many open files|worker_connections are not enough/i, kind: 'file-descriptors', what: 'Too many open files', fatal: false },
  { re: /\bWORKER TIMEOUT\b/, kind: 'threads', what: 'gunicorn worker timeout', fatal: false },
  { re: /All threads \(\d+\) are currently busy/, kind: 'threads', what: 'Tomcat thread pool exhausted', fatal: false },
  { re: /QueuedThreadPool.{0,200}rejected|rejected.{0,200}QueuedThreadPool/i, kind: 'threads', what: 'Jetty thread pool rejected a job', fatal: false },
  { re: /server reached (?:pm\.)?max_children setting/i, kind: 'threads', what: 'php-fpm reached pm.max_children', fatal: false },
  { re: /backlog (?:is )?(?:full|exceeded|overflow)|listen queue (?:is )?(?:full|overflow)|request queue (?:is )?full/i, kind: 'threads', what: 'request backlog full', fatal: false },
  { re: /\bENOSPC\b|No space left on device|Disk quota exceeded|\bEDQUOT\b/i, kind: 'disk', what: 'No space left on device', fatal: false }
]

/** Cheap pre-check: most lines carry none of these words. */
const ANY = /out ?of ?memory|memoryerror|memory size|heap|oom|emfile|enfile|open files|worker_connections|worker timeout|all threads|queuedthreadpool|max_children|backlog|(?:listen|request) queue|native thread|create (?:new )?thread|pthread_create|enospc|space left|quota exceeded|edquot|failed to allocate/i

/** The limit a line says ran out, or null. */
export function resourceSignal(text: string): ResourceSignal | null {
  if (!ANY.test(text)) return null
  for (const r of RULES) {
    const m = r.re.exec(text)
    if (m === null) continue
    // The JVM names which memory ran out (`Java heap space`, `Metaspace`): keep its words.
    const what = r.what === 'Java OutOfMemoryError' && m[1] ? `OutOfMemoryError: ${m[1].trim()}` : r.what
    return { kind: r.kind, what, fatal: r.fatal }
  }
  return null
}

/** A restart loop a supervisor reports (Kubernetes back-off): what a fatal limit leads to. */
export const CRASH_LOOP = /CrashLoopBackOff|Back-off restarting failed container/i
