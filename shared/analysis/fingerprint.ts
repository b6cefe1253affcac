/**
 * Exception fingerprints: what makes two stack traces "the same bug". A fingerprint is the
 * root exception's type, its message with the values masked, and the application's own
 * frames (module + function, never line or column numbers). Frames in dependencies and
 * runtimes are left out, so a library upgrade or a redeploy that shifts lines keeps the
 * fingerprint, while a different exception in the same function gets another one.
 */

import { maskMessage } from './templates/mask'
import { stableHash } from './templates/hash'
import {
  DOTNET_DEPENDENCY,
  isGoDependency,
  JAVA_DEPENDENCY,
  JAVA_GENERATED,
  NODE_DEPENDENCY,
  PHP_DEPENDENCY,
  PYTHON_DEPENDENCY,
  RUBY_DEPENDENCY,
  type TraceLanguage
} from './frames'

export type { TraceLanguage }

export interface StackFrame {
  /** Class, module or file base name. */
  module: string
  /** Function or method, with generated parts (lambda numbers, closures) normalized. */
  func: string
  /** False for dependencies, the language runtime and the standard library. */
  inApp: boolean
}

export interface ParsedTrace {
  language: TraceLanguage
  /** The root cause's type (Java `Caused by:` chain, the last Python exception, .NET inner-most). */
  errorType: string | null
  errorMessage: string | null
  /** The root cause's frames, innermost (where it was thrown) first. */
  frames: StackFrame[]
}

export interface ExceptionFingerprint {
  /** `F` + a hash of `key`: stable across runs and deploys. */
  id: string
  /** What was hashed, readable for debugging. */
  key: string
  language: TraceLanguage
  errorType: string | null
  /** The root cause's message as written (first line). */
  errorMessage: string | null
  messageTemplate: string
  /** The frames that identify the bug, as `module.func`, innermost first. */
  frames: string[]
}

/** In-app frames kept in a fingerprint: the top of the stack identifies the bug. */
const FINGERPRINT_FRAMES = 5
/** Frames used when a trace has no in-app frame at all. */
const FALLBACK_FRAMES = 3
const MAX_MESSAGE = 300

// ---------------------------------------------------------------------------------------
// Language detection

export function detectTraceLanguage(text: string): TraceLanguage {
  if (/Traceback \(most recent call last\)|^\s*File "[^"]*", line \d+/m.test(text)) return 'python'
  if (/^goroutine \d+ \[|^panic: /m.test(text)) return 'go'
  if (/^#\d+ (?:\S+\(\d+\)|\[internal function\]):|^#\d+ \{main\}|PHP (?:Fatal|Warning|Notice)/m.test(text)) return 'php'
  if (/:\d+:in [`']/.test(text)) return 'ruby'
  if (/^\s*at .*\) in .*:line \d+\s*$|\[0x[0-9a-f]+\] in |--- End of (?:inner exception )?stack trace|^\s*at System\./m.test(text))
    return 'dotnet'
  if (/^\s*at [\w$./]+\([^)]*\)(?:\s+~?\[[^\]]*\])?\s*$|^Caused by: /m.test(text)) return 'java'
  if (/^\s*at (?:.*\()?.*:\d+:\d+\)?\s*$|^\s*at .*<anonymous>/m.test(text)) return 'node'
  return 'unknown'
}

// ---------------------------------------------------------------------------------------
// Helpers

const lines = (text: string): string[] => text.split(/\r?\n/)

function baseName(path: string): string {
  const clean = path.replace(/[?#].*$/, '')
  const slash = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'))
  return slash === -1 ? clean : clean.slice(slash + 1)
}

const stripExtension = (name: string): string => name.replace(/\.(?:py|rb|php|go|js|mjs|cjs|ts|tsx|jsx|cs)$/, '')

/** `Type: message` from an exception header line, or null when the line is not one. */
function typeAndMessage(line: string): { type: string; message: string | null } | null {
  const m = /^\s*((?:[A-Za-z_$][\w$]*[.:\\]{1,2})*[A-Za-z_$][\w$]*)(?::\s*(.*))?$/.exec(line)
  if (!m) return null
  return { type: m[1], message: m[2] === undefined || m[2] === '' ? null : m[2] }
}

/** Finds an exception class name inside a line that may carry a log header before it. */
function findJavaLikeType(line: string): { type: string; message: string | null } | null {
  const m = /((?:[a-zA-Z_$][\w$]*\.)*[A-Z][\w$]*(?:Exception|Error|Throwable|Failure|Fault)[\w$]*)(?::\s*(.*))?/.exec(line)
  if (m) return { type: m[1], message: m[2] ? m[2] : null }
  return typeAndMessage(line)
}

// ---------------------------------------------------------------------------------------
// Java (and Kotlin, Scala…)

// Logback's packaging data (Spring Boot's default) follows the frame: ` ~[classes!/:0.0.1]`, ` [spring-web-5.3.23.jar:5.3.23]`.
const JAVA_FRAME = /^\s*at\s+([^\s(]+)\(([^)]*)\)(?:\s+~?\[[^\]]*\])?\s*$/

/** Generated class parts that change between builds or runs. */
function normalizeJavaClass(name: string): string {
  return name
    .replace(/\$\$Lambda(?:\$\d+)?(?:\/(?:0x)?[0-9a-fA-F]+)?/g, '$$$$Lambda')
    .replace(/\$\$(?:EnhancerBySpringCGLIB|FastClassBySpringCGLIB|EnhancerByCGLIB|SpringCGLIB)\$\$[0-9a-fA-F]+(?:_\d+)?/g, '')
    .replace(/CGLIB\$\$[\w$]*/g, '')
    .replace(/\$(?:\$)?ByteBuddy\$(?:\$)?[\w$]*/g, '')
    .replace(/\$Proxy\d+/g, '$$Proxy')
    .replace(/\$\d+/g, '$$')
}

function normalizeJavaMethod(name: string): string {
  return name.replace(/^lambda\$(.*)\$\d+$/, 'lambda$$$1').replace(/^access\$\d+$/, 'access$$')
}

function parseJavaFrame(line: string): StackFrame | null {
  const m = JAVA_FRAME.exec(line)
  if (!m) return null
  // Java 9+ prefixes a module (`java.base/`, `app//`); it says nothing about the code.
  const qualified = m[1].replace(/^[^/]*\/\/?/, '')
  const dot = qualified.lastIndexOf('.')
  if (dot === -1) return null
  const cls = normalizeJavaClass(qualified.slice(0, dot))
  const func = normalizeJavaMethod(qualified.slice(dot + 1))
  return { module: cls, func, inApp: !JAVA_DEPENDENCY.test(cls) && !JAVA_GENERATED.test(cls) }
}

interface Section {
  header: string[]
  frames: StackFrame[]
}

/** Splits a Java trace into the exception and its `Caused by:` causes, in order. */
function javaSections(text: string): Section[] {
  const sections: Section[] = []
  let current: Section = { header: [], frames: [] }
  for (const raw of lines(text)) {
    const line = raw.trimEnd()
    if (/^\s*Caused by:\s*/.test(line)) {
      sections.push(current)
      current = { header: [line.replace(/^\s*Caused by:\s*/, '')], frames: [] }
      continue
    }
    const frame = parseJavaFrame(line)
    if (frame) current.frames.push(frame)
    else if (current.frames.length === 0 && line.trim() !== '' && !/^\s*\.\.\. \d+ (?:more|common frames omitted)/.test(line))
      current.header.push(line)
  }
  sections.push(current)
  return sections.filter((s) => s.header.length > 0 || s.frames.length > 0)
}

function parseJava(text: string): ParsedTrace {
  const sections = javaSections(text)
  const root = sections[sections.length - 1] ?? { header: [], frames: [] }
  const headerLine = root.header.find((l) => findJavaLikeType(l) !== null) ?? root.header[0] ?? ''
  const head = findJavaLikeType(headerLine.replace(/^Exception in thread "[^"]*"\s*/, ''))
  // A root cause printed without frames (`... 12 more` cut them) happened inside the frames
  // of the exception that wraps it: use the nearest section that has application frames.
  let frames = root.frames
  for (let i = sections.length - 1; i >= 0 && !frames.some((f) => f.inApp); i--) if (sections[i].frames.some((f) => f.inApp)) frames = sections[i].frames
  return { language: 'java', errorType: head?.type ?? null, errorMessage: head?.message ?? null, frames }
}

// ---------------------------------------------------------------------------------------
// Python

const PYTHON_FRAME = /^\s*File "([^"]*)", line \d+(?:, in (.+))?$/

function parsePython(text: string): ParsedTrace {
  const all = lines(text)
  // A chained traceback prints the cause first; the last traceback is what reached the caller.
  let start = 0
  all.forEach((line, i) => {
    if (/^Traceback \(most recent call last\):/.test(line.trim())) start = i
  })
  const frames: StackFrame[] = []
  let errorType: string | null = null
  let errorMessage: string | null = null
  for (const line of all.slice(start)) {
    const m = PYTHON_FRAME.exec(line)
    if (m) {
      frames.push({ module: stripExtension(baseName(m[1])), func: m[2]?.trim() ?? '<module>', inApp: !PYTHON_DEPENDENCY.test(m[1]) })
      continue
    }
    if (/^\S/.test(line) && !/^Traceback /.test(line)) {
      const head = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/.exec(line.trim())
      if (head) {
        errorType = head[1]
        errorMessage = head[2] ? head[2] : null
      }
    }
  }
  return { language: 'python', errorType, errorMessage, frames: frames.reverse() }
}

// ---------------------------------------------------------------------------------------
// Node.js / V8

const NODE_FRAME = /^\s*at\s+(?:(.*?)\s+\((.*)\)|(.*))\s*$/

function normalizeNodeFunction(name: string): string {
  const clean = name
    .replace(/\s*\[as [^\]]+\]$/, '')
    .replace(/^async\s+/, '')
    .replace(/^new\s+/, '')
    .trim()
  if (clean === '' || clean === 'Object.<anonymous>' || /<anonymous>$/.test(clean)) return '<anonymous>'
  return clean
}

function parseNodeFrame(line: string): StackFrame | null {
  const m = NODE_FRAME.exec(line)
  if (!m) return null
  const func = m[1] !== undefined ? m[1] : ''
  const location = (m[2] ?? m[3] ?? '').trim()
  // `at functionName` with no location at all (browser traces) still names a function.
  const hasLocation = /:\d+(?::\d+)?$|^native$|^<anonymous>$|^unknown location$/.test(location)
  const file = hasLocation ? location.replace(/(?::\d+){1,2}$/, '') : ''
  const name = hasLocation ? func : m[2] === undefined ? location : func
  return {
    module: file === '' ? '' : stripExtension(baseName(file.replace(/^file:\/\//, ''))),
    func: normalizeNodeFunction(name),
    inApp: file !== '' && !NODE_DEPENDENCY.test(file)
  }
}

function parseNode(text: string): ParsedTrace {
  const all = lines(text)
  const frames: StackFrame[] = []
  let head: { type: string; message: string | null } | null = null
  for (const line of all) {
    if (/^\s*at\s/.test(line)) {
      const frame = parseNodeFrame(line)
      if (frame) frames.push(frame)
    } else if (frames.length === 0 && head === null && line.trim() !== '') head = findJavaLikeType(line.trim())
  }
  return { language: 'node', errorType: head?.type ?? null, errorMessage: head?.message ?? null, frames }
}

// ---------------------------------------------------------------------------------------
// Go

function normalizeGoFunction(func: string): string {
  // Closures are numbered by position in the source (`handler.func1`, `func2.1`).
  return func.replace(/\.func\d+(?:\.\d+)*/g, '.func').replace(/\.gowrap\d+/g, '.gowrap')
}

function parseGo(text: string): ParsedTrace {
  const all = lines(text)
  let errorType: string | null = null
  let errorMessage: string | null = null
  const panic = all.find((l) => /^(?:panic|fatal error): |http: panic serving \S+: /.test(l))
  if (panic) {
    const m = /^(panic|fatal error): (.*)$/.exec(panic) ?? /http: (panic) serving \S+: (.*)$/.exec(panic)
    errorType = m ? m[1] : 'panic'
    errorMessage = m ? m[2].replace(/\s*\[recovered\]$/, '') : null
    const runtime = /^(runtime error): (.*)$/.exec(errorMessage ?? '')
    if (runtime) {
      errorType = runtime[1]
      errorMessage = runtime[2]
    }
  }
  // Only the goroutine that panicked ([running]) matters; the others are bystanders.
  let start = all.findIndex((l) => /^goroutine \d+ \[running\]:/.test(l))
  if (start === -1) start = all.findIndex((l) => /^goroutine \d+ \[/.test(l))
  const frames: StackFrame[] = []
  for (let i = start + 1; start !== -1 && i < all.length; i++) {
    const line = all[i]
    if (line.trim() === '' || /^goroutine \d+ \[/.test(line)) break
    if (/^\s/.test(line)) continue
    const call = line
      .trim()
      .replace(/^created by /, '')
      .replace(/ in goroutine \d+$/, '')
    // The arguments are the last parenthesized group: `net/http.(*conn).serve(0xc0…)`.
    const args = call.endsWith(')') ? call.lastIndexOf('(') : -1
    const fileLine = all[i + 1] ?? ''
    const file = (/^\s+(\S+?):\d+/.exec(fileLine) ?? [])[1] ?? ''
    const func = normalizeGoFunction(args > 0 ? call.slice(0, args) : call)
    if (func === 'panic' || func.startsWith('runtime.')) {
      frames.push({ module: baseName(file), func, inApp: false })
      continue
    }
    frames.push({ module: stripExtension(baseName(file)), func, inApp: !isGoDependency(func, file) })
  }
  return { language: 'go', errorType, errorMessage, frames }
}

// ---------------------------------------------------------------------------------------
// Ruby

const RUBY_FRAME = /^\s*(?:from\s+)?(.+?):\d+:in [`'](.*)'\s*$/

function normalizeRubyMethod(name: string): string {
  return name.replace(/^(?:block|rescue|ensure)(?: \(\d+ levels\))? in /, '').replace(/^<(?:top \(required\)|main)>$/, '<main>')
}

function parseRuby(text: string): ParsedTrace {
  const frames: StackFrame[] = []
  let errorType: string | null = null
  let errorMessage: string | null = null
  for (const line of lines(text)) {
    const classic = /:in [`'][^']*': (.*) \(([A-Z][\w:]*)\)\s*$/.exec(line)
    if (classic && errorType === null) {
      errorType = classic[2]
      errorMessage = classic[1]
    }
    const rails = /^\s*([A-Z][\w:]*) \((.*)\):?\s*$/.exec(line)
    if (rails && errorType === null) {
      errorType = rails[1]
      errorMessage = rails[2]
      continue
    }
    const m = RUBY_FRAME.exec(line.replace(/: .* \([A-Z][\w:]*\)\s*$/, ''))
    if (!m) continue
    frames.push({ module: stripExtension(baseName(m[1])), func: normalizeRubyMethod(m[2]), inApp: !RUBY_DEPENDENCY.test(m[1]) })
  }
  return { language: 'ruby', errorType, errorMessage, frames }
}

// ---------------------------------------------------------------------------------------
// PHP

const PHP_FRAME = /^\s*#\d+\s+(?:(.+?)\(\d+\)|\[internal function\]):\s*(.+?)\s*$/

function normalizePhpFunction(call: string): string {
  const name = call.replace(/\(.*$/, '')
  return name === '' ? call : name
}

function parsePhp(text: string): ParsedTrace {
  const frames: StackFrame[] = []
  let head: { type: string; message: string | null } | null = null
  for (const line of lines(text)) {
    const m = PHP_FRAME.exec(line)
    if (m) {
      const file = m[1] ?? ''
      const func = normalizePhpFunction(m[2])
      frames.push({ module: file === '' ? '' : stripExtension(baseName(file)), func, inApp: file !== '' && !PHP_DEPENDENCY.test(file) })
      continue
    }
    if (head) continue
    const classic = /exception '([^']+)' with message '(.*)' in /i.exec(line)
    const uncaught = /Uncaught ([\w\\]+): (.*?) in \S+:\d+/.exec(line)
    const laravel = /\(([\w\\]+)\(code: \w+\): (.*?) at \S+:\d+\)/.exec(line)
    const found = classic ?? uncaught ?? laravel
    if (found) head = { type: found[1], message: found[2] }
  }
  return { language: 'php', errorType: head?.type ?? null, errorMessage: head?.message ?? null, frames }
}

// ---------------------------------------------------------------------------------------
// .NET

const DOTNET_FRAME = /^\s*at\s+([^(\s]+(?:\s[^(\s]+)*?)\s?\(.*?\)(?:\s+\[0x[0-9a-f]+\])?(?:\s+in\s+.*)?\s*$/

function normalizeDotnetName(qualified: string): { module: string; func: string } {
  let generic = qualified.replace(/`\d+/g, '')
  // Generic arguments nest (`Dictionary[String,Dictionary[Int32,Double]]`): peel inner-most first.
  for (let previous = ''; previous !== generic; ) {
    previous = generic
    generic = generic.replace(/\[[^[\]]*\]/g, '')
  }
  const clean = generic
    .replace(/[.+]?<(\w+)>[a-z]__\w+/g, '.$1')
    .replace(/\.<>[a-z]__\w+/g, '.<lambda>')
    .replace(/\.MoveNext$/, '')
    .replace(/\+/g, '.')
  const dot = clean.lastIndexOf('.')
  return dot === -1 ? { module: '', func: clean } : { module: clean.slice(0, dot), func: clean.slice(dot + 1) }
}

function parseDotnet(text: string): ParsedTrace {
  const all = lines(text)
  const frames: StackFrame[] = []
  let headLine = ''
  for (const line of all) {
    // The inner exception's frames come first and end at this marker: they are the root cause's.
    if (/--- End of inner exception stack trace ---/.test(line)) break
    const m = DOTNET_FRAME.exec(line)
    if (m && /^\s*at\s/.test(line)) {
      const { module, func } = normalizeDotnetName(m[1].replace(/\s+/g, ''))
      frames.push({ module, func, inApp: !DOTNET_DEPENDENCY.test(module) })
    } else if (frames.length === 0 && headLine === '' && line.trim() !== '') headLine = line.trim()
  }
  const innermost = headLine.split(' ---> ').pop() ?? ''
  const head = findJavaLikeType(innermost)
  return { language: 'dotnet', errorType: head?.type ?? null, errorMessage: head?.message ?? null, frames }
}

// ---------------------------------------------------------------------------------------

export function parseStackTrace(text: string): ParsedTrace {
  const language = detectTraceLanguage(text)
  switch (language) {
    case 'java':
      return parseJava(text)
    case 'python':
      return parsePython(text)
    case 'node':
      return parseNode(text)
    case 'go':
      return parseGo(text)
    case 'ruby':
      return parseRuby(text)
    case 'php':
      return parsePhp(text)
    case 'dotnet':
      return parseDotnet(text)
    default: {
      const first = lines(text).find((l) => l.trim() !== '') ?? ''
      const head = findJavaLikeType(first.trim())
      return { language, errorType: head?.type ?? null, errorMessage: head?.message ?? null, frames: [] }
    }
  }
}

const frameName = (f: StackFrame): string => (f.module === '' ? f.func : `${f.module}.${f.func}`)

/** Recursion repeats frames; a deeper recursion is the same bug. */
function collapseRepeats(names: string[]): string[] {
  return names.filter((name, i) => i === 0 || names[i - 1] !== name)
}

export function messageTemplate(message: string | null): string {
  if (message === null) return ''
  const firstLine = message.split(/\r?\n/)[0].slice(0, MAX_MESSAGE)
  return maskMessage(firstLine)
}

/**
 * The fingerprint of a folded stack trace. `hint` carries what the log format already knew
 * (a JSON log's `error.type`); the trace's own root cause wins when it names one.
 */
export function fingerprintTrace(stack: string, hint: { errorType?: string | null; errorMessage?: string | null } = {}): ExceptionFingerprint {
  const parsed = parseStackTrace(stack)
  const errorType = parsed.errorType ?? hint.errorType ?? null
  const message = parsed.errorType !== null ? parsed.errorMessage : (hint.errorMessage ?? parsed.errorMessage)
  const inApp = parsed.frames.filter((f) => f.inApp)
  const chosen = inApp.length > 0 ? inApp : parsed.frames.slice(0, FALLBACK_FRAMES)
  const frames = collapseRepeats(chosen.map(frameName)).slice(0, FINGERPRINT_FRAMES)
  const template = messageTemplate(message)
  const key = [parsed.language, errorType ?? '', template, ...frames].join('\n')
  const errorMessage = message === null ? null : message.split(/\r?\n/)[0]
  return { id: `F${stableHash(key)}`, key, language: parsed.language, errorType, errorMessage, messageTemplate: template, frames }
}
