/** The words a hard limit runs out in, as runtimes, kernels and servers write them; and the lines that only look alike. */
import { describe, expect, it } from 'vitest'
import { resourceSignal } from '../../../shared/analysis/resource-signals'
import { isErrorEvent } from '../../../shared/analysis/groups'
import type { AppEvent } from '../../../shared/model/evidence'

describe('resourceSignal', () => {
  it.each([
    ['Exception in thread "http-nio-8080-exec-5" java.lang.OutOfMemoryError: Java heap space', 'memory', 'OutOfMemoryError: Java heap space', true],
    ['java.lang.OutOfMemoryError: Metaspace', 'memory', 'OutOfMemoryError: Metaspace', true],
    ['[1:0x5581c8e0] FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory', 'memory', 'Node.js heap out of memory', true],
    ['kernel: Out of memory: Killed process 2318 (java) total-vm:8123456kB, anon-rss:4012345kB, file-rss:0kB, shmem-rss:0kB, UID:1000 pgtables:9000kB oom_score_adj:0', 'memory', 'OOM kill', true],
    ['kernel: Memory cgroup out of memory: Killed process 91 (gunicorn) total-vm:512000kB', 'memory', 'OOM kill', true],
    ['Warning  OOMKilling  node/ip-10-0-3-14  Memory cgroup out of memory: Killed process 4411 (node)', 'memory', 'OOM kill', true],
    ['Last State:     Terminated\n      Reason:       OOMKilled', 'memory', 'OOM kill', true],
    ['fatal error: runtime: out of memory', 'memory', 'out of memory', true],
    ['PHP Fatal error:  Allowed memory size of 134217728 bytes exhausted (tried to allocate 20480 bytes) in /var/www/html/vendor/laravel/framework/src/Illuminate/Support/Collection.php on line 1427', 'memory', 'PHP memory_limit exhausted', false],
    ['Traceback (most recent call last):\n  File "/app/report.py", line 40, in build\nMemoryError', 'memory', 'Python MemoryError', false],
    ['java.lang.OutOfMemoryError: unable to create native thread: possibly out of memory or process/resource limits reached', 'threads', 'cannot create native threads', true],
    ["Error: EMFILE: too many open files, open '/srv/app/templates/order.hbs'", 'file-descriptors', 'Too many open files', false],
    ['accept4() failed (24: Too many open files)', 'file-descriptors', 'Too many open files', false],
    ['1024 worker_connections are not enough', 'file-descriptors', 'Too many open files', false],
    ['[2026-03-14 13:45:01 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:45)', 'threads', 'gunicorn worker timeout', false],
    ['org.apache.tomcat.util.threads.ThreadPoolExecutor: All threads (200) are currently busy, waiting. Increase maxThreads (200) or check the servlet status', 'threads', 'Tomcat thread pool exhausted', false],
    ['WARNING: [pool www] server reached pm.max_children setting (5), consider raising it', 'threads', 'php-fpm reached pm.max_children', false],
    ['write /var/lib/orders/spool/1.tmp: no space left on device', 'disk', 'No space left on device', false],
    ["OSError: [Errno 28] No space left on device: '/tmp/upload_8812'", 'disk', 'No space left on device', false],
    ['Error: ENOSPC: no space left on device, write', 'disk', 'No space left on device', false]
  ] as const)('%s', (text, kind, what, fatal) => {
    expect(resourceSignal(text)).toEqual({ kind, what, fatal })
  })

  it.each([
    'HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    'Refreshed product cache: 1842 entries (heap usage 61%)',
    'GET /api/memory-stats 200 12ms',
    'Booting worker with pid: 61',
    'java.lang.IllegalStateException: Queue full',
    'redis: connection pool exhausted'
  ])('is no limit: %s', (text) => {
    expect(resourceSignal(text)).toBeNull()
  })

  it('makes a limit logged as a warning or with no level an error; info and debug lines are not read', () => {
    const e = (message: string, level: AppEvent['level']): AppEvent => ({
      kind: 'app', line: 1, lines: 1, offset: 0, time: 0, level, message, errorType: null, errorMessage: null, stack: null, requestId: null, method: null, path: null, status: null, logger: null, instance: null
    })
    expect(isErrorEvent(e('All threads (200) are currently busy, waiting. Increase maxThreads (200) or check the servlet status', 'warn'))).toBe(true)
    expect(isErrorEvent(e('Out of memory: Killed process 2318 (java)', null))).toBe(true)
    expect(isErrorEvent(e('Out of memory: Killed process 2318 (java)', 'debug'))).toBe(false)
    expect(isErrorEvent(e('Pool size 200, 200 busy: Thread pool exhausted? no, backlog full on port 8080', 'info'))).toBe(false)
    expect(isErrorEvent(e('Refreshed product cache', 'warn'))).toBe(false)
  })
})
