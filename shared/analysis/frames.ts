/**
 * The one home of the stack-frame rules: which lines of a trace are frames, and which frames are
 * the service's own code rather than a dependency, the language runtime or its standard library.
 * The fingerprint (which frames identify a bug), the runbook's trace view (which frames to
 * highlight) and the report's trimmed traces (which lines are frames to count) all read them here.
 */

export type TraceLanguage = 'java' | 'python' | 'node' | 'go' | 'ruby' | 'php' | 'dotnet' | 'unknown'

/** Frame shapes: Java/JS/.NET `at …`, Python `File "…"`, PHP `#0 …` (not `{main}`), Ruby/Go/PHP `path:line`, Ruby `from path:line`. */
const FRAME_LINE = [/^\s+at\s/, /^\s*File "[^"]+", line \d+/, /^\s*#\d+\s+(?!\{main\})/, /^\s+\S+\.(?:rb|go|php|py|js|ts|mjs|cjs|java|kt|scala|cs|ex|exs):\d+/, /^\s*from\s\S+:\d+/]

export const isFrameLine = (line: string): boolean => FRAME_LINE.some((re) => re.test(line))

// ---- dependencies, per language -----------------------------------------------------------

/** Java (and Kotlin, Scala…) classes of the runtime and common frameworks. */
export const JAVA_DEPENDENCY =
  /^(?:java|javax|jakarta|sun|com\.sun|jdk|kotlin|kotlinx|scala|org\.springframework|org\.apache\.(?:catalina|coyote|tomcat)|org\.eclipse\.jetty|org\.mortbay|io\.netty|io\.undertow|org\.hibernate|com\.fasterxml|reactor|net\.bytebuddy|org\.junit|org\.glassfish|com\.zaxxer)\./
/** Generated classes (proxies, lambdas) are never where the fix goes. */
export const JAVA_GENERATED = /^(?:\$Proxy|jdk\.internal|com\.sun\.proxy)|^\$\$Lambda$/
export const PYTHON_DEPENDENCY = /[\\/](?:site-packages|dist-packages)[\\/]|[\\/]lib[\\/]python\d(?:\.\d+)?[\\/]|^<frozen |[\\/]third_party[\\/]|[\\/]python\d+_lib[\\/]/
export const NODE_DEPENDENCY = /[\\/]node_modules[\\/]|^node:|^internal[\\/]|^native$|^<anonymous>$|^unknown location$|^eval at /
export const RUBY_DEPENDENCY = /[\\/]gems[\\/]|[\\/]rubygems[\\/]|[\\/]lib[\\/]ruby[\\/]\d|^[\w-]+ \(\d[\w.]*\) /
export const PHP_DEPENDENCY = /[\\/]vendor[\\/]/
export const DOTNET_DEPENDENCY = /^(?:System|Microsoft|Mono|Newtonsoft|Npgsql|NHibernate)\./

const GO_STDLIB = new Set(
  'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect regexp runtime slices sort strconv strings sync syscall testing text time unicode unique unsafe'.split(' ')
)
/** Module cache, vendored code, the runtime, and GOROOT's sources. */
const GO_DEPENDENCY_PATH = /[\\/]pkg[\\/]mod[\\/]|[\\/]vendor[\\/]|[\\/]go[\\/]src[\\/]runtime[\\/]|^\/usr\/local\/go\/src\//

/** A Go frame by its function (`net/http.(*conn).serve`: standard library) and file. */
export function isGoDependency(func: string, file: string): boolean {
  if (GO_DEPENDENCY_PATH.test(file)) return true
  if (func === '') return false
  const path = func.slice(0, func.indexOf('.', func.lastIndexOf('/') + 1))
  const first = path.split('/')[0]
  return !first.includes('.') && GO_STDLIB.has(first)
}

// ---- one line ------------------------------------------------------------------------------

export type FrameKind = 'app' | 'library' | 'text'

const JAVA_OR_DOTNET_AT = /^\s*at\s+([^\s(]+)\(/
const PYTHON_AT = /^\s*File "([^"]*)", line \d+/
const NODE_AT = /^\s*at\s+(?:.*?\s+\((.*?)(?::\d+){1,2}\)|(\S+?)(?::\d+){1,2})\s*$/
const RUBY_AT = /^\s*(?:from\s+)?(.+?):\d+:in [`']/
const PHP_AT = /^\s*#\d+\s+(?:(.+?)\(\d+\)|\[internal function\]):/
const GO_FILE = /^\s+(\S+\.go):\d+/
/** Any of the path rules, for frame shapes no language rule above recognises. */
const ANY_DEPENDENCY_PATH = [PYTHON_DEPENDENCY, /[\\/]node_modules[\\/]|\bnode:internal\b|\(node:[a-z_]+|<anonymous>|\[native code\]|\(native\)/, RUBY_DEPENDENCY, PHP_DEPENDENCY, GO_DEPENDENCY_PATH]

/** One line of a folded trace: a frame of the service's own code, a library frame, or not a frame. */
export function frameKind(line: string): FrameKind {
  if (!isFrameLine(line)) return 'text'
  const own = (dependency: boolean): FrameKind => (dependency ? 'library' : 'app')
  const python = PYTHON_AT.exec(line)
  if (python) return own(PYTHON_DEPENDENCY.test(python[1]))
  const node = NODE_AT.exec(line)
  if (node) return own(NODE_DEPENDENCY.test((node[1] ?? node[2]).replace(/^file:\/\//, '')))
  const qualified = JAVA_OR_DOTNET_AT.exec(line)
  if (qualified) {
    // Java 9+ prefixes a module (`java.base/`, `app//`); it says nothing about the code.
    const name = qualified[1].replace(/^[^/]*\/\/?/, '')
    return own(JAVA_DEPENDENCY.test(name) || JAVA_GENERATED.test(name) || DOTNET_DEPENDENCY.test(name))
  }
  const php = PHP_AT.exec(line)
  if (php) return own(php[1] === undefined || PHP_DEPENDENCY.test(php[1]))
  const ruby = RUBY_AT.exec(line)
  if (ruby) return own(RUBY_DEPENDENCY.test(ruby[1]))
  const go = GO_FILE.exec(line)
  if (go) return own(isGoDependency('', go[1]))
  return own(ANY_DEPENDENCY_PATH.some((re) => re.test(line)))
}
