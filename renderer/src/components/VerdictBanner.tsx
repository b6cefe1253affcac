import { useEffect, useState } from 'react'
import { clock, duration, percent } from '../../../shared/format'
import { LIVE_BUDGET } from '../../../shared/live-budget'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'
import { selectAnalysis, selectAnalysisError, selectChosenPlaybook, selectSources, useApp } from '../store'
import { ReasonList } from './EvidenceLink'

/** The verdict in one line an engineer can act on, with the reasons that lead to it. */
export function VerdictBanner() {
  const analysis = useApp(selectAnalysis)
  const chosen = useApp(selectChosenPlaybook)
  const error = useApp(selectAnalysisError)
  const dismiss = useApp((s) => s.dismissAnalysisError)
  const sources = useApp(selectSources)
  const hasSources = sources.length > 0
  const following = sources.some((s) => s.state === 'tailing')
  const choosePlaybook = useApp((s) => s.choosePlaybook)
  const finding = analysis?.findings[0]
  const verdict = analysis?.v1.verdict
  const playbook = finding?.playbook ?? verdict?.playbook ?? null
  const runbook = useApp((s) => s.runbook)
  // The runbook's narrower title of the same verdict ("A sustained step in 5xx…" rather than "Intermittent 5xx").
  const title = playbook === null ? null : runbook !== null && runbook.verdict === playbook && runbook.playbook === playbook ? runbook.title : PLAYBOOK_TITLES[playbook]
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
              {title}
            </h2>
            <span className="confidence" data-testid="confidence">
              confidence {percent(finding?.confidence ?? verdict?.confidence ?? 0)}
            </span>
            {analysis ? <PictureAge computedAt={analysis.computedAt} following={following} behindLogs={analysis.behind === true} /> : null}
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

/**
 * How old the picture is: "as of 14:05:31 (2 s ago)", ticking. While logs are followed, a picture
 * older than the live budget, or one the session says newer lines wait behind, says the analysis
 * is behind the logs.
 */
function PictureAge({ computedAt, following, behindLogs }: { computedAt: number; following: boolean; behindLogs: boolean }) {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])
  const age = Math.max(0, now - computedAt)
  // A one-shot analysis is as of its evidence's end, which may be long ago: only live pictures age.
  if (!following) return <span className="picture-age" data-testid="picture-age">as of {clock(computedAt)}</span>
  const behind = behindLogs || age > 2 * LIVE_BUDGET.totalMs + 1000
  return (
    <span className={`picture-age${behind ? ' behind' : ''}`} data-testid="picture-age" title={behind ? 'The analysis has not caught up with the logs yet' : undefined}>
      as of {clock(computedAt, { seconds: true })} ({age < 1000 ? 'just now' : `${duration(Math.floor(age / 1000) * 1000)} ago`}){behind ? ' · analysis behind the logs' : ''}
    </span>
  )
}
