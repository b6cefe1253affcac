/**
 * `analyze --format table`: the terminal summary an engineer reads in an SSH session, in the
 * spirit of GoAccess's: the verdict and its first action, the counts, the top failing routes and
 * error groups, and a text histogram of 5xx over time. Width-aware; numbers and times through
 * shared/format, words of playbooks from the registry's titles (via the runbook).
 */
import type { AnalysisSnapshot, TimelineBucket } from '../../shared/contract/analysis'
import type { Runbook } from '../../shared/contract/runbook'
import { clockFor, count, duration, percent } from '../../shared/format'

export interface TableOptions {
  /** Terminal width in columns (80 when unknown). */
  columns: number
  /** At most this many rows in each top list. */
  top?: number
  /** At most this many histogram rows. */
  histogramRows?: number
}

const MIN_COLUMNS = 60

/** Cut text to `width` columns, marking the cut. */
function fit(text: string, width: number): string {
  // Newlines and tabs from log text would break the layout; the layout's own spaces stay.
  const flat = text.replace(/[\r\n\t]+/g, ' ')
  if (width <= 1) return flat.slice(0, Math.max(0, width))
  return flat.length <= width ? flat : `${flat.slice(0, width - 1)}…`
}

/** Left/right aligned columns; the `grow` column takes what the others leave, cut to fit. */
function row(cells: string[], widths: number[], right: boolean[]): string {
  return cells
    .map((c, i) => (right[i] ? c.padStart(widths[i]) : fit(c, widths[i]).padEnd(widths[i])))
    .join('  ')
    .trimEnd()
}

function columnsFor(width: number, fixed: number[], grow: number): number[] {
  const used = fixed.reduce((a, b) => a + b, 0) + 2 * fixed.length
  return fixed.map((w, i) => (i === grow ? Math.max(12, width - used + w) : w))
}

/** Buckets merged so the histogram has at most `rows` rows: each row spans `per` buckets. */
export function histogramRows(buckets: TimelineBucket[], bucketMs: number, rows: number): { t: number; spanMs: number; total: number; s5xx: number }[] {
  if (buckets.length === 0) return []
  const from = buckets[0].t
  const to = buckets[buckets.length - 1].t + bucketMs
  const per = Math.max(1, Math.ceil((to - from) / bucketMs / rows))
  const spanMs = per * bucketMs
  const out = new Map<number, { t: number; spanMs: number; total: number; s5xx: number }>()
  for (const b of buckets) {
    const t = from + Math.floor((b.t - from) / spanMs) * spanMs
    const r = out.get(t) ?? { t, spanMs, total: 0, s5xx: 0 }
    r.total += b.total
    r.s5xx += b.s5xx
    out.set(t, r)
  }
  // Empty stretches stay visible as empty rows: a gap in traffic is evidence too.
  const list: { t: number; spanMs: number; total: number; s5xx: number }[] = []
  for (let t = from; t < to; t += spanMs) list.push(out.get(t) ?? { t, spanMs, total: 0, s5xx: 0 })
  return list
}

export function renderTable(snapshot: AnalysisSnapshot, runbook: Runbook, options: TableOptions): string {
  const width = Math.max(MIN_COLUMNS, options.columns)
  const top = options.top ?? 8
  const v1 = snapshot.v1
  const out: string[] = []
  const rule = '─'.repeat(width)
  const from = v1.window?.from ?? null
  const to = v1.window?.to ?? null
  const at = clockFor(from, to, { seconds: false })

  out.push(fit(`Triage500 · ${v1.sources.map((s) => s.path.split(/[\\/]/).pop() ?? s.path).join(', ') || 'no sources'}`, width))
  if (from && to) out.push(fit(`window ${at(from)} → ${at(to)}`, width))
  out.push(rule)
  const confidence = v1.verdict ? ` (confidence ${percent(v1.verdict.confidence)})` : ''
  out.push(fit(`VERDICT  ${runbook.title}${confidence}`, width))
  out.push(fit(`first    ${runbook.firstAction}`, width))
  for (const reason of (snapshot.findings[0]?.reasons ?? []).slice(0, 4)) out.push(fit(`  • ${reason.text}`, width))
  const others = snapshot.findings.slice(1).map((f) => f.playbook)
  if (others.length > 0) out.push(fit(`also     ${others.join(', ')}`, width))
  out.push('')

  const s5xx = Object.entries(v1.statusCounts).filter(([s, n]) => Number(s) >= 500 && Number(s) < 600 && n > 0)
  const n5xx = s5xx.reduce((a, [, n]) => a + n, 0)
  const byStatus = s5xx
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s}: ${count(n)}`)
    .join('  ')
  out.push(fit(`requests ${count(v1.requests)}   5xx ${count(n5xx)}${v1.requests > 0 ? ` (${percent(n5xx / v1.requests)})` : ''}${byStatus ? `   ${byStatus}` : ''}`, width))
  for (const s of v1.sources) {
    const unread = s.unparsed > 0 ? `, ${count(s.unparsed)} unparsed (${percent(s.unparsedShare)})` : ''
    out.push(fit(`  ${s.path}  ${s.format}  ${count(s.lines)} lines${unread}${s.unread ? ` — ${s.unread}` : ''}`, width))
  }

  const routes = snapshot.routes.filter((r) => r.s5xx > 0).slice(0, top)
  if (routes.length > 0) {
    out.push('')
    out.push('TOP ROUTES BY 5XX')
    const widths = columnsFor(width, [7, 0, 10, 8, 6], 1)
    const right = [false, false, true, true, true]
    out.push(row(['METHOD', 'ROUTE', 'REQUESTS', '5XX', 'RATE'], widths, right))
    for (const r of routes) out.push(row([r.method, r.route, count(r.total), count(r.s5xx), percent(r.errorRate)], widths, right))
  }

  const groups = v1.errorGroups.slice(0, top)
  if (groups.length > 0) {
    out.push('')
    out.push('TOP ERROR GROUPS')
    const widths = columnsFor(width, [8, 0, 5], 1)
    const right = [true, false, false]
    out.push(row(['COUNT', 'ERROR', 'NEW'], widths, right))
    for (const g of groups) out.push(row([count(g.count), `${g.type}: ${g.message}`, g.newSinceDeploy ? 'new' : ''], widths, right))
  }

  const hist = histogramRows(snapshot.timeline.buckets, snapshot.timeline.bucketMs, options.histogramRows ?? 24)
  if (hist.length > 1 && hist.some((h) => h.total > 0 || h.s5xx > 0)) {
    out.push('')
    out.push(fit(`5XX OVER TIME (1 row = ${duration(hist[0].spanMs)}; 5xx / requests)`, width))
    const label = (t: number): string => at(t)
    const labelWidth = Math.max(...hist.map((h) => label(h.t).length))
    const numbers = (h: { total: number; s5xx: number }): string => `${count(h.s5xx)} / ${count(h.total)}`
    const numberWidth = Math.max(...hist.map((h) => numbers(h).length))
    const barWidth = Math.max(10, width - labelWidth - numberWidth - 4)
    const max = Math.max(1, ...hist.map((h) => h.s5xx))
    for (const h of hist) {
      const n = h.s5xx === 0 ? 0 : Math.max(1, Math.round((h.s5xx / max) * barWidth))
      out.push(`${label(h.t).padEnd(labelWidth)} ${'█'.repeat(n).padEnd(barWidth)} ${numbers(h).padStart(numberWidth)}`.trimEnd())
    }
  }
  return `${out.join('\n')}\n`
}
