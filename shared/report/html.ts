/**
 * The report as one self-contained HTML page: inline CSS, an inline SVG chart, no scripts and
 * nothing loaded from anywhere (its CSP forbids it). It prints well, so the desktop app's
 * printToPDF and a browser's "Save as PDF" give the PDF.
 */
import { chartSvg } from './chart'
import { type ReportFacts, STEP_STATUS_LABEL } from './facts'
import { clock, count, percent } from '../format'
import { redactionSummary } from './wording'
import { notIdempotentWarning } from '../model/methods'
import { UNREDACTED_WARNING } from './model'

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
/** Text with its line breaks kept. */
/** Only http(s) permalinks become links. */
const sentryLink = (s: { label: string; permalink: string }): string =>
  /^https?:\/\//.test(s.permalink) ? `<a href="${esc(s.permalink)}" rel="noreferrer noopener">${esc(s.label)}</a>` : esc(s.label)
const para = (s: string): string => esc(s.trim()).replace(/\r?\n/g, '<br>')

const CSS = `
:root{--fg:#1b1f27;--muted:#5b6472;--line:#d8dce3;--bg:#fff;--soft:#f5f6f8;--bad:#c62828;--bad-soft:#fdecea;--warn:#b26a00;--ok:#2e7d32;--deploy:#3949ab}
*{box-sizing:border-box}
body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0}
main{max-width:1120px;margin:0 auto;padding:28px 32px 48px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:19px;margin:32px 0 10px;padding-bottom:4px;border-bottom:2px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:var(--muted);margin:0 0 8px}
.banner{border:2px solid var(--bad);background:var(--bad-soft);color:var(--bad);font-weight:700;padding:10px 14px;border-radius:6px;margin:12px 0;font-size:16px}
.what{font-size:16px;margin:8px 0 12px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--soft);font-weight:600}
table.facts th{width:200px}
table.facts tr.alert td{color:#b42318;font-weight:600}
td.when{white-space:nowrap;font-variant-numeric:tabular-nums;color:var(--muted)}
.kind{display:inline-block;min-width:74px;font-size:12px;font-weight:600;padding:1px 6px;border-radius:4px;background:var(--soft)}
.kind-Deploy{color:var(--deploy)}.kind-Detection,.kind-Health{color:var(--bad)}.kind-Decision{color:var(--ok)}
code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--soft);padding:0 3px;border-radius:3px}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:10px 12px;white-space:pre;overflow-x:auto;tab-size:4;margin:6px 0 12px}
.verdict{border-left:5px solid var(--bad);background:var(--bad-soft);padding:10px 14px;border-radius:0 6px 6px 0}
.verdict .playbook{font-weight:700;font-size:16px}
.evidence{color:var(--muted);font-size:13px}
ul{margin:6px 0;padding-left:22px}
.steps{list-style:none;padding-left:0}
.steps>li{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:6px 0}
.status{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;margin-right:8px;background:var(--soft);color:var(--muted)}
.status-checked,.status-auto-checked{background:#e8f5e9;color:var(--ok)}
.status-skipped{background:#fff4e5;color:var(--warn)}
.group{margin:14px 0}
.new{color:var(--bad);font-weight:600}
.suspect{color:var(--bad);font-weight:600}
.warn{color:var(--warn);font-weight:600}
.empty{color:var(--muted);font-style:italic}
figure{margin:12px 0}
figcaption{color:var(--muted);font-size:12.5px}
svg.chart{width:100%;height:auto;display:block;border:1px solid var(--line);border-radius:6px;background:#fff}
svg.chart .grid{stroke:#e6e8ec;stroke-width:1}
svg.chart .axis{fill:var(--muted);font-size:12px}
svg.chart .area{fill:rgba(198,40,40,.16);stroke:none}
svg.chart .rate{fill:none;stroke:var(--bad);stroke-width:2}
svg.chart .deploy line{stroke:var(--deploy);stroke-width:1.5;stroke-dasharray:5 4}
svg.chart .deploy text{fill:var(--deploy);font-size:12px;font-weight:600}
svg.chart .onset{stroke:var(--warn);stroke-width:1.5;stroke-dasharray:2 3}
svg.chart .onset-label{fill:var(--warn);font-size:12px}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@page{size:A4;margin:14mm}
@media print{
  body{font-size:10.5pt}
  main{max-width:none;padding:0}
  h2{break-after:avoid;page-break-after:avoid}
  h3{break-after:avoid}
  tr,.steps>li,figure,.verdict{break-inside:avoid;page-break-inside:avoid}
  pre{font-size:8.5pt;break-inside:auto;white-space:pre-wrap;word-break:break-all;overflow:visible}
  .banner,.verdict,.status,.kind,svg.chart{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  a{color:inherit;text-decoration:none}
}
`

const empty = (s: string): string => `<p class="empty">${esc(s)}</p>`

function section(id: string, title: string, body: string): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`
}

export function renderHtml(f: ReportFacts, redaction: { redacted: boolean; count: number }): string {
  const parts: string[] = []

  const facts = f.impact.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')
  const chart = f.chart ? `<figure>${chartSvg(f.chart)}<figcaption>5xx rate over time; dashed blue lines are deploys, the dotted orange line the onset.</figcaption></figure>` : ''
  parts.push(section('summary', 'Summary', `<p class="what">${para(f.what)}</p><table class="facts">${facts}</table>${chart}`))

  const hurt = f.hurt === null
    ? empty('No evidence has been analysed yet.')
    : `<table class="facts">${f.hurt.map((l) => `<tr${l.alert ? ' class="alert"' : ''}><th>${esc(l.label)}</th><td>${esc(l.value)}</td></tr>`).join('')}</table>`
  parts.push(section('impact', 'Impact', hurt))

  const timeline =
    f.timeline.length === 0
      ? empty('Nothing recorded yet.')
      : `<table><thead><tr><th>time (UTC)</th><th>what</th><th></th></tr></thead><tbody>${f.timeline
          .map((r) => `<tr><td class="when">${esc(clock(r.at, { date: true, zone: false }))}</td><td><span class="kind kind-${esc(r.kind)}">${esc(r.kind)}</span></td><td>${para(r.text)}</td></tr>`)
          .join('')}</tbody></table>${f.timelineOmitted > 0 ? `<p class="empty">…and ${count(f.timelineOmitted)} later entries (see the incident's journal.jsonl).</p>` : ''}`
  parts.push(section('timeline', 'Timeline', timeline))

  let verdict = f.verdict
    ? `<div class="verdict"><div class="playbook">${esc(f.verdict.playbook)} — ${esc(f.verdict.label)}</div><div class="evidence">confidence ${percent(f.verdict.confidence)}</div><ul>${f.verdict.reasons
        .map((r) => `<li>${para(r.text)}${r.evidence.length ? `<div class="evidence">evidence: ${r.evidence.map(esc).join('; ')}</div>` : ''}</li>`)
        .join('')}</ul></div>`
    : empty(f.hasAnalysis ? 'No verdict: the evidence does not point at a situation yet.' : 'No verdict: no evidence has been analysed.')
  if (f.chosen) verdict += `<p class="warn">${esc(f.chosen)}</p>`
  if (f.missingConfig.length > 0) verdict += `<p>Missing configuration: ${f.missingConfig.map((c) => `<code>${esc(c)}</code>`).join(', ')}</p>`
  if (f.secondary.length > 0)
    verdict += `<p>Also supported by the evidence:</p><ul>${f.secondary
      .map((s) => `<li><strong>${esc(s.playbook)}</strong> — ${esc(s.label)} (confidence ${percent(s.confidence)})${s.reason ? `: ${para(s.reason)}` : ''}</li>`)
      .join('')}</ul>`
  parts.push(section('verdict', 'Verdict and reasons', verdict))

  const runbook = f.runbook
    ? `<p><strong>${esc(f.runbook.title)}</strong> (${esc(f.runbook.playbook)})</p><ol class="steps">${f.runbook.steps
        .map(
          (s) =>
            `<li><span class="status status-${esc(s.status)}">${esc(STEP_STATUS_LABEL[s.status] ?? s.status)}</span><strong>${esc(s.title)}</strong>${
              s.evidence.length ? `<ul>${s.evidence.map((e) => `<li>${para(e)}</li>`).join('')}</ul>` : ''
            }${s.note.trim() ? `<p><em>Note:</em> ${para(s.note)}</p>` : ''}</li>`
        )
        .join('')}</ol>`
    : empty('No runbook was followed.')
  parts.push(section('runbook', 'Runbook', runbook))

  const groups =
    f.groups.length === 0
      ? empty('No application errors in the evidence.')
      : f.groups
          .map(
            (g, i) =>
              `<div class="group"><h3>${i + 1}. ${esc(g.title)} — ${count(g.count)} error${g.count === 1 ? '' : 's'}</h3><div class="evidence">first seen ${esc(clock(g.firstSeen, { date: true }))}, last seen ${esc(clock(g.lastSeen, { date: true }))}${
                g.newSinceDeploy ? ' — <span class="new">new since the last deploy</span>' : ''
              }${g.endpoints.length ? `<br>on ${g.endpoints.slice(0, 5).map((e) => `<code>${esc(e)}</code>`).join(', ')}${g.endpoints.length > 5 ? ` and ${g.endpoints.length - 5} more` : ''}` : ''}${g.sentry ? `<br>Sentry ${sentryLink(g.sentry)}: ${esc(g.sentry.detail)}` : ''}</div><pre>${esc(g.trace)}</pre></div>`
          )
          .join('') +
        (f.groupsOmitted > 0 ? `<p class="empty">…and ${count(f.groupsOmitted)} smaller groups.</p>` : '') +
        (f.sentryOnly !== null && f.sentryOnly.length > 0
          ? `<p><strong>Sentry only</strong> (issues of the window no log group matched):</p><ul>${f.sentryOnly.map((i) => `<li>${sentryLink(i)} ${esc(i.title)} — ${esc(i.detail)}</li>`).join('')}</ul>`
          : '')
  parts.push(section('groups', 'Error groups', groups))

  const live = f.liveVersions.length > 0 ? `<ul>${f.liveVersions.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>` : ''
  const deploys =
    f.deploys.length === 0
      ? empty(f.noDeploys)
      : `<table><thead><tr><th>version</th><th>live at (UTC)</th><th>commit</th><th></th></tr></thead><tbody>${f.deploys
          .map(
            (d) =>
              `<tr><td><code>${esc(d.version)}</code></td><td class="when">${esc(clock(d.at, { date: true, zone: false }))}</td><td>${d.commit ? `<code>${esc(d.commit.slice(0, 12))}</code>` : '—'}</td><td>${
                d.suspect ? `<span class="suspect">${esc(d.suspect)}</span>` : ''
              }</td></tr>`
          )
          .join('')}</tbody></table>`
  parts.push(section('deploys', 'Deploys', deploys + live))

  const deps =
    f.dependencies.length === 0
      ? empty('No health checks were watched.')
      : `<table><thead><tr><th>target</th><th>failing windows</th></tr></thead><tbody>${f.dependencies
          .map(
            (d) =>
              `<tr><td><code>${esc(d.target)}</code>${d.implicated ? '<br><span class="suspect">implicated by the verdict</span>' : ''}</td><td>${
                d.failing.length === 0
                  ? 'healthy throughout'
                  : `<ul>${d.failing.map((w) => `<li>${esc(clock(w.from, { date: true }))} → ${esc(clock(w.to, { date: true }))} (${esc(w.lasted)})${w.detail ? `: ${esc(w.detail)}` : ''}</li>`).join('')}</ul>`
              }</td></tr>`
          )
          .join('')}</tbody></table>`
  parts.push(section('dependencies', 'Dependencies', deps))

  const replay = f.replay
    ? `<p>A failing request, to reproduce in isolation: <code>${esc(`${f.replay.method} ${f.replay.url}`)}</code></p><pre>${esc(f.replay.curl)}</pre>${
        f.replay.idempotent ? '' : `<p class="warn">${esc(notIdempotentWarning(f.replay.method))}</p>`
      }`
    : empty('No failing request to replay.')
  parts.push(section('replay', 'Replay', replay))

  const actions =
    f.actions.length === 0
      ? empty('No decisions or notes were recorded.')
      : `<table><tbody>${f.actions
          .map((a) => `<tr><td class="when">${esc(clock(a.at, { date: true, zone: false }))}</td><td><span class="kind kind-${esc(a.kind)}">${esc(a.kind)}</span></td><td>${para(a.text)}</td></tr>`)
          .join('')}</tbody></table>`
  parts.push(section('actions', 'Actions and notes', actions))

  const sources =
    f.sources.length === 0 ? empty('No log files.') : `<ul>${f.sources.map((s) => `<li><code>${esc(s.path)}</code> — ${esc(s.detail)}</li>`).join('')}</ul>`
  parts.push(section('sources', 'Sources', sources))

  const banner = redaction.redacted ? '' : `<div class="banner" role="alert">⚠ ${esc(UNREDACTED_WARNING)}. Secrets and personal data in this report were NOT redacted.</div>`
  const redactionNote = redaction.redacted ? ` · ${redactionSummary(redaction.count)}` : ''
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${redaction.redacted ? '' : '[UNREDACTED] '}${esc(f.title)} — incident report</title>
<style>${CSS}</style></head>
<body><main>
<header><h1>${esc(f.title)}</h1><p class="meta">Incident report · ${esc(f.status)} · generated ${esc(clock(f.generatedAt, { date: true }))}${redactionNote}</p>${banner}</header>
${parts.join('\n')}
<footer>Generated by Triage500 from the incident's evidence and journal.</footer>
</main></body></html>
`
}
