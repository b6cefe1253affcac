import type { EvidenceRef } from '../../../shared/contract'
import { clock } from '../../../shared/format'
import { healthName } from '../../../shared/model/evidence'
import { selectWindowSpansDays, useApp } from '../store'

/** What the link says, and what the screen does with it (for the accessible name). */
export function evidenceLabel(ref: EvidenceRef, withDate = false): { text: string; action: string } {
  const at = (t: string): string => clock(t, { date: withDate })
  switch (ref.kind) {
    case 'deploy':
      return { text: `deploy ${ref.version}`, action: `Highlight deploy ${ref.version} on the timeline` }
    case 'health':
      return { text: `${healthName(ref.target, ref.component)} health`, action: `Highlight the ${ref.target} health band` }
    case 'group':
      return { text: 'error group', action: `Open error group ${ref.groupId}` }
    case 'route':
      return { text: `${ref.method} ${ref.route}`, action: `Filter error groups to ${ref.method} ${ref.route}` }
    case 'window':
      return { text: `${at(ref.from)} – ${at(ref.to)}`, action: `Zoom the timeline to ${at(ref.from)} – ${at(ref.to)}` }
    case 'line':
      return { text: `${ref.path.split(/[\\/]/).pop() ?? ref.path}:${ref.line}`, action: `Show the lines around ${ref.path} line ${ref.line}` }
    case 'config':
      return { text: ref.name, action: `Go to the configuration step for ${ref.name}` }
  }
}

export function EvidenceLink({ evidence }: { evidence: EvidenceRef }) {
  const showEvidence = useApp((s) => s.showEvidence)
  const withDate = useApp(selectWindowSpansDays)
  const { text, action } = evidenceLabel(evidence, withDate)
  return (
    <button type="button" className={`evidence-link kind-${evidence.kind}`} aria-label={action} title={action} onClick={() => showEvidence(evidence)}>
      {text}
    </button>
  )
}

export function ReasonList({ reasons, label }: { reasons: { text: string; evidence: EvidenceRef[] }[]; label: string }) {
  return (
    <ul className="reasons" aria-label={label}>
      {reasons.map((r, i) => (
        <li key={`${i}:${r.text}`}>
          <span>{r.text}</span>
          {r.evidence.map((e, j) => (
            <EvidenceLink key={j} evidence={e} />
          ))}
        </li>
      ))}
    </ul>
  )
}
