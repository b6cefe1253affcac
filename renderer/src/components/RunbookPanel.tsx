import { memo, useEffect, useId, useRef, useState, type FormEvent } from 'react'
import { PLAYBOOKS, type Playbook, type RunbookStep, type StepStatus } from '../../../shared/contract'
import { clock } from '../../../shared/format'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'
import { selectAnalysis, selectFocus, selectFocusSeq, selectIncident, selectRunbook, selectSources, useApp } from '../store'
import { CopyButton } from './CopyButton'
import { IncidentJournal } from './IncidentJournal'
import { StackTrace } from './StackTrace'

const STATUS_TEXT: Record<StepStatus, string> = {
  todo: 'to do',
  'auto-checked': 'checked by the evidence',
  checked: 'done',
  skipped: 'skipped'
}

export function RunbookPanel() {
  const analysis = useApp(selectAnalysis)
  const incident = useApp(selectIncident)
  const hasSources = useApp(selectSources).length > 0
  const choosePlaybook = useApp((s) => s.choosePlaybook)
  const [decisionDraft, setDecisionDraft] = useState('')
  const selectId = useId()
  // The session builds the runbook from the analysis and the incident; this only shows it.
  const runbook = useApp(selectRunbook)
  const verdictTitle = runbook?.verdict ? PLAYBOOK_TITLES[runbook.verdict] : null

  return (
    <section className="panel runbook-panel" aria-labelledby="runbook-title">
      <div className="panel-head">
        <h2 id="runbook-title">Runbook</h2>
        <label htmlFor={selectId} className="sr-only">
          Playbook
        </label>
        <select
          id={selectId}
          value={incident?.chosenPlaybook ?? ''}
          disabled={!incident}
          onChange={(e) => void choosePlaybook(e.target.value === '' ? null : (e.target.value as Playbook))}
        >
          <option value="">{verdictTitle ? `Follow the verdict: ${verdictTitle}` : 'Follow the verdict'}</option>
          {PLAYBOOKS.map((p) => (
            <option key={p} value={p}>
              {PLAYBOOK_TITLES[p]}
            </option>
          ))}
        </select>
      </div>
      {!analysis && !hasSources ? (
        <p className="empty">
          Add the service&apos;s access log, its application log or the proxy&apos;s error log. The runbook fills in from the evidence: what changed,
          which dependency fails, which endpoint breaks.
        </p>
      ) : null}
      {runbook ? (
        <>
          <h3 className="runbook-title" data-testid="runbook-title">
            {runbook.title}
          </h3>
          <p className="first-action">{runbook.firstAction}</p>
          <ol className="steps">
            {runbook.steps.map((step, i) => (
              <Step key={`${runbook.playbook}:${step.id}`} step={step} index={i + 1} playbook={runbook.playbook} onDecision={setDecisionDraft} />
            ))}
          </ol>
        </>
      ) : null}
      <IncidentJournal decisionDraft={decisionDraft} onDecisionDraft={setDecisionDraft} />
    </section>
  )
}

interface StepProps {
  step: RunbookStep
  index: number
  playbook: Playbook
  onDecision(text: string): void
}

const Step = memo(function Step({ step, index, playbook, onDecision }: StepProps) {
  const setStep = useApp((s) => s.setStep)
  const focus = useApp(selectFocus)
  const focusSeq = useApp(selectFocusSeq)
  const incidentReady = useApp((s) => s.incident !== null)
  // The draft survives live refreshes of the analysis: it is only replaced once it is saved.
  const [draft, setDraft] = useState<string | null>(null)
  const [confirmed, setConfirmed] = useState(false)
  const noteId = useId()
  const confirmId = useId()
  const ref = useRef<HTMLLIElement>(null)
  const focused = focus?.kind === 'config' && step.id === 'missing-config'

  useEffect(() => {
    if (focused) ref.current?.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
  }, [focused, focusSeq])

  const note = draft ?? step.note
  async function saveNote(e: FormEvent) {
    e.preventDefault()
    if (draft === null) return
    if (await setStep(playbook, step.id, step.status, draft)) setDraft(null)
  }
  const mark = (status: StepStatus) => void setStep(playbook, step.id, status)
  const engineerSet = step.status === 'checked' || step.status === 'skipped'

  return (
    <li ref={ref} className={`step status-${step.status}${focused ? ' focused' : ''}`} data-testid={`step-${step.id}`} aria-labelledby={`${noteId}-title`}>
      <div className="step-head">
        <span className="step-index" aria-hidden="true">
          {step.status === 'todo' ? index : step.status === 'skipped' ? '–' : '✓'}
        </span>
        <h4 id={`${noteId}-title`}>{step.title}</h4>
        <span className="step-status" data-testid="step-status">
          {STATUS_TEXT[step.status]}
        </span>
      </div>
      <p className="step-action">{step.action}</p>
      {step.evidence.length > 0 ? (
        <ul className="step-evidence" aria-label={`Evidence: ${step.title}`}>
          {step.evidence.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      ) : null}
      {step.detail?.kind === 'code' ? <StackTrace text={step.detail.text} label={`Stack trace: ${step.title}`} /> : null}
      {step.detail?.kind === 'list' ? (
        <ul className="step-list">
          {step.detail.text.split('\n').map((item) => (
            <li key={item}>
              <code>{item}</code>
            </li>
          ))}
        </ul>
      ) : null}
      {step.detail?.kind === 'curl' ? (
        <div className="replay">
          <pre className="curl" data-testid="replay-command">
            {step.detail.text}
          </pre>
          {step.detail.confirm ? (
            <label htmlFor={confirmId} className="confirm">
              <input id={confirmId} type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} /> {step.detail.confirm}
            </label>
          ) : null}
          <CopyButton text={step.detail.text} label="Copy the replay command" disabled={Boolean(step.detail.confirm) && !confirmed} />
        </div>
      ) : null}
      <div className="step-controls">
        {engineerSet ? (
          <button type="button" className="secondary small" disabled={!incidentReady} onClick={() => mark('todo')} aria-label={`Reopen: ${step.title}`}>
            Reopen
          </button>
        ) : (
          <>
            <button type="button" className="small" disabled={!incidentReady} onClick={() => mark('checked')} aria-label={`Mark done: ${step.title}`}>
              Done
            </button>
            <button type="button" className="secondary small" disabled={!incidentReady} onClick={() => mark('skipped')} aria-label={`Skip: ${step.title}`}>
              Skip
            </button>
          </>
        )}
        {step.decisionHint ? (
          <button type="button" className="secondary small" onClick={() => onDecision(`${step.decisionHint} at ${clock(Date.now(), { seconds: false })}`)}>
            Record as decision…
          </button>
        ) : null}
      </div>
      <form className="step-note" onSubmit={saveNote}>
        <label htmlFor={noteId} className="sr-only">
          Note: {step.title}
        </label>
        <textarea id={noteId} rows={1} placeholder="Note (what you saw, what you tried)" value={note} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" className="secondary small" disabled={draft === null || draft === step.note || !incidentReady} aria-label={`Save note: ${step.title}`}>
          Save
        </button>
      </form>
    </li>
  )
})
