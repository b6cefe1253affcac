/**
 * Stack-trace recognition shared by the folder and the structured parsers: which lines are
 * frames, which lines open a trace, and which exception type/message a trace names.
 * Languages: Java/JVM, Python, Node/V8, Go, Ruby, PHP/Laravel, .NET.
 */

export type TraceLanguage = 'java' | 'python' | 'node' | 'go' | 'ruby' | 'php' | 'dotnet' | 'generic'

export interface ExceptionInfo {
  type: string
  message: string | null
}

const TAB = 9
const SPACE = 32

/** True when the line begins with a space or a tab. */
export function isIndented(line: string): boolean {
  const c = line.charCodeAt(0)
  return c === SPACE || c === TAB
}

export function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    if (c !== SPACE && c !== TAB) return false
  }
  return true
}

const RUBY_FRAME_RE = /\S+:\d+:in [`'‘]/
const RUBY_BARE_FRAME_RE = /^\S+:\d+:in [`'‘][^`'‘]*[`'‘]$/
const PHP_FRAME_RE = /^#\d+\s+\S/
const JVM_FRAME_RE = /^at [\w$.<>/\\-]+\(.*\)$/
const GO_FILE_RE = /\.(?:go|s):\d+(?: \+0x[0-9a-f]+)?/
const GO_CALL_RE = /^(?:[\w./-]+\/)?[\w.-]*(?:\(\*?[\w.[\]]+\))?[\w.[\]]*\(.*\)$/

/**
 * A line that only ever appears inside a stack trace (a frame, a `Caused by:`, an elision).
 * These fold into the preceding event even after a blank line.
 */
export function isFrameLine(line: string): boolean {
  let start = 0
  while (start < line.length && (line.charCodeAt(start) === SPACE || line.charCodeAt(start) === TAB)) start++
  const t = start === 0 ? line : line.slice(start)
  const c = t.charCodeAt(0)
  if (startsFrame(t, c, start > 0)) return true
  if (start > 0) return GO_FILE_RE.test(t) || RUBY_FRAME_RE.test(t)
  return RUBY_BARE_FRAME_RE.test(t)
}

function startsFrame(t: string, c: number, indented: boolean): boolean {
  switch (c) {
    case 97: // a
      return t.startsWith('at ') && (indented || JVM_FRAME_RE.test(t))
    case 46: // .
      return t.startsWith('... ') && (t.endsWith(' more') || t.endsWith('omitted'))
    case 67: // C
      return t.startsWith('Caused by:')
    case 83: // S
      return t.startsWith('Suppressed: ') || t === 'Stack trace:'
    case 87: // W
      return t.startsWith('Wrapped by: ')
    case 70: // F
      return indented && t.startsWith('File "')
    case 45: // -
      return t.startsWith('--- End of ') || t.startsWith('---> ')
    case 35: // #
      return PHP_FRAME_RE.test(t)
    case 91: // [
      return t === '[stacktrace]' || t.startsWith('[previous exception]')
    case 102: // f
      return t.startsWith('from ') && RUBY_FRAME_RE.test(t)
    case 116: // t
      return indented && (t.startsWith('thrown in ') || t.startsWith('thrown at ') || t.startsWith('thrown {'))
    case 101: // e
      return t.startsWith('eval at ')
    default:
      return false
  }
}

/** Lines that continue a Go panic / goroutine dump (function calls and `created by`). */
export function isGoTraceLine(line: string): boolean {
  if (line.startsWith('goroutine ') || line.startsWith('created by ') || line.startsWith('[signal ')) return true
  return GO_CALL_RE.test(line) || GO_FUNC_RE.test(line)
}

/** A bare Go function name as zap prints frames: `go.example.io/pkg/sub.(*T).Method`. */
const GO_FUNC_RE = /^[\w\-.~]+(?:\/[\w\-.~@]+)+\.[\w$*()[\].]+$/

/** Python's chained-exception separators. */
export function isPythonChainLine(line: string): boolean {
  return line.startsWith('During handling of the above exception') || line.startsWith('The above exception was the direct cause')
}

/** Dart prints this alone, with the error on the next line. */
export const DART_UNHANDLED = 'Unhandled exception:'

export const GOROUTINE_RE = /^goroutine \d+ \[[^\]]*\]:$/

/**
 * A line that opens a trace on its own (no log header): the language it opens, or null.
 * `exception` covers `pkg.SomeException: msg` / `TypeError: msg` headers of any language.
 */
export function traceStart(line: string): TraceLanguage | null {
  const c = line.charCodeAt(0)
  if (c === 84 && line.startsWith('Traceback (most recent call last)')) return 'python'
  if (c === 112 && line.startsWith('panic: ')) return 'go'
  if (c === 102 && line.startsWith('fatal error: ')) return 'go'
  if (c === 103 && GOROUTINE_RE.test(line)) return 'go'
  if (c === 69 && line.startsWith('Exception in thread "')) return 'java'
  if (c === 80 && /^PHP (?:Fatal|Parse) error: /.test(line)) return 'php'
  if (RUBY_UNCAUGHT_RE.test(line)) return 'ruby'
  if (c === 85 && line === DART_UNHANDLED) return 'generic'
  if (c === SPACE || c === TAB) return null
  if (EXCEPTION_HEADER_RE.test(line)) return 'generic'
  return null
}

const ERROR_SUFFIX = '(?:Error|Exception|Throwable|Exit|Interrupt|Fault|Failure|Warning)'
const EXCEPTION_HEADER_RE = new RegExp(`^((?:[A-Za-z_$][\\w$]*(?:\\.|::|\\\\))*(?:[A-Za-z_$][\\w$]*${ERROR_SUFFIX}|Error|Exception|Throwable))(?::(?: (.*))?)?$`)
const EXCEPTION_IN_THREAD_RE = /^Exception in thread "[^"]*" (\S+?)(?:: (.*))?$/
const RAILS_EXC_RE = /^\s*((?:[A-Z]\w*::)+[A-Z]\w*|[A-Z]\w*(?:Error|Exception|Invalid|NotFound)) \((.*)\):?\s*$/
const RUBY_UNCAUGHT_RE = /^\S+:\d+:in [`'‘][^']*': (.*) \(([A-Z]\w*(?:::[A-Z]\w*)*)\)$/
const PHP_OLD_RE = /(?:^|Uncaught )exception '([^']+)' with message '(.*)' in /
const PHP_UNCAUGHT_RE = /Uncaught ([\w\\]+): (.*?) in \S+(?::\d+| on line \d+)/
const LARAVEL_RE = /\[object\] \(([\w\\]+)\(code: [^)]*\): (.*?) at \S+:\d+\)/
const GO_PANIC_RE = /^panic: (.*?)(?: \[recovered\])?$/
/** PHP's own error lines (CLI, php-fpm stderr, `PHP message:` in nginx's FastCGI stderr). */
const PHP_ERROR_RE = /^PHP ((?:Fatal|Parse|Recoverable fatal|Catchable fatal) error|Warning|Notice|Deprecated):\s+(.*)$/

/** The exception a single line names (a trace header or a Python final line), or null. */
export function exceptionFromLine(line: string): ExceptionInfo | null {
  let m = EXCEPTION_HEADER_RE.exec(line)
  if (m !== null) return { type: m[1], message: emptyToNull(m[2]) }
  if (line.startsWith('Exception in thread "')) {
    m = EXCEPTION_IN_THREAD_RE.exec(line)
    if (m !== null) return { type: m[1], message: emptyToNull(m[2]) }
  }
  if (line.startsWith('panic: ')) {
    m = GO_PANIC_RE.exec(line)
    return { type: 'panic', message: m === null ? line.slice(7) : m[1] }
  }
  if (line.startsWith('fatal error: ')) return { type: 'fatal error', message: line.slice(13) }
  m = PHP_ERROR_RE.exec(line)
  if (m !== null) {
    const uncaught = PHP_UNCAUGHT_RE.exec(m[2]) ?? PHP_OLD_RE.exec(m[2])
    return uncaught === null ? { type: `PHP ${m[1]}`, message: m[2] } : { type: uncaught[1], message: uncaught[2] }
  }
  m = LARAVEL_RE.exec(line)
  if (m !== null) return { type: unescapeJsonBackslashes(m[1]), message: unescapeJsonBackslashes(m[2]) }
  m = PHP_OLD_RE.exec(line)
  if (m !== null) return { type: m[1], message: m[2] }
  m = PHP_UNCAUGHT_RE.exec(line)
  if (m !== null) return { type: m[1], message: m[2] }
  m = RUBY_UNCAUGHT_RE.exec(line)
  if (m !== null) return { type: m[2], message: m[1] }
  m = RAILS_EXC_RE.exec(line)
  if (m !== null) return { type: m[1], message: m[2] }
  return null
}

/** The exception named by a whole stack text (a JSON `stack` / `exc_info` field). */
export function exceptionFromStack(stack: string): ExceptionInfo | null {
  const lines = stack.split('\n')
  if (stack.startsWith('Traceback') || stack.includes('\nTraceback (most recent call last)')) {
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = lines[i].trimEnd()
      if (line === '' || isIndented(line)) continue
      const found = exceptionFromLine(line)
      if (found !== null) return found
    }
    return null
  }
  for (const raw of lines) {
    const line = raw.trimEnd()
    if (line === '' || isFrameLine(line)) continue
    const found = exceptionFromLine(line.trimStart())
    if (found !== null) return found
    break
  }
  return null
}

/** The language a frame line belongs to, used to pick how the rest of the trace reads. */
export function frameLanguage(line: string): TraceLanguage {
  const t = line.trimStart()
  if (t.startsWith('File "')) return 'python'
  if (t.startsWith('at ')) return t.includes('.cs:line') || t.includes(' in ') ? 'dotnet' : t.includes('.js:') || t.endsWith(')') && !t.includes('.java:') ? 'node' : 'java'
  if (t.startsWith('#')) return 'php'
  if (GO_FILE_RE.test(t)) return 'go'
  if (RUBY_FRAME_RE.test(t)) return 'ruby'
  return 'generic'
}

function emptyToNull(s: string | undefined): string | null {
  return s === undefined || s === '' ? null : s
}

/** Laravel writes its exception context as JSON text, so class names arrive as `A\\B`. */
function unescapeJsonBackslashes(s: string): string {
  return s.replace(/\\\\/g, '\\').replace(/\\"/g, '"')
}
