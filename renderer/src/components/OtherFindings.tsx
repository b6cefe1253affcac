import { percent } from '../../../shared/format'
import { PLAYBOOK_TITLES } from '../../../shared/playbooks'
import { selectChosenPlaybook, selectFindings, useApp } from '../store'
import { ReasonList } from './EvidenceLink'

/** What else the evidence supports: visible whichever playbook the engineer follows. */
export function OtherFindings() {
  const findings = useApp(selectFindings)
  const chosen = useApp(selectChosenPlaybook)
  const choosePlaybook = useApp((s) => s.choosePlaybook)
  const others = findings?.slice(1) ?? []
  if (others.length === 0) return null
  return (
    <section className="panel findings-panel" aria-labelledby="findings-title">
      <h2 id="findings-title">Other findings</h2>
      <ul className="findings" data-testid="other-findings">
        {others.map((f) => (
          <li key={f.playbook} className="finding">
            <div className="finding-head">
              <h3>{PLAYBOOK_TITLES[f.playbook]}</h3>
              <span className="confidence">{percent(f.confidence)}</span>
              {chosen === f.playbook ? (
                <span className="badge">followed</span>
              ) : (
                <button type="button" className="secondary small" onClick={() => void choosePlaybook(f.playbook)} aria-label={`Follow the playbook: ${PLAYBOOK_TITLES[f.playbook]}`}>
                  Follow
                </button>
              )}
            </div>
            <ReasonList reasons={f.reasons} label={`Why: ${PLAYBOOK_TITLES[f.playbook]}`} />
          </li>
        ))}
      </ul>
    </section>
  )
}
