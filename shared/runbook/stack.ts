/** A line of a folded stack trace, classified so the screen can highlight the application's own frames. */
export interface StackLine {
  text: string
  /** `app`: a frame in the service's own code; `library`: runtime or third-party; `text`: not a frame. */
  kind: 'app' | 'library' | 'text'
}

/** Frame shapes: Java/JS `at …`, Python `File "…"`, Ruby/Go/PHP `path:line`, .NET `at X in file:line`. */
const FRAME = [/^\s+at\s/, /^\s*File "[^"]+", line \d+/, /^\s*#\d+\s/, /^\s+\S+\.(?:rb|go|php|py|js|ts|mjs|cjs|java|kt|scala|cs|ex|exs):\d+/, /^\s*from\s\S+:\d+/]

/** Frames in runtimes, standard libraries and dependencies: not where the fix goes. */
const LIBRARY = [
  /node_modules[\\/]/,
  /site-packages[\\/]/,
  /dist-packages[\\/]/,
  /[\\/]lib[\\/]python\d/,
  /\bnode:internal\b/,
  /\(node:[a-z_]+/,
  /\binternal[\\/](?:process|modules|timers|streams)/,
  /^\s+at (?:java|javax|jdk|sun|com\.sun|kotlin|kotlinx|scala|groovy)\./,
  /^\s+at (?:org\.springframework|org\.apache|org\.hibernate|io\.netty|com\.fasterxml|reactor\.|io\.undertow|org\.eclipse\.jetty|com\.zaxxer)\./,
  /^\s+at (?:System|Microsoft)\./,
  /[\\/](?:gems|vendor|bundle)[\\/]/,
  /[\\/]go[\\/]pkg[\\/]mod[\\/]/,
  /[\\/]usr[\\/]local[\\/]go[\\/]src[\\/]/,
  /^\s*runtime[/.]/,
  /<anonymous>|\[native code\]|\(native\)/
]

export function classifyStack(text: string): StackLine[] {
  return text.split(/\r?\n/).map((line) => {
    if (!FRAME.some((re) => re.test(line))) return { text: line, kind: 'text' }
    return { text: line, kind: LIBRARY.some((re) => re.test(line)) ? 'library' : 'app' }
  })
}
