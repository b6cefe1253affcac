/**
 * Format detection from the first lines of a file: every candidate parser reads the sample
 * through an EventFolder, and the format that leaves the fewest lines unparsed wins. Ties go to
 * the candidate that found more events, then to the more specific format (list order).
 */
import type { LogFormatId } from '../../../shared/model/evidence'
import { AccessLineParser } from './access'
import { EventFolder } from './folder'
import { JsonLineParser } from './json'
import { LogfmtParser } from './logfmt'
import type { LineParser } from './parser'
import { ApacheErrorParser, NginxErrorParser } from './proxy-error'
import { SyslogParser } from './syslog'
import { TextAppParser } from './text-app'
import { isBlank } from './trace'

export const DETECT_SAMPLE_LINES = 200
/** Below this share of readable lines a file is `unknown`: guessing would drop most of it as unparsed anyway. */
const MIN_COVERAGE = 0.5
/** Coverage within this margin counts as a tie. */
const TIE_MARGIN = 0.02

export interface Detection {
  format: LogFormatId
  confidence: number
}

interface Score {
  format: LogFormatId
  coverage: number
  events: number
  /** Lines the candidate's own parser read: folding alone (bare stack traces) proves nothing. */
  ownLines: number
  order: number
}

export function detectFormat(sample: string[]): Detection {
  const lines = sample.length > DETECT_SAMPLE_LINES ? sample.slice(0, DETECT_SAMPLE_LINES) : sample
  const nonBlank = lines.reduce((n, line) => (isBlank(line) ? n : n + 1), 0)
  if (nonBlank === 0) return { format: 'unknown', confidence: 0 }

  const scores: Score[] = []
  const access = new AccessLineParser('nginx-combined')
  const variants = { common: 0, combined: 0, ingress: 0 }
  const accessScore = score(lines, nonBlank, access, 0, () => { variants[access.lastVariant]++ })
  const accessFormat: LogFormatId = variants.ingress * 2 >= accessScore.events && variants.ingress > 0
    ? 'ingress-nginx'
    : variants.combined * 2 >= accessScore.events ? 'nginx-combined' : 'common'
  scores.push({ ...accessScore, format: accessFormat })

  let requests = 0
  const json = new JsonLineParser('json-app')
  const jsonScore = score(lines, nonBlank, json, 1, (kind) => { if (kind === 'request') requests++ })
  scores.push({ ...jsonScore, format: requests * 2 > jsonScore.events ? 'json-access' : 'json-app' })

  const others: LineParser[] = [new NginxErrorParser(), new ApacheErrorParser(), new LogfmtParser(), new SyslogParser(), new TextAppParser()]
  others.forEach((parser, i) => scores.push(score(lines, nonBlank, parser, 2 + i)))

  let best: Score | null = null
  for (const candidate of scores) {
    if (candidate.events === 0 || candidate.ownLines === 0) continue
    if (best === null || candidate.coverage > best.coverage + TIE_MARGIN) best = candidate
    else if (
      candidate.coverage >= best.coverage - TIE_MARGIN &&
      (candidate.ownLines > best.ownLines ||
        (candidate.ownLines === best.ownLines && (candidate.events > best.events || (candidate.events === best.events && candidate.order < best.order))))
    ) {
      best = candidate
    }
  }
  // For `unknown`, confidence says how little any format could read.
  if (best === null || best.coverage < MIN_COVERAGE) return { format: 'unknown', confidence: round(1 - (best?.coverage ?? 0)) }
  return { format: best.format, confidence: round(best.coverage) }
}

function score(lines: string[], nonBlank: number, parser: LineParser, order: number, onEvent?: (kind: string) => void): Score {
  const folder = new EventFolder(parser)
  let unparsed = 0
  let events = 0
  const count = (items: ReturnType<EventFolder['push']>): void => {
    for (const item of items) {
      if (item.kind === 'unparsed') {
        if (!isBlank(item.text)) unparsed++
      } else {
        events++
        onEvent?.(item.kind)
      }
    }
  }
  lines.forEach((line, i) => count(folder.push(line, i + 1, 0)))
  count(folder.flush())
  let ownLines = 0
  for (const line of lines) if (parser.parse(line, 0, 0) !== null) ownLines++
  return { format: parser.format, coverage: (nonBlank - unparsed) / nonBlank, events, ownLines, order }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
