import type { AnalysisV1 } from '../contract/analysis'

const n = (x: number): string => x.toLocaleString('en-US')
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`

function summaryRows(a: AnalysisV1): [string, string][] {
  const total5xx = Object.entries(a.statusCounts)
    .filter(([s]) => Number(s) >= 500 && Number(s) < 600)
    .reduce((sum, [, c]) => sum + c, 0)
  return [
    ['Window', a.window ? `${a.window.from} → ${a.window.to}` : 'no timestamps'],
    ['Requests', n(a.requests)],
    ['5xx responses', `${n(total5xx)}${a.requests > 0 ? ` (${pct(total5xx / a.requests)})` : ''}`],
    ['Verdict', a.verdict ? `${a.verdict.playbook} (confidence ${a.verdict.confidence.toFixed(2)})` : 'not computed']
  ]
}

export function renderAnalysisMarkdown(a: AnalysisV1): string {
  const lines = ['# Triage500 analysis', '']
  for (const [k, v] of summaryRows(a)) lines.push(`- **${k}:** ${v}`)
  if (a.verdict) {
    lines.push('', '## Why', '')
    for (const r of a.verdict.reasons) lines.push(`- ${r}`)
  }
  lines.push('', '## Status codes', '', '| status | count |', '|---:|---:|')
  for (const [s, c] of Object.entries(a.statusCounts).sort(([x], [y]) => Number(x) - Number(y))) lines.push(`| ${s} | ${n(c)} |`)
  lines.push('', '## Sources', '', '| file | format | lines | events | unparsed |', '|---|---|---:|---:|---:|')
  for (const s of a.sources) lines.push(`| \`${s.path}\` | ${s.format} | ${n(s.lines)} | ${n(s.events)} | ${n(s.unparsed)} |`)
  if (a.errorGroups.length > 0) {
    lines.push('', '## Error groups', '', '| count | type | message | first seen |', '|---:|---|---|---|')
    for (const g of a.errorGroups.slice(0, 20)) lines.push(`| ${n(g.count)} | ${g.type} | ${g.message.replace(/\|/g, '\\|')} | ${g.firstSeen ?? '—'} |`)
  }
  return `${lines.join('\n')}\n`
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export function renderAnalysisHtml(a: AnalysisV1): string {
  const rows = summaryRows(a)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`)
    .join('')
  const sources = a.sources
    .map((s) => `<tr><td><code>${esc(s.path)}</code></td><td>${esc(s.format)}</td><td>${n(s.lines)}</td><td>${n(s.events)}</td><td>${n(s.unparsed)}</td></tr>`)
    .join('')
  const statuses = Object.entries(a.statusCounts)
    .map(([s, c]) => `<tr><td>${esc(s)}</td><td>${n(c)}</td></tr>`)
    .join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Triage500 analysis</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#1b1f27}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #d8dce3;padding:4px 8px;text-align:left}</style>
</head><body><h1>Triage500 analysis</h1><table>${rows}</table>
<h2>Status codes</h2><table><tr><th>status</th><th>count</th></tr>${statuses}</table>
<h2>Sources</h2><table><tr><th>file</th><th>format</th><th>lines</th><th>events</th><th>unparsed</th></tr>${sources}</table>
</body></html>\n`
}
