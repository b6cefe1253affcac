/**
 * Named timestamp layouts for format definitions and inference. Each reads one text into epoch ms
 * (null when it is not of the layout); `auto` tries them all and a parser remembers the one that
 * worked, so a file pays for the search once.
 */
import { epochToMillis, fractionToMillis, monthIndex, parseClfTime, parseIsoTime, parseOffsetMinutes, parseSyslogTime, parseTimeValue, utcMillis } from './time'

export const TIME_LAYOUTS = ['iso', 'clf', 'slash', 'syslog', 'epoch', 'apache', 'jul', 'dmy', 'auto'] as const
/**
 * - `iso`: `2024-03-01T12:00:00.123Z`, `2024-03-01 12:00:00,123 +0200`;
 * - `clf`: `01/Mar/2024:12:00:00 +0000` (brackets allowed);
 * - `slash`: `2024/03/01 12:00:00(.123)`;
 * - `syslog`: `Mar  1 12:00:00` (no year: the current one, or last year for a date ahead);
 * - `epoch`: seconds, ms, µs or ns since 1970, judged by magnitude;
 * - `apache`: `Wed Oct 11 14:32:52.123456 2000`;
 * - `jul`: java.util.logging's `Jul 09, 2015 3:23:29 PM`;
 * - `dmy`: `01-Mar-2024 12:00:00(.123)` (php-fpm, Tomcat) and `01/03/2024 12:00:00`;
 * - `auto`: any of these.
 */
export type TimeLayout = (typeof TIME_LAYOUTS)[number]

const SLASH_RE = /^(\d{4})\/(\d{2})\/(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?$/
const SYSLOG_RE = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/
const APACHE_RE = /^(?:[A-Z][a-z]{2} )?([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? (\d{4})$/
const JUL_RE = /^([A-Z][a-z]{2}) (\d{1,2}), (\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d+))? ([AP])M$/
const DMY_RE = /^(\d{2})[-/]([A-Z][a-z]{2}|\d{2})[-/](\d{4})[ :T](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?: ?(Z|[+-]\d{2}:?\d{2}))?$/

function stripBrackets(text: string): string {
  const t = text.trim()
  return t.charCodeAt(0) === 91 && t.charCodeAt(t.length - 1) === 93 ? t.slice(1, -1) : t
}

type LayoutReader = (text: string, now: number) => number | null

const READERS: Record<Exclude<TimeLayout, 'auto'>, LayoutReader> = {
  iso: (text) => parseIsoTime(text),
  clf: (text) => parseClfTime(text),
  slash: (text) => {
    const m = SLASH_RE.exec(text)
    return m === null ? null : utcMillis(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], fractionToMillis(m[7]), 0)
  },
  syslog: (text, now) => {
    const m = SYSLOG_RE.exec(text)
    if (m === null) return null
    const month = monthIndex(m[1])
    return month < 0 ? null : parseSyslogTime(month, Number(m[2]), m[3], now)
  },
  epoch: (text) => (/^\d{9,19}(\.\d+)?$/.test(text) ? epochToMillis(Number(text)) : null),
  apache: (text) => {
    const m = APACHE_RE.exec(text)
    if (m === null) return null
    const month = monthIndex(m[1])
    return month < 0 ? null : utcMillis(+m[7], month, +m[2], +m[3], +m[4], +m[5], fractionToMillis(m[6]), 0)
  },
  jul: (text) => {
    const m = JUL_RE.exec(text)
    if (m === null) return null
    const hour12 = Number(m[4]) % 12
    return utcMillis(+m[3], monthIndex(m[1]), +m[2], m[8] === 'P' ? hour12 + 12 : hour12, +m[5], +m[6], fractionToMillis(m[7]), 0)
  },
  dmy: (text) => {
    const m = DMY_RE.exec(text)
    if (m === null) return null
    const month = /^\d/.test(m[2]) ? Number(m[2]) - 1 : monthIndex(m[2])
    const offset = m[8] === undefined ? 0 : parseOffsetMinutes(m[8])
    return offset === null ? null : utcMillis(+m[3], month, +m[1], +m[4], +m[5], +m[6], fractionToMillis(m[7]), offset)
  }
}

const AUTO_ORDER = ['iso', 'clf', 'slash', 'apache', 'syslog', 'dmy', 'jul', 'epoch'] as const

/** Reads timestamps of one layout; with `auto`, the first layout that reads a value is kept for the next ones. */
export class TimeReader {
  private layout: Exclude<TimeLayout, 'auto'> | null

  constructor(layout: TimeLayout = 'auto', private readonly now: () => number = Date.now) {
    this.layout = layout === 'auto' ? null : layout
  }

  read(value: unknown): number | null {
    if (typeof value === 'number') return epochToMillis(value)
    if (typeof value !== 'string' || value === '') return null
    const text = stripBrackets(value)
    if (this.layout !== null) {
      const known = READERS[this.layout](text, this.now())
      if (known !== null) return known
    }
    for (const layout of AUTO_ORDER) {
      if (layout === this.layout) continue
      const value_ = READERS[layout](text, this.now())
      if (value_ !== null) {
        this.layout ??= layout
        return value_
      }
    }
    // Last: texts that name their zone in other ways (RFC 2822 and friends).
    return parseTimeValue(text)
  }
}
