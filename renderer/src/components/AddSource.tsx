import { useId, useRef, useState, type FormEvent } from 'react'
import { selectAdding, useApp } from '../store'
import { kubectlCommands } from '../../../shared/model/kubectl-commands'

export function AddSource() {
  const [path, setPath] = useState('')
  const adding = useApp(selectAdding)
  const addPath = useApp((s) => s.addPath)
  const addFiles = useApp((s) => s.addFiles)
  const fileInput = useRef<HTMLInputElement>(null)
  const pathId = useId()

  async function onSubmit(e: FormEvent) {
    e.preventDefault()
    if (!path.trim()) return
    if (await addPath(path.trim())) setPath('')
  }

  return (
    <form className="add-source" onSubmit={onSubmit} aria-label="Add a log file">
      <label htmlFor={pathId}>Log file path</label>
      <div className="row">
        <input
          id={pathId}
          type="text"
          value={path}
          placeholder="/var/log/nginx/access.log, ~/logs/app.log or /var/log/nginx/*.log"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setPath(e.target.value)}
        />
        <button type="submit" disabled={adding || !path.trim()}>
          Add
        </button>
      </div>
      <div className="row">
        <button type="button" className="secondary" onClick={() => fileInput.current?.click()} disabled={adding}>
          Choose file…
        </button>
        <span className="hint">or drop log files anywhere on the window</span>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Choose log files"
          data-testid="file-picker"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])]
            e.target.value = ''
            if (files.length > 0) void addFiles(files)
          }}
        />
      </div>
      <details className="kubectl-help">
        <summary>Kubernetes: commands to copy (read-only)</summary>
        <ul>
          {kubectlCommands().map((c) => (
            <li key={c.command}>
              <span className="hint">{c.what}</span> <code>{c.command}</code>
            </li>
          ))}
        </ul>
      </details>
    </form>
  )
}
