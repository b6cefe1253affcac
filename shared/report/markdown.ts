/** The report as Markdown (GitHub-flavoured): for chat, tickets and wikis. */
import { sparkline } from './chart'
import { type ReportFacts, STEP_STATUS_LABEL } from './facts'
import { clock, count, duration, percent } from '../format'
import { redactionSummary } from './wording'
import { notIdempotentWarning } from '../model/methods'
import { UNREDACTED_WARNING } from './model'

/**
 * Inline text: characters that would start emphasis, code, HTML or a table cell are escaped,
 * and so is every `]` that would close a link or a link definition (`](`, `][`, `]:`): what
 * the engineer typed stays text, so `[x](javascript:alert(1))` is never a live link (whatever
 * the scheme or its spelling with entities). Plain https URLs are still linked by the viewer.
 */
/** A Sentry permalink: only http(s) becomes a link (the source keeps nothing else), its label escaped. */
const sentryLink = (s: { label: string; permalink: string }): string =>
  /^https?:\/\//.test(s.permalink) ? `[${text(s.label)}](<${s.permalink.replace(/[<>\s]/g, encodeURIComponent)}>)` : text(s.label)

const text = (s: string): string =>
  s
    .replace(/[\\`*<>|]/g, '\\$&')
    .replace(/\](?=\s*[([:])/g, '\\]')
    .replace(/\r?\n/g, ' ')

/** A code span that survives backticks inside. */
function code(s: string): string {
  const runs = s.match(/`+/g) ?? []
  const fence = '`'.repeat(Math.max(0, ...runs.map((r) => r.length)) + 1)
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${s.replace(/\r?\n/g, ' ')}${pad}${fence}`
}

/** A fenced block longer than any backtick run inside it. */
function block(s: string, lang = ''): string[] {
  const runs = s.match(/`{3,}/g) ?? []
  const fence = '`'.repeat(Math.max(3, ...runs.map((r) => r.length + 1)))
  return [`${fence}${lang}`, s, fence]
}

/** Multi-line text under a list item: continuation lines indented so they stay in the item. */
const itemText = (s: string): string =>
  s
    .trim()
    .split(/\r?\n/)
    .map((l, i) => (i === 0 ? text(l) : `  ${text(l)}`))
    .join('  \n')

const STATUS_BOX: Record<string, string> = { todo: '[ ]', 'auto-checked': '[x]', checked: '[x]', skipped: '[-]' }

export function renderMarkdown(f: ReportFacts, redaction: { redacted: boolean; count: number }): string {
  const out: string[] = []
  const section = (title: string): void => {
    out.push('', `## ${title}`, '')
  }
  out.push(`# ${text(f.title)}`, '')
  if (!redaction.redacted) out.push(`> **⚠ ${UNREDACTED_WARNING}.** Secrets and personal data in this report were NOT redacted.`, '')
  out.push(`*Incident report · ${f.status} · generated ${clock(f.generatedAt, { date: true })}${redaction.redacted ? ` · ${redactionSummary(redaction.count)}` : ''}*`)

  section('Summary')
  out.push(`**What happened:** ${text(f.what)}`, '')
  for (const [label, value] of f.impact) out.push(`- **${label}:** ${text(value)}`)
  if (f.chart) {
    const s = sparkline(f.chart)
    out.push('', `5xx rate per ${duration(s.stepMs)}, ${clock(s.from, { date: true, seconds: false, zone: false })} → ${clock(s.to, { date: true, seconds: false })} (peak ${percent(s.peak)}):`, '', code(s.line))
  }

  section('Impact')
  if (f.hurt === null) out.push('No evidence has been analysed yet.')
  else for (const l of f.hurt) out.push(`- **${l.label}:** ${l.alert ? '⚠ ' : ''}${text(l.value)}`)

  section('Timeline')
  if (f.timeline.length === 0) out.push('Nothing recorded yet.')
  else {
    out.push('| time (UTC) | what | |', '|---|---|---|')
    for (const row of f.timeline) out.push(`| ${clock(row.at, { date: true, zone: false })} | ${text(row.kind)} | ${text(row.text)} |`)
    if (f.timelineOmitted > 0) out.push('', `…and ${count(f.timelineOmitted)} later entries (see the incident's journal.jsonl).`)
  }

  section('Verdict and reasons')
  if (!f.verdict) out.push(f.hasAnalysis ? 'No verdict: the evidence does not point at a situation yet.' : 'No verdict: no evidence has been analysed.')
  else {
    out.push(`**${text(f.verdict.playbook)}** — ${text(f.verdict.label)} (confidence ${percent(f.verdict.confidence)})`, '')
    for (const r of f.verdict.reasons) {
      out.push(`- ${itemText(r.text)}`)
      for (const e of r.evidence) out.push(`  - evidence: ${text(e)}`)
    }
  }
  if (f.chosen) out.push('', text(f.chosen))
  if (f.missingConfig.length > 0) out.push('', `Missing configuration: ${f.missingConfig.map(code).join(', ')}`)
  if (f.secondary.length > 0) {
    out.push('', 'Also supported by the evidence:', '')
    for (const s of f.secondary) out.push(`- **${text(s.playbook)}** — ${text(s.label)} (confidence ${percent(s.confidence)})${s.reason ? `: ${text(s.reason)}` : ''}`)
  }

  section(f.runbook ? `Runbook: ${text(f.runbook.title)}` : 'Runbook')
  if (!f.runbook) out.push('No runbook was followed.')
  else
    for (const step of f.runbook.steps) {
      out.push(`- ${STATUS_BOX[step.status] ?? '[ ]'} **${text(step.title)}** — ${text(STEP_STATUS_LABEL[step.status] ?? step.status)}`)
      for (const e of step.evidence) out.push(`  - ${itemText(e)}`)
      if (step.note.trim()) out.push(`  - note: ${itemText(step.note)}`)
    }

  section('Error groups')
  if (f.groups.length === 0) out.push('No application errors in the evidence.')
  f.groups.forEach((g, i) => {
    out.push(`### ${i + 1}. ${text(g.title)} — ${count(g.count)} error${g.count === 1 ? '' : 's'}`, '')
    out.push(`- first seen ${clock(g.firstSeen, { date: true })}, last seen ${clock(g.lastSeen, { date: true })}${g.newSinceDeploy ? ' — **new since the last deploy**' : ''}`)
    if (g.endpoints.length > 0) out.push(`- on ${g.endpoints.slice(0, 5).map(code).join(', ')}${g.endpoints.length > 5 ? ` and ${g.endpoints.length - 5} more` : ''}`)
    if (g.sentry) out.push(`- Sentry ${sentryLink(g.sentry)}: ${text(g.sentry.detail)}`)
    out.push('', ...block(g.trace, 'text'), '')
  })
  if (f.groupsOmitted > 0) out.push(`…and ${count(f.groupsOmitted)} smaller groups.`)
  if (f.sentryOnly !== null && f.sentryOnly.length > 0) {
    out.push('', '**Sentry only** (issues of the window no log group matched):', '')
    for (const i of f.sentryOnly) out.push(`- ${sentryLink(i)} ${text(i.title)} — ${text(i.detail)}`)
  }

  section('Deploys')
  if (f.deploys.length === 0) out.push(f.noDeploys)
  else {
    out.push('| version | live at (UTC) | commit | |', '|---|---|---|---|')
    for (const d of f.deploys) out.push(`| ${code(d.version)} | ${clock(d.at, { date: true, zone: false })} | ${d.commit ? code(d.commit.slice(0, 12)) : '—'} | ${d.suspect ? `**${text(d.suspect)}**` : ''} |`)
  }
  if (f.liveVersions.length > 0) out.push('', ...f.liveVersions.map((l) => `- ${text(l)}`))

  section('Dependencies')
  if (f.dependencies.length === 0) out.push('No health checks were watched.')
  for (const d of f.dependencies) {
    const head = `- ${code(d.target)}${d.implicated ? ' — **implicated by the verdict**' : ''}: `
    if (d.failing.length === 0) out.push(`${head}healthy throughout`)
    else {
      out.push(`${head}failing ${d.failing.length} time${d.failing.length === 1 ? '' : 's'}`)
      for (const w of d.failing) out.push(`  - ${clock(w.from, { date: true })} → ${clock(w.to, { date: true })} (${text(w.lasted)})${w.detail ? `: ${text(w.detail)}` : ''}`)
    }
  }

  section('Replay')
  if (!f.replay) out.push('No failing request to replay.')
  else {
    out.push(`A failing request, to reproduce in isolation: ${code(`${f.replay.method} ${f.replay.url}`)}`, '', ...block(f.replay.curl, 'sh'))
    if (!f.replay.idempotent) out.push('', `**${text(notIdempotentWarning(f.replay.method))}**`)
  }

  section('Actions and notes')
  if (f.actions.length === 0) out.push('No decisions or notes were recorded.')
  for (const a of f.actions) out.push(`- ${clock(a.at, { date: true })} **${text(a.kind)}:** ${itemText(a.text)}`)

  section('Sources')
  if (f.sources.length === 0) out.push('No log files.')
  for (const s of f.sources) out.push(`- ${code(s.path)} — ${text(s.detail)}`)

  return `${out.join('\n')}\n`
}
