import { useState } from 'react'
import type { SourceInfo } from '../../../shared/contract'
import { FIELD_ROLES, type FieldMap, type FieldRole } from '../../../shared/model/evidence'
import { useApp } from '../store'

/**
 * The field map a source is read with (`status ← response_code`), and a one-field correction:
 * when inference picked the wrong key, the engineer names the right one and the source is re-read.
 */
export function FieldMapEditor({ source }: { source: SourceInfo }) {
  const setSourceFieldMap = useApp((s) => s.setSourceFieldMap)
  const [open, setOpen] = useState(false)
  const [role, setRole] = useState<FieldRole>('status')
  const [field, setField] = useState('')
  const map: FieldMap = source.fieldMap ?? {}
  const forced = source.fieldMapForced ?? {}
  const entries = FIELD_ROLES.flatMap((r) => (map[r] === undefined ? [] : [[r, map[r]] as const]))
  if (entries.length === 0 && Object.keys(forced).length === 0) return null
  const apply = (): void => {
    const name = field.trim()
    if (name === '') return
    void setSourceFieldMap(source.id, { ...forced, [role]: name })
    setOpen(false)
    setField('')
  }
  return (
    <div className="source-meta field-map" data-testid="field-map">
      <span className="field-map-label">fields:</span>{' '}
      {entries.map(([r, key], i) => (
        <span key={r} className={forced[r] === undefined ? 'field-inferred' : 'field-forced'} data-testid={`field-${r}`}>
          {i > 0 ? ' · ' : ''}
          {r} ← {key}
        </span>
      ))}{' '}
      <button type="button" className="link" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'cancel' : 'correct a field'}
      </button>
      {Object.keys(forced).length > 0 ? (
        <button type="button" className="link" onClick={() => void setSourceFieldMap(source.id, null)}>
          undo corrections
        </button>
      ) : null}
      {open ? (
        <form
          className="field-map-form"
          onSubmit={(e) => {
            e.preventDefault()
            apply()
          }}
        >
          <label>
            role{' '}
            <select aria-label={`Role to map in ${source.name}`} value={role} onChange={(e) => setRole(FIELD_ROLES.find((r) => r === e.target.value) ?? 'status')}>
              {FIELD_ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>{' '}
          <label>
            ← field{' '}
            <input
              aria-label={`Field for the role in ${source.name}`}
              value={field}
              placeholder={map[role] ?? 'key or dotted.path'}
              onChange={(e) => setField(e.target.value)}
            />
          </label>{' '}
          <button type="submit" disabled={field.trim() === ''}>
            Re-read
          </button>
        </form>
      ) : null}
    </div>
  )
}
