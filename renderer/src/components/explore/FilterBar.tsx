import { useState, type FormEvent } from 'react'
import { selectExploreError, selectExploreQuery, useApp } from '../../store'

const EXAMPLES = ['status>=500', 'route:/api/orders/:id method:POST', 'client:1.2.3.4', 'instance:10.0.3.14:8080', '"connection refused"', '-status:404 kind:request']

/** The filter as typed; it applies on Enter (a scan of the logs per keystroke would be wasted work). */
export function FilterBar() {
  const applied = useApp(selectExploreQuery)
  const error = useApp(selectExploreError)
  const setQuery = useApp((s) => s.setExploreQuery)
  const [text, setText] = useState(applied)
  const submit = (e: FormEvent) => {
    e.preventDefault()
    setQuery(text)
  }
  return (
    <form className="filter-bar" role="search" onSubmit={submit}>
      <label htmlFor="explore-filter" className="sr-only">
        Filter requests and events
      </label>
      <input
        id="explore-filter"
        type="search"
        value={text}
        placeholder='status>=500 route:/api/orders/:id method:POST "text"'
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error?.startsWith('filter:') ? true : undefined}
        aria-describedby={error ? 'explore-filter-error' : 'explore-filter-help'}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit" className="small">
        Filter
      </button>
      {applied ? (
        <button
          type="button"
          className="secondary small"
          onClick={() => {
            setText('')
            setQuery('')
          }}
        >
          Clear filter
        </button>
      ) : null}
      {error ? (
        <p id="explore-filter-error" className="source-error filter-error" role="alert">
          {error}
        </p>
      ) : (
        <p id="explore-filter-help" className="filter-help">
          Terms: status (&gt;=500, :5xx), route:, path:, method:, client:, instance:, kind:, level:, "text"; -term excludes. E.g.{' '}
          {EXAMPLES.map((x, i) => (
            <span key={x}>
              {i > 0 ? ', ' : ''}
              <code>{x}</code>
            </span>
          ))}
        </p>
      )}
    </form>
  )
}
