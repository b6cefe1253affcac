/**
 * The parsing layer of log collection: detect a file's format, parse its lines, fold multi-line
 * events. Callers hand in already-split lines (no trailing \r or \n) with their 1-based line
 * number and byte offset.
 */
import type { LogFormatId } from '../../../shared/model/evidence'
import { AccessLineParser } from './access'
import { JsonLineParser } from './json'
import { LogfmtParser } from './logfmt'
import type { LineParser } from './parser'
import { ApacheErrorParser, NginxErrorParser } from './proxy-error'
import { SyslogParser } from './syslog'
import { TextAppParser } from './text-app'

export type { LineParser } from './parser'
export type { Detection } from './detect'
export { detectFormat, DETECT_SAMPLE_LINES } from './detect'
export { EventFolder } from './folder'

/** Reads nothing: with an unknown format every line is reported as unparsed (and still counted). */
class UnknownFormatParser implements LineParser {
  readonly format: LogFormatId = 'unknown'
  parse(): null {
    return null
  }
}

/** A fresh parser for one file (parsers keep small per-file caches, so do not share them across files). */
export function createParser(format: LogFormatId): LineParser {
  switch (format) {
    case 'nginx-combined':
    case 'common':
    case 'ingress-nginx':
      return new AccessLineParser(format)
    case 'json-access':
    case 'json-app':
      return new JsonLineParser(format)
    case 'nginx-error':
      return new NginxErrorParser()
    case 'apache-error':
      return new ApacheErrorParser()
    case 'logfmt':
      return new LogfmtParser()
    case 'text-app':
      return new TextAppParser()
    case 'syslog':
      return new SyslogParser()
    case 'unknown':
      return new UnknownFormatParser()
  }
}
