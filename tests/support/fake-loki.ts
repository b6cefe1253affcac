/**
 * Loki cannot be installed here: a loopback node:http server that answers `/loki/api/v1/query`
 * and `/loki/api/v1/query_range` in the documented shapes (`{status, data: {resultType, result,
 * stats}}`, matrix values `[<unix s>, "<n>"]`, streams `values: [["<ns>", "<line>"]]`, errors as
 * plain text with 400/429/504), by evaluating the subset of LogQL the adapter sends over log lines
 * held in memory, so every count it answers is true. Written apart from the adapter's own LogQL
 * code so a mistake there cannot hide here.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeEntry {
  stream: Record<string, string>
  /** Nanoseconds since the epoch. */
  ns: bigint
  line: string
}

export interface Injected {
  /** The query this answer replaces (the first request whose query matches). */
  when: RegExp
  status: number
  body: string
  headers?: Record<string, string>
}

export interface FakeLoki {
  url: string
  inject: Injected[]
  /** Warnings the next successful answer to a matching query carries beside its data (Loki ≥ 2.9 `warnings`). */
  warn: { when: RegExp; warning: string }[]
  /** Every request: path, query, headers the adapter sent. */
  requests: { path: string; query: string; headers: http.IncomingHttpHeaders }[]
  /** Bytes of log lines the fake read to answer, per request (what Loki's totalBytesProcessed counts). */
  processed: number
  close(): Promise<void>
}

class BadQuery extends Error {}

type Labels = Record<string, string>
interface Row {
  e: FakeEntry
  labels: Labels
  error: string | null
}

const QUOTED = /^("(?:[^"\\]|\\.)*"|`[^`]*`)/
const unq = (s: string): string => (s.startsWith('`') ? s.slice(1, -1) : (JSON.parse(s) as string))
/** RE2 has no lookaround: what Loki answers for one. */
function re2(source: string): RegExp {
  if (/\(\?<?[=!]/.test(source)) throw new BadQuery(`parse error : error parsing regexp: invalid or unsupported Perl syntax: \`${source.match(/\(\?<?[=!]/)?.[0] ?? ''}\``)
  return new RegExp(source)
}

/** Splits on `|` outside quotes and backticks. */
function splitStages(text: string): string[] {
  const out: string[] = []
  let cur = ''
  let quote: string | null = null
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote !== null) {
      cur += c
      if (c === '\\' && quote === '"') cur += text[++i]
      else if (c === quote) quote = null
    } else if (c === '"' || c === '`') {
      quote = c
      cur += c
    } else if (c === '|') {
      out.push(cur.trim())
      cur = ''
    } else cur += c
  }
  out.push(cur.trim())
  return out
}

function getPath(value: unknown, path: string): unknown {
  const parts: string[] = []
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)|\[("(?:[^"\\]|\\.)*")\]/y
  let m: RegExpExecArray | null
  while (re.lastIndex < path.length && (m = re.exec(path)) !== null) parts.push(m[1] ?? (JSON.parse(m[2]) as string))
  return parts.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), value)
}

/** Each line is parsed once however many queries read it: the fake answers in test time, not in Loki's. */
const parsedJson = new WeakMap<FakeEntry, { ok: boolean; value: unknown }>()
function jsonOf(e: FakeEntry): { ok: boolean; value: unknown } {
  let at = parsedJson.get(e)
  if (at === undefined) {
    try {
      at = { ok: true, value: JSON.parse(e.line) as unknown }
    } catch {
      at = { ok: false, value: undefined }
    }
    parsedJson.set(e, at)
  }
  return at
}

function logfmtFields(line: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of line.matchAll(/([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/g)) out[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2]
  return out
}

function patternRegex(pattern: string): RegExp {
  const parts = pattern.split(/(<[A-Za-z_][A-Za-z0-9_]*>)/).filter((p) => p !== '')
  const src = parts
    .map((p, i) => {
      const name = /^<([A-Za-z_][A-Za-z0-9_]*)>$/.exec(p)?.[1]
      if (name === undefined) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      const last = i === parts.length - 1
      return name === '_' ? (last ? '.*' : '.*?') : `(?<${name}>${last ? '.*' : '.*?'})`
    })
    .join('')
  return new RegExp(`^${src}`)
}

/** `{{ regexReplaceAll "R" ARG "S" }}` with ARG `.label` or a nested call in parentheses, compiled once per query. */
function compileTemplate(tpl: string): (labels: Labels) => string {
  const body = /^\{\{\s*([\s\S]*?)\s*\}\}$/.exec(tpl)?.[1]
  if (body === undefined) throw new BadQuery(`fake: unsupported template ${tpl}`)
  let at = 0
  const ws = (): void => {
    while (body[at] === ' ') at++
  }
  const str = (): string => {
    ws()
    const m = QUOTED.exec(body.slice(at))
    if (!m) throw new BadQuery(`fake: template string expected at ${at}`)
    at += m[0].length
    return unq(m[0])
  }
  const expr = (): ((labels: Labels) => string) => {
    ws()
    if (body[at] === '.') {
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*)/.exec(body.slice(at))
      if (!m) throw new BadQuery('fake: label expected')
      at += m[0].length
      const name = m[1]
      return (labels) => labels[name] ?? ''
    }
    if (body[at] === '(') {
      at++
      const v = expr()
      ws()
      if (body[at++] !== ')') throw new BadQuery('fake: ) expected')
      return v
    }
    if (body.startsWith('regexReplaceAll', at)) {
      at += 'regexReplaceAll'.length
      const re = new RegExp(str(), 'g')
      const v = expr()
      const repl = str().replace(/\$\{(\d+)\}/g, '$$$1')
      return (labels) => v(labels).replace(re, repl)
    }
    throw new BadQuery(`fake: unsupported template at ${body.slice(at)}`)
  }
  return expr()
}

/** A log query: selector, line filters and pipeline stages, as a predicate that also labels. */
function logPipeline(text: string): { inStreams: (e: FakeEntry) => boolean; select: (e: FakeEntry) => Row | null } {
  const t = text.trim()
  if (!t.startsWith('{')) throw new BadQuery(`parse error at line 1, col 1: syntax error: unexpected IDENTIFIER, expecting {`)
  const close = t.indexOf('}')
  const matchers = [...t.slice(1, close).matchAll(/\s*([A-Za-z_]\w*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)\s*,?/g)].map((m) => ({ name: m[1], op: m[2], value: unq(m[3]), re: new RegExp(`^(?:${unq(m[3])})$`) }))
  let rest = t.slice(close + 1)
  const lineFilters: ((line: string) => boolean)[] = []
  for (;;) {
    const m = /^\s*(\|=|!=|\|~|!~)\s*("(?:[^"\\]|\\.)*"|`[^`]*`)/.exec(rest)
    if (!m) break
    const v = unq(m[2])
    const re = m[1].endsWith('~') ? re2(v) : null
    lineFilters.push(m[1] === '|=' ? (l) => l.includes(v) : m[1] === '!=' ? (l) => !l.includes(v) : m[1] === '|~' ? (l) => re!.test(l) : (l) => !re!.test(l))
    rest = rest.slice(m[0].length)
  }
  const stages = rest.trim() === '' ? [] : splitStages(rest.trim().replace(/^\|/, ''))
  const steps = stages.map((stage): ((row: Row) => boolean) => {
    let m: RegExpExecArray | null
    if ((m = /^json\s+([\s\S]+)$/.exec(stage))) {
      const pairs = [...m[1].matchAll(/([A-Za-z_]\w*)=(`[^`]*`|"(?:[^"\\]|\\.)*")/g)].map((p) => [p[1], unq(p[2])] as const)
      return (row) => {
        const { ok, value: parsed } = jsonOf(row.e)
        if (!ok) {
          row.error = 'JSONParserErr'
          return true
        }
        for (const [label, path] of pairs) {
          const v = getPath(parsed, path)
          if (v !== undefined && v !== null) row.labels[label] = typeof v === 'object' ? JSON.stringify(v) : String(v)
        }
        return true
      }
    }
    if ((m = /^logfmt\s+([\s\S]+)$/.exec(stage))) {
      const pairs = [...m[1].matchAll(/([A-Za-z_]\w*)=(`[^`]*`|"(?:[^"\\]|\\.)*")/g)].map((p) => [p[1], unq(p[2])] as const)
      return (row) => {
        const f = logfmtFields(row.e.line)
        for (const [label, key] of pairs) if (f[key] !== undefined) row.labels[label] = f[key]
        return true
      }
    }
    if ((m = /^pattern\s+(`[^`]*`|"(?:[^"\\]|\\.)*")$/.exec(stage))) {
      const re = patternRegex(unq(m[1]))
      return (row) => {
        const g = re.exec(row.e.line)?.groups
        if (g) for (const [k, v] of Object.entries(g)) row.labels[k] = v
        return true
      }
    }
    if ((m = /^label_format\s+([A-Za-z_]\w*)=(`[^`]*`|"(?:[^"\\]|\\.)*")$/.exec(stage))) {
      const [label, tpl] = [m[1], compileTemplate(unq(m[2]))]
      return (row) => {
        row.labels[label] = tpl(row.labels)
        return true
      }
    }
    if (stage === '__error__=""') return (row) => row.error === null
    if ((m = /^([A-Za-z_]\w*)\s*=~\s*("(?:[^"\\]|\\.)*")$/.exec(stage))) {
      const [label, re] = [m[1], new RegExp(`^(?:${unq(m[2])})$`)]
      return (row) => re.test(row.labels[label] ?? '')
    }
    throw new BadQuery(`parse error : fake Loki does not know the stage "${stage}"`)
  })
  const inStreams = (e: FakeEntry): boolean =>
    matchers.every(({ name, op, value, re }) => {
      const v = e.stream[name] ?? ''
      return op === '=' ? v === value : op === '!=' ? v !== value : op === '=~' ? re.test(v) : !re.test(v)
    })
  return {
    inStreams,
    select(e) {
      if (!lineFilters.every((f) => f(e.line))) return null
      const row: Row = { e, labels: { ...e.stream }, error: null }
      return steps.every((s) => s(row)) ? row : null
    }
  }
}

interface Metric {
  topk: number | null
  by: string[] | null
  log: string
  rangeNs: bigint
}

const DURATION: Record<string, bigint> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n }

function parseMetric(q: string): Metric | null {
  let text = q.trim()
  let topk: number | null = null
  const tk = /^topk\((\d+),\s*([\s\S]*)\)$/.exec(text)
  if (tk) {
    topk = Number(tk[1])
    text = tk[2]
  }
  const m = /^sum(?: by \(([^)]*)\))?\s*\(count_over_time\(([\s\S]*) \[(\d+)(ms|s|m|h)\]\)\)$/.exec(text)
  if (!m) {
    if (text.startsWith('{')) return null
    throw new BadQuery(`parse error : fake Loki does not know the query ${text.slice(0, 60)}`)
  }
  return { topk, by: m[1] === undefined ? null : m[1].split(',').map((s) => s.trim()), log: m[2], rangeNs: BigInt(m[3]) * DURATION[m[4]] }
}

function key(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort())
}

export async function startFakeLoki(entries: FakeEntry[]): Promise<FakeLoki> {
  const sorted = [...entries].sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : 0))
  const fake: FakeLoki = { url: '', inject: [], warn: [], requests: [], processed: 0, close: async () => {} }

  /** Rows in (from, to] (metric) or [from, to) (logs). */
  const rowsIn = (log: string, from: bigint, to: bigint, leftOpen: boolean): { rows: Row[]; bytes: number } => {
    const p = logPipeline(log)
    const rows: Row[] = []
    let bytes = 0
    for (const e of sorted) {
      if (leftOpen ? e.ns <= from || e.ns > to : e.ns < from || e.ns >= to) continue
      // Loki reads the chunks of the streams the selector matches, and only those.
      if (!p.inStreams(e)) continue
      bytes += Buffer.byteLength(e.line)
      const row = p.select(e)
      if (row !== null) rows.push(row)
    }
    return { rows, bytes }
  }
  const grouped = (rows: Row[], by: string[] | null): Map<string, { metric: Labels; n: number }> => {
    const out = new Map<string, { metric: Labels; n: number }>()
    for (const r of rows) {
      const metric: Labels = {}
      for (const l of by ?? []) if ((r.labels[l] ?? '') !== '') metric[l] = r.labels[l]
      const k = key(metric)
      const at = out.get(k) ?? { metric, n: 0 }
      at.n++
      out.set(k, at)
    }
    return out
  }
  const seconds = (t: bigint): number => Number(t / 1_000_000n) / 1000

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const q = url.searchParams.get('query') ?? ''
    fake.requests.push({ path: url.pathname, query: q, headers: req.headers })
    const sendText = (status: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers })
      res.end(body)
    }
    const injected = fake.inject.findIndex((i) => i.when.test(q))
    if (injected >= 0) {
      const [i] = fake.inject.splice(injected, 1)
      return sendText(i.status, i.body, i.headers)
    }
    const success = (data: Record<string, unknown>, bytes: number): void => {
      fake.processed += bytes
      const w = fake.warn.findIndex((x) => x.when.test(q))
      const warnings = w >= 0 ? [fake.warn.splice(w, 1)[0].warning] : undefined
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ status: 'success', ...(warnings ? { warnings } : {}), data: { ...data, stats: { summary: { bytesProcessedPerSecond: 0, linesProcessedPerSecond: 0, totalBytesProcessed: bytes, totalLinesProcessed: 0, execTime: 0.001 } } } }))
    }
    try {
      const metric = parseMetric(q)
      if (url.pathname === '/loki/api/v1/query') {
        if (metric === null) throw new BadQuery('log queries are not supported as instant queries')
        const time = BigInt(url.searchParams.get('time') ?? '0')
        const { rows, bytes } = rowsIn(metric.log, time - metric.rangeNs, time, true)
        let result = [...grouped(rows, metric.by).values()].map((g) => ({ metric: g.metric, value: [seconds(time), String(g.n)] as [number, string] }))
        if (metric.topk !== null) result = result.sort((a, b) => Number(b.value[1]) - Number(a.value[1])).slice(0, metric.topk)
        return success({ resultType: 'vector', result }, bytes)
      }
      if (url.pathname !== '/loki/api/v1/query_range') return sendText(404, '404 page not found\n')
      const start = BigInt(url.searchParams.get('start') ?? '0')
      const end = BigInt(url.searchParams.get('end') ?? '0')
      if (metric === null) {
        const limit = Number(url.searchParams.get('limit') ?? '100')
        const forward = url.searchParams.get('direction') === 'forward'
        const { rows, bytes } = rowsIn(q, start, end, false)
        const kept = (forward ? rows : [...rows].reverse()).slice(0, limit)
        const streams = new Map<string, { stream: Labels; values: [string, string][] }>()
        for (const r of kept) {
          const k = key(r.labels)
          const s = streams.get(k) ?? { stream: r.labels, values: [] }
          s.values.push([String(r.e.ns), r.e.line])
          streams.set(k, s)
        }
        return success({ resultType: 'streams', result: [...streams.values()] }, bytes)
      }
      const stepText = url.searchParams.get('step') ?? ''
      const sm = /^(\d+)(s|m)?$/.exec(stepText)
      if (!sm) throw new BadQuery(`invalid step ${stepText}`)
      const step = BigInt(sm[1]) * DURATION[sm[2] ?? 's']
      if (step !== metric.rangeNs) throw new BadQuery('fake Loki evaluates ranges equal to the step only')
      const points = (end - start) / step + 1n
      if (points > 11_000n) throw new BadQuery('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)')
      const { rows, bytes } = rowsIn(metric.log, start - step, end, true)
      const series = new Map<string, { metric: Labels; values: Map<bigint, number> }>()
      for (const r of rows) {
        // The point t = start + k·step whose range (t - step, t] holds the entry.
        const k = (r.e.ns - start + step - 1n) / step
        const t = start + k * step
        const metricLabels: Labels = {}
        for (const l of metric.by ?? []) if ((r.labels[l] ?? '') !== '') metricLabels[l] = r.labels[l]
        const sk = key(metricLabels)
        const s = series.get(sk) ?? { metric: metricLabels, values: new Map() }
        s.values.set(t, (s.values.get(t) ?? 0) + 1)
        series.set(sk, s)
      }
      const result = [...series.values()].map((s) => ({ metric: s.metric, values: [...s.values].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([t, n]) => [seconds(t), String(n)]) }))
      return success({ resultType: 'matrix', result }, bytes)
    } catch (err) {
      if (err instanceof BadQuery) return sendText(400, `${err.message}\n`)
      return sendText(500, `fake: ${(err as Error).message}\n`)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  fake.close = () => new Promise((resolve) => server.close(() => resolve()))
  return fake
}
