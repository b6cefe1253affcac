import { useEffect, useRef, useState } from 'react'

const SHOWN_MS = 2000

/** Copies text to the clipboard and says so; says in words when the page may not write it. */
export function CopyButton({ text, label, disabled }: { text: string; label: string; disabled?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current)
  }, [])
  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard')
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      setState('failed')
    }
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => setState('idle'), SHOWN_MS)
  }
  return (
    <span className="copy">
      <button type="button" className="secondary small" onClick={() => void copy()} aria-label={label} disabled={disabled}>
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {/* The button itself says "Copied"; the status line carries it to screen readers, and the failure to everyone. */}
      <span role="status" className={state === 'failed' ? 'copy-status' : 'sr-only'}>
        {state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'The clipboard is not available here: select the text and copy it.' : ''}
      </span>
    </span>
  )
}
