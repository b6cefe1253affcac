import { useMemo } from 'react'
import { classifyStack } from '../../../shared/runbook'

/** A folded stack trace with the service's own frames highlighted and library frames dimmed. */
export function StackTrace({ text, label }: { text: string; label: string }) {
  const lines = useMemo(() => classifyStack(text), [text])
  return (
    <pre className="stack" aria-label={label} tabIndex={0}>
      {lines.map((l, i) => (
        <span key={i} className={`frame-${l.kind}`} data-frame={l.kind}>
          {l.text}
          {'\n'}
        </span>
      ))}
    </pre>
  )
}
