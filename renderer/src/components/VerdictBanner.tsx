import { percent } from '../../../shared/format'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'
import { selectAnalysis, selectAnalysisError, selectChosenPlaybook, selectSources, useApp } from '../store'
import { ReasonList } from './EvidenceLink'

/** The verdict in one line an engineer can act on, with the reasons that lead to it. */
export function VerdictBanner() {
  const analysis = useApp(selectAnalysis)
  const chosen = useApp(selectChosenPlaybook)
  const error = useApp(selectAnalysisError)
  const dismiss = useApp((s) => s.dismissAnalysisError)
  const hasSources = useApp(selectSources).length > 0
  const choosePlaybook = useApp((s) => s.choosePlaybook)
  const finding = analysis?.findings[0]
  const verdict = analysis?.v1.verdict
  const playbook = finding?.playbook ?? verdict?.playbook ?? null
  const tone = playbook === null ? 'pending' : playbook === 'none' ? 'calm' : 'alarm'
  return (
    <section className={`verdict ${tone}`} aria-labelledby="verdict-title" data-testid="verdict">
      {error ? (
        <div className="error-box" role="alert">
          <pre>{error}</pre>
          <button type="button" className="icon" aria-label="Dismiss analysis error" onClick={dismiss}>
            ×
          </button>
        </div>
      ) : null}
      {playbook === null ? (
        <>
          <h2 id="verdict-title" className="verdict-title">
            No verdict yet
          </h2>
          <p className="empty">{hasSources ? 'Reading the evidence…' : 'Add logs and endpoints: the verdict appears once there is evidence.'}</p>
        </>
      ) : (
        <>
          <div className="verdict-head">
            <h2 id="verdict-title" className="verdict-title">
              {PLAYBOOK_TITLES[playbook]}
            </h2>
            <span className="confidence" data-testid="confidence">
              confidence {percent(finding?.confidence ?? verdict?.confidence ?? 0)}
            </span>
          </div>
          {finding ? (
            <ReasonList reasons={finding.reasons} label="Why" />
          ) : (
            <ReasonList reasons={(verdict?.reasons ?? []).map((text) => ({ text, evidence: [] }))} label="Why" />
          )}
          {chosen !== null && chosen !== playbook ? (
            <p className="switched" role="status">
              You are following “{PLAYBOOK_TITLES[chosen]}” instead.{' '}
              <button type="button" className="link" onClick={() => void choosePlaybook(null)}>
                Follow the verdict
              </button>
            </p>
          ) : null}
        </>
      )}
    </section>
  )
}
