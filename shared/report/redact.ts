/**
 * Secrets and personal data out of report text: each match becomes `[REDACTED:kind]`.
 * Specific token shapes run first (so the kind says what it was), then headers, then
 * key=value / JSON fields by key name, then URL credentials and emails. Running it twice
 * changes nothing more: a value already `[REDACTED:…]` is never matched again.
 */

type Replacer = (match: string, ...groups: string[]) => string

interface Rule {
  kind: string
  pattern: RegExp
  /** Keeps the parts around the secret; the default replaces the whole match. */
  keep?: (groups: string[]) => [before: string, after: string]
}

const marker = (kind: string): string => `[REDACTED:${kind}]`
const NOT_REDACTED = '(?!\\[REDACTED:)'

/** Key names whose values are secrets; a key may carry prefixes (`db_password`, `x-api-key`, `aws_secret_access_key`). */
const SECRET_KEYS: [kind: string, names: string][] = [
  ['password', 'password|passwd|passphrase|pwd|pass'],
  ['secret', 'secret(?:[_-]?access)?(?:[_-]?key)?|client[_-]?secret'],
  ['token', 'token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|csrf[_-]?token'],
  ['api-key', 'api[_-]?key|apikey|api[_-]?secret|private[_-]?key'],
  ['cookie', 'session|session[_-]?id|sessionid|jsessionid|phpsessid|connect\\.sid|sid'],
  ['authorization', 'authorization|proxy-authorization'],
  ['cookie', 'cookie|set-cookie']
]
const KEY_PREFIX = '(?:[A-Za-z0-9]+[_.-])*'
const kindOfKey = (key: string): string => {
  for (const [kind, names] of SECRET_KEYS) if (new RegExp(`^${KEY_PREFIX}(?:${names})$`, 'i').test(key)) return kind
  return 'secret'
}
const ANY_SECRET_KEY = `${KEY_PREFIX}(?:${SECRET_KEYS.map(([, names]) => names).join('|')})`

const RULES: Rule[] = [
  { kind: 'private-key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  { kind: 'api-key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  {
    kind: 'aws-secret',
    pattern: /(aws_secret_access_key\\?["']?\s*[=:]\s*\\?["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keep: (g) => [g[0], '']
  },
  { kind: 'github-token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})/g },
  { kind: 'slack-token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/g },
  { kind: 'google-api-key', pattern: /\bAIza[0-9A-Za-z_-]{35}/g },
  // Header lines: the whole value (Digest and cookie lists contain spaces, commas, semicolons).
  {
    kind: 'authorization',
    pattern: new RegExp(`(\\b(?:proxy-)?authorization[ \\t]*:[ \\t]*)${NOT_REDACTED}([^\\s"'}][^\\r\\n"'}]*)`, 'gi'),
    keep: (g) => [g[0], '']
  },
  { kind: 'cookie', pattern: new RegExp(`(\\b(?:set-)?cookie[ \\t]*:[ \\t]*)${NOT_REDACTED}([^\\s"'}][^\\r\\n"'}]*)`, 'gi'), keep: (g) => [g[0], ''] },
  // curl credentials: -u user:pass, -b/--cookie 'a=b'
  { kind: 'password', pattern: new RegExp(`((?:^|\\s)(?:-u|--user)\\s+["']?[^\\s:"']+:)${NOT_REDACTED}([^\\s"']+)`, 'g'), keep: (g) => [g[0], ''] },
  { kind: 'cookie', pattern: new RegExp(`((?:^|\\s)(?:-b|--cookie)\\s+)(["'])${NOT_REDACTED}([^"']*)\\2`, 'g'), keep: (g) => [`${g[0]}${g[1]}`, g[1]] },
  { kind: 'bearer', pattern: new RegExp(`(\\bbearer\\s+)${NOT_REDACTED}([A-Za-z0-9\\-._~+/]+=*)`, 'gi'), keep: (g) => [g[0], ''] }
]

/** `"password": "…"` (also escaped JSON inside a string: `\"password\":\"…\"`) and non-string values. */
const JSON_FIELD = new RegExp(`((\\\\?)"(${ANY_SECRET_KEY})\\2"\\s*:\\s*)(?:(\\2")${NOT_REDACTED}((?:[^"\\\\\\r\\n]|\\\\(?!"))*)|${NOT_REDACTED}([^\\s,}\\]"]+))`, 'gi')

/** `password=…`, `token: …`, `?api_key=…&`, quoted or not. */
const KEY_VALUE = new RegExp(`(?<![A-Za-z0-9_.-])(${ANY_SECRET_KEY})(\\s*[=:]\\s*)(?:(["'])${NOT_REDACTED}([^"'\\r\\n]*)\\3|${NOT_REDACTED}([^\\s"'&,;<>)}\\]]+))`, 'gi')

const URL_CREDENTIALS = new RegExp(`(\\b[a-z][a-z0-9+.-]*://[^\\s:@/?#]+:)${NOT_REDACTED}([^\\s@/?#]+)(@)`, 'gi')

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g

/** Redacts one text; `counter.n` grows by the number of values replaced. */
export function redactCounting(text: string, counter: { n: number }): string {
  let out = text
  const apply = (pattern: RegExp, replace: Replacer): void => {
    out = out.replace(pattern, replace)
  }
  for (const rule of RULES) {
    apply(rule.pattern, (match, ...rest) => {
      counter.n++
      if (!rule.keep) return marker(rule.kind)
      const [before, after] = rule.keep(rest)
      return `${before}${marker(rule.kind)}${after}`
    })
  }
  apply(JSON_FIELD, (_m, head: string, esc: string, key: string, open: string | undefined) => {
    counter.n++
    const kind = kindOfKey(key)
    return open !== undefined ? `${head}${open}${marker(kind)}` : `${head}${esc}"${marker(kind)}${esc}"`
  })
  apply(KEY_VALUE, (_m, key: string, sep: string, quote: string | undefined) => {
    counter.n++
    const kind = kindOfKey(key)
    return quote !== undefined ? `${key}${sep}${quote}${marker(kind)}${quote}` : `${key}${sep}${marker(kind)}`
  })
  apply(URL_CREDENTIALS, (_m, head: string, _secret: string, at: string) => {
    counter.n++
    return `${head}${marker('password')}${at}`
  })
  apply(EMAIL, () => {
    counter.n++
    return marker('email')
  })
  return out
}

/** Replaces secrets and personal data in `text` by `[REDACTED:kind]`. */
export function redact(text: string): string {
  return redactCounting(text, { n: 0 })
}

/** A deep copy with every string value redacted (object keys are code-defined names and stay). */
export function redactDeep<T>(value: T, counter: { n: number } = { n: 0 }): T {
  return walk(value, counter) as T
}

function walk(value: unknown, counter: { n: number }): unknown {
  if (typeof value === 'string') return redactCounting(value, counter)
  if (Array.isArray(value)) return value.map((v) => walk(v, counter))
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = walk(v, counter)
    return out
  }
  return value
}
