/**
 * renderReport: the incident report in Markdown, HTML or JSON. Redaction (on by default in
 * every export) runs over every string of the model before anything is laid out, so no
 * section can leak what another one hides.
 */
import { reportFacts } from './facts'
import { renderHtml } from './html'
import { renderMarkdown } from './markdown'
import { type ReportFormat, type ReportModel, type ReportOptions, UNREDACTED_WARNING } from './model'
import { redact, redactDeep } from './redact'

export const REPORT_SCHEMA = 'triage500.report/v1'

/** The model as it goes into a report: redacted unless `redact` is false, with the number of values replaced. */
export function prepareModel(model: ReportModel, opts: ReportOptions): { model: ReportModel; redactions: number } {
  if (!opts.redact) return { model, redactions: 0 }
  const counter = { n: 0 }
  return { model: redactDeep(model, counter), redactions: counter.n }
}

export function renderReport(model: ReportModel, format: ReportFormat, opts: ReportOptions = { redact: true }): string {
  const prepared = prepareModel(model, opts)
  const redaction = { redacted: opts.redact, count: prepared.redactions }
  switch (format) {
    case 'markdown':
      return renderMarkdown(reportFacts(prepared.model), redaction)
    case 'html':
      return renderHtml(reportFacts(prepared.model), redaction)
    case 'json': {
      const doc = {
        schema: REPORT_SCHEMA,
        redacted: opts.redact,
        redactions: prepared.redactions,
        ...(opts.redact ? {} : { warning: UNREDACTED_WARNING }),
        ...prepared.model
      }
      return `${JSON.stringify(doc, null, 2)}\n`
    }
  }
}

/** What a saved report is called and typed as. */
export function reportFile(model: ReportModel, format: ReportFormat, opts: ReportOptions = { redact: true }): { fileName: string; mimeType: string } {
  const title = opts.redact ? redact(model.incident.title) : model.incident.title
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'incident'
  const base = `${model.incident.createdAt.slice(0, 10)}-${slug}-report`
  if (format === 'html') return { fileName: `${base}.html`, mimeType: 'text/html' }
  if (format === 'json') return { fileName: `${base}.json`, mimeType: 'application/json' }
  return { fileName: `${base}.md`, mimeType: 'text/markdown' }
}
