/**
 * Secrets and personal data out of report text: each match becomes `[REDACTED:kind]`.
 * Specific token shapes run first (so the kind says what it was: an AWS key id and the
 * high-entropy secret written beside it, card numbers that pass the Luhn check, …), then
 * headers, then key=value / JSON fields by key name, then URL credentials and emails.
 * Running it twice changes nothing more: a value already `[REDACTED:…]` is never matched again.
 *
 * `isSecretKeyName` is the one rule for "this key holds a secret" that code reading
 * key/value data (query strings, record ids) uses, so a secret is never taken for data.
 */

type Replacer = (match: string, ...groups: string[]) => string

interface Rule {
  kind: string
  pattern: RegExp
  /** Keeps the parts around the secret; the default replaces the whole match. */
  keep?: (groups: string[]) => [before: string, after: string]
  /** A further check of the match (its groups); the default redacts every match. */
  when?: (groups: string[]) => boolean
}

const marker = (kind: string): string => `[REDACTED:${kind}]`
const NOT_REDACTED = '(?!\\[REDACTED:)'

/** Key names whose values are secrets; a key may carry prefixes (`db_password`, `x-api-key`, `aws_secret_access_key`). */
const SECRET_KEYS: [kind: string, names: string][] = [
  ['password', 'password|passwd|passphrase|pwd|pass'],
  ['secret', 'secret(?:[_-]?access)?(?:[_-]?key)?|client[_-]?secret|credentials?|signature'],
  ['token', 'token|access[_-]?token|refresh[_-]?token|id[_-]?token|auth[_-]?token|csrf[_-]?token'],
  ['api-key', 'api[_-]?key|apikey|api[_-]?secret|private[_-]?key|access[_-]?key'],
  ['cookie', 'session|session[_-]?(?:id|key|token)|sessionid|jsessionid|phpsessid|connect\\.sid|sid'],
  ['authorization', 'authorization|proxy-authorization'],
  ['cookie', 'cookie|set-cookie']
]
const KEY_PREFIX = '(?:[A-Za-z0-9]+[_.-])*'
const KIND_OF_KEY = SECRET_KEYS.map(([kind, names]) => [kind, new RegExp(`^${KEY_PREFIX}(?:${names})$`, 'i')] as const)
const kindOfKey = (key: string): string => KIND_OF_KEY.find(([, pattern]) => pattern.test(key))?.[0] ?? 'secret'
const ANY_SECRET_KEY = `${KEY_PREFIX}(?:${SECRET_KEYS.map(([, names]) => names).join('|')})`

/**
 * Words that make a key of structured data secret wherever they stand in it (`x_refresh_token_v2`,
 * `sessionId`, `AWSSecretKey`, `oauth_code`): there, hiding a harmless value costs little.
 */
const SECRET_KEY_WORD = /token|secret|passw|pwd|passphrase|api[_-]?key|apikey|auth|session|sessid|cookie|signature|sig$|credential|private|access[_-]?key|jwt|bearer|code$/i

/** Whether a key name (query parameter, JSON field, `name=value` label) holds a secret. */
export const isSecretKeyName = (key: string): boolean => SECRET_KEY_WORD.test(key) || KIND_OF_KEY.some(([, pattern]) => pattern.test(key))

const RULES: Rule[] = [
  { kind: 'private-key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g },
  // An AWS key id with its secret written beside it (`AKIA… wJalr…`, `AKIA…:wJalr…`): the secret goes first.
  {
    kind: 'aws-secret',
    pattern: /(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b[^\r\n]{0,40}?)(?<![A-Za-z0-9/+=_-])([A-Za-z0-9/+=_-]{20,128})(?![A-Za-z0-9/+=_-])/g,
    keep: (g) => [g[0], ''],
    when: (g) => isHighEntropy(g[1])
  },
  // Other clouds' key ids with their secret beside them: Google HMAC (GOOG…), Alibaba (LTAI…), Tencent (AKID…).
  {
    kind: 'secret',
    pattern: /(\b(?:GOOG[A-Z0-9]{10,30}|LTAI[A-Za-z0-9]{12,20}|AKID[A-Za-z0-9]{13,40})\b[^\r\n]{0,40}?)(?<![A-Za-z0-9/+=_-])([A-Za-z0-9/+=_-]{20,128})(?![A-Za-z0-9/+=_-])/g,
    keep: (g) => [g[0], ''],
    when: (g) => isHighEntropy(g[1])
  },
  { kind: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g },
  { kind: 'api-key', pattern: /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{8,}/g },
  { kind: 'aws-access-key', pattern: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  {
    kind: 'aws-secret',
    pattern: /(aws_secret_access_key\\?["']?\s*[=:]\s*\\?["']?)([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
    keep: (g) => [g[0], '']
  },
  // A bare AWS secret access key (40 base64 characters, no key id or name near it: pasted into a decision).
  { kind: 'aws-secret', pattern: /(?<![A-Za-z0-9/+=_.-])([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=_-])/g, when: (g) => looksLikeAwsSecret(g[0]) },
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
const JSON_FIELD = new RegExp(`((\\\\?)"(${ANY_SECRET_KEY})\\2"\\s*:\\s*)(?:(\\2")${NOT_REDACTED}((?:[^"\\\\\\r\\n]|\\\\(?!"))*)|${NOT_REDACTED}(?!\\\\?")([^\\s,}\\]"]+))`, 'gi')

/** `password=…`, `token: …`, `?api_key=…&`, quoted or not. */
const KEY_VALUE = new RegExp(`(?<![A-Za-z0-9_.-])(${ANY_SECRET_KEY})(\\s*[=:]\\s*)(?:(["'])${NOT_REDACTED}([^"'\\r\\n]*)\\3|${NOT_REDACTED}([^\\s"'&,;<>)}\\]]+))`, 'gi')

const URL_CREDENTIALS = new RegExp(`(\\b[a-z][a-z0-9+.-]*://[^\\s:@/?#]+:)${NOT_REDACTED}([^\\s@/?#]+)(@)`, 'gi')

/** 13–19 digits, contiguous or in the printed groups (4-4-4-4…, Amex 4-6-5); redacted only when they pass Luhn. */
const CARD = /(?<![\w.,/:-])(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,7}|\d{4}([ -])\d{6}\2\d{5})(?![\w/:]|[.,-]\d)/g

/** Card numbers start with 2–6 (Mastercard 2-series, Amex, Visa, Mastercard, Discover): epoch times (1…) never match. */
export function isCardNumber(text: string): boolean {
  const digits = text.replace(/[ -]/g, '')
  if (digits.length < 13 || digits.length > 19 || !/^[2-6]\d+$/.test(digits)) return false
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
  }
  return sum % 10 === 0
}

/** Random-looking: at least 3.5 bits per character and both letters and digits (a word or a path is not). */
export function isHighEntropy(token: string): boolean {
  if (token.length < 20 || !/[A-Za-z]/.test(token) || !/\d/.test(token)) return false
  const counts = new Map<string, number>()
  for (const ch of token) counts.set(ch, (counts.get(ch) ?? 0) + 1)
  let bits = 0
  for (const n of counts.values()) bits -= (n / token.length) * Math.log2(n / token.length)
  return bits >= 3.5
}

/**
 * A 40-character random mix of upper case, lower case and digits, as AWS secret keys are. A commit
 * id (hex, one case), a path or a Java class name (long lower-case words) is not.
 */
function looksLikeAwsSecret(token: string): boolean {
  if (!/[A-Z].*[A-Z].*[A-Z]/.test(token) || !/[a-z]/.test(token) || !/\d/.test(token)) return false
  if (/[a-z]{14}|[A-Z]{14}|\/\//.test(token)) return false
  return isHighEntropy(token)
}

const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g

/** Redacts one text; `counter.n` grows by the number of values replaced. */
export function redactCounting(text: string, counter: { n: number }): string {
  let out = text
  const apply = (pattern: RegExp, replace: Replacer): void => {
    out = out.replace(pattern, replace)
  }
  for (const rule of RULES) {
    apply(rule.pattern, (match, ...rest) => {
      if (rule.when && !rule.when(rest)) return match
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
  apply(CARD, (match) => {
    if (!isCardNumber(match)) return match
    counter.n++
    return marker('card')
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
