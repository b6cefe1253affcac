/**
 * The one place the startup banners of the common stacks are known: each pattern with a line in
 * the shape that stack writes it (tests/unit/deploys/banners.test.ts reads every sample).
 *
 * Groups: `version` is the APPLICATION's version (a new one means a deploy); `server` is the
 * version of the server or framework that booted it (gunicorn 21.2.0, Puma 6.4.0, Rails 7.1.2):
 * it says the process started, never which release of the app it runs.
 */

export type BannerKind =
  /** The process (re)started: a restart, or a deploy when it brought a version not running before. */
  | 'start'
  /** The platform released a version (Heroku's `Release v145 created by …`): a deploy in itself. */
  | 'release'

export interface BannerPattern {
  id: string
  stack: string
  kind: BannerKind
  /** Unanchored where a line may carry a prefix (unparsed lines keep their timestamp). */
  pattern: RegExp
  sample: string
  /** What the sample yields: the app's version, and the server's own version. */
  expect: { version: string | null; server: string | null }
}

/** A version token: `3.8.1`, `v2.14.0`, `2024.01.15-rc1`, `1.4.2+build.7`, a git sha. */
const V = String.raw`v?\d[\w.+-]*`

export const BANNERS: readonly BannerPattern[] = [
  {
    id: 'spring-boot-starting',
    stack: 'Spring Boot',
    kind: 'start',
    // 2.x writes "on <host> with PID", 3.x "using Java 17 with PID"; the version only when the jar's manifest has one.
    pattern: new RegExp(String.raw`\bStarting (?<app>[A-Z]\w*)(?: (?<version>${V}))? (?:using Java|on \S+ with PID)\b`),
    sample: 'Starting OrdersApplication v3.8.1 using Java 17.0.9 with PID 1 (/app/orders.jar started by spring in /app)',
    expect: { version: '3.8.1', server: null }
  },
  {
    id: 'spring-boot-started',
    stack: 'Spring Boot',
    kind: 'start',
    pattern: /\bStarted (?<app>[A-Z]\w*) in \d+(?:\.\d+)? seconds\b/,
    sample: 'Started OrdersApplication in 4.217 seconds (process running for 4.902)',
    expect: { version: null, server: null }
  },
  {
    id: 'puma-starting',
    stack: 'Rails/Puma',
    kind: 'start',
    pattern: /\bPuma starting in (?:single|cluster) mode\b/,
    sample: 'Puma starting in single mode...',
    expect: { version: null, server: null }
  },
  {
    id: 'puma-version',
    stack: 'Rails/Puma',
    kind: 'start',
    // Puma's own version (5.x: `* Version 5.6.4 (ruby …)`, 6.x: `* Puma version: 6.4.0 (ruby …)`), not the app's.
    pattern: /(?:^|\s)\* (?:Puma version:|Version) (?<server>\d+\.\d+\.\d+)\b/,
    sample: '* Puma version: 6.4.0 (ruby 3.2.2-p53) ("The Eagle of Durango")',
    expect: { version: null, server: '6.4.0' }
  },
  {
    id: 'rails-booting',
    stack: 'Rails',
    kind: 'start',
    pattern: /=> Rails (?<server>\d+\.\d+\.\d+(?:\.\d+)?) application starting in \w+/,
    sample: '=> Rails 7.1.2 application starting in production ',
    expect: { version: null, server: '7.1.2' }
  },
  {
    id: 'gunicorn-starting',
    stack: 'gunicorn',
    kind: 'start',
    // gunicorn's version: the Django/Flask app's own is not in this line.
    pattern: /\bStarting gunicorn (?<server>\d+\.\d+(?:\.\d+)?)\b/,
    sample: '[2024-03-12 08:00:03 +0000] [1] [INFO] Starting gunicorn 21.2.0',
    expect: { version: null, server: '21.2.0' }
  },
  {
    id: 'uvicorn-started',
    stack: 'uvicorn',
    kind: 'start',
    pattern: /\bStarted server process \[\d+\]/,
    sample: 'INFO:     Started server process [1]',
    expect: { version: null, server: null }
  },
  {
    id: 'django-runserver',
    stack: 'Django',
    kind: 'start',
    pattern: /\bDjango version (?<server>\d+\.\d+(?:\.\d+)?), using settings\b/,
    sample: "Django version 4.2.7, using settings 'shop.settings'",
    expect: { version: null, server: '4.2.7' }
  },
  {
    id: 'laravel-serve',
    stack: 'Laravel',
    kind: 'start',
    pattern: /\b(?:Server|Octane server) running on \[?https?:\/\/\S+/,
    sample: '   INFO  Server running on [http://0.0.0.0:8000].',
    expect: { version: null, server: null }
  },
  {
    id: 'node-listening',
    stack: 'Node',
    kind: 'start',
    pattern: /\b(?:[Ss]erver|[Aa]pp(?:lication)?|HTTP server|Express server|API) (?:is )?(?:listening|running) (?:on|at)\b/,
    sample: 'Server listening on http://0.0.0.0:3000',
    expect: { version: null, server: null }
  },
  {
    id: 'nest-started',
    stack: 'Node (NestJS)',
    kind: 'start',
    pattern: /\bNest application successfully started\b/,
    sample: '[Nest] 1  - 03/12/2024, 8:00:04 AM     LOG [NestApplication] Nest application successfully started +4ms',
    expect: { version: null, server: null }
  },
  {
    id: 'starting-message',
    stack: 'Node (pino), Go (slog, zap)',
    kind: 'start',
    // The whole message is the banner (pino `{"msg":"starting","version":"2.3.1"}`, slog `msg="starting server" version=1.4.2`); the version comes from the record's version field or the text after it.
    pattern: new RegExp(String.raw`^(?:starting|started|starting (?:up|server|http server|api server|service|app|application)|(?:server|service|app|application) (?:starting|started))\.?(?:\s+version[=:]\s*"?(?<version>${V}))?"?$`, 'i'),
    sample: 'starting server version=1.4.2',
    expect: { version: '1.4.2', server: null }
  },
  {
    id: 'aspnet-listening',
    stack: 'ASP.NET Core',
    kind: 'start',
    pattern: /\bNow listening on: \S+/,
    sample: 'Now listening on: http://[::]:8080',
    expect: { version: null, server: null }
  },
  {
    id: 'aspnet-started',
    stack: 'ASP.NET Core',
    kind: 'start',
    pattern: /\bApplication started\. Press Ctrl\+C to shut down\./,
    sample: 'Application started. Press Ctrl+C to shut down.',
    expect: { version: null, server: null }
  },
  {
    id: 'php-fpm-ready',
    stack: 'Laravel/PHP (php-fpm)',
    kind: 'start',
    pattern: /\bNOTICE: (?:fpm is running, pid \d+|ready to handle connections)\b/,
    sample: '[12-Mar-2024 08:00:02] NOTICE: fpm is running, pid 1',
    expect: { version: null, server: null }
  },
  {
    id: 'app-version-line',
    stack: 'any (a startup line naming the app version)',
    kind: 'start',
    // `App version: 2.3.1`, `Application version 2.3.1 starting`, `release=2024.03.12-1`, `build: 9f2c1ab`.
    pattern: new RegExp(String.raw`\b(?:[Aa]pp(?:lication)?|[Ss]ervice|[Rr]elease|[Bb]uild) ?(?:[Vv]ersion)?[=:] ?"?(?<version>${V})"?(?:\s+(?:starting|started|booting)\b|$)`),
    sample: 'App version: 2.3.1',
    expect: { version: '2.3.1', server: null }
  },
  {
    id: 'heroku-release',
    stack: 'Heroku',
    kind: 'release',
    pattern: /\bRelease (?<version>v\d+) created by \S/,
    sample: '2024-03-12T08:00:01.000000+00:00 app[api]: Release v145 created by user deploy@example.com',
    expect: { version: 'v145', server: null }
  }
]

/** Cheap pre-check before the patterns: most app lines mention none of these words. */
const HINT = /start|listen|version|release|booting|running|fpm|ready to handle|\* /i

export interface BannerMatch {
  pattern: BannerPattern
  version: string | null
  server: string | null
}

/** The banner a line (an app event's message, or an unparsed line) is, if any: the first pattern that matches. */
export function matchBanner(text: string): BannerMatch | null {
  if (text.length > 400 || !HINT.test(text)) return null
  for (const pattern of BANNERS) {
    const m = pattern.pattern.exec(text)
    if (m === null) continue
    return { pattern, version: cleanVersion(m.groups?.version), server: m.groups?.server ?? null }
  }
  return null
}

/** `v3.8.1` and `3.8.1` are one version: the leading `v` kept only for Heroku-style release numbers. */
export function cleanVersion(raw: string | undefined | null): string | null {
  if (raw === undefined || raw === null) return null
  const v = raw.trim().replace(/^"|"$/g, '')
  if (v === '') return null
  return /^v\d+\.\d/.test(v) ? v.slice(1) : v
}

/** How two sources name one version: `v3.8.1`, `3.8.1` and `orders:3.8.1` compare equal. */
export function sameVersion(a: string, b: string): boolean {
  const norm = (v: string): string => v.slice(v.lastIndexOf(':') + 1).replace(/^v(?=\d)/i, '').toLowerCase()
  return norm(a) === norm(b)
}
