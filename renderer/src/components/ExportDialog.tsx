import { useId, useState, type FormEvent } from 'react'
import { errorText } from '../api/errors'
import { exportReport, type ExportChoice } from '../report/export-report'
import { useApp } from '../store'
import { Modal } from './Modal'

const CHOICES: { value: ExportChoice; label: string; hint: string }[] = [
  { value: 'markdown', label: 'Markdown', hint: 'for a ticket, a chat or a wiki' },
  { value: 'html', label: 'HTML', hint: 'one self-contained page' },
  { value: 'pdf', label: 'PDF', hint: 'to attach or print' },
  { value: 'json', label: 'JSON', hint: 'for tools' }
]

export const UNREDACTED_WARNING = 'Warning: the report will contain raw secrets: internal use only.'

/** Exports the incident report; secrets are redacted unless the engineer says otherwise. */
export function ExportDialog({ onClose }: { onClose(): void }) {
  const platform = useApp((s) => s.platform)
  const [choice, setChoice] = useState<ExportChoice>('markdown')
  const [redact, setRedact] = useState(true)
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null)
  const redactId = useId()
  const warningId = useId()
  const pdfHint = platform?.savePdf ? 'you choose where the PDF is saved' : 'opens the print dialog: choose “Save as PDF”'

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!platform || busy) return
    setBusy(true)
    setResult(null)
    try {
      setResult({ ok: true, text: await exportReport(platform, document, choice, redact) })
    } catch (err) {
      setResult({ ok: false, text: `Could not export the report: ${errorText(err)}` })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Modal title="Export the incident report" onClose={onClose} className="export-dialog">
      <form onSubmit={onSubmit}>
        <fieldset className="choices">
          <legend>Format</legend>
          {CHOICES.map((c) => (
            <label key={c.value} className="choice">
              <input type="radio" name="report-format" value={c.value} checked={choice === c.value} onChange={() => setChoice(c.value)} /> {c.label}
              <span className="hint"> — {c.value === 'pdf' ? pdfHint : c.hint}</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor={redactId} className="choice">
          <input id={redactId} type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} aria-describedby={redact ? undefined : warningId} />
          {' Redact secrets'}
          <span className="hint"> — bearer tokens, API keys, passwords, cookies and emails become [REDACTED]</span>
        </label>
        {redact ? null : (
          <p id={warningId} className="warning" role="alert">
            {UNREDACTED_WARNING}
          </p>
        )}
        <div className="row modal-actions">
          <button type="submit" disabled={!platform || busy}>
            {busy ? 'Exporting…' : 'Export'}
          </button>
          <button type="button" className="secondary" onClick={onClose}>
            Close
          </button>
        </div>
        {result ? (
          <p className={result.ok ? 'result' : 'error-text'} role={result.ok ? 'status' : 'alert'} data-testid="export-result">
            {result.text}
          </p>
        ) : null}
      </form>
    </Modal>
  )
}
