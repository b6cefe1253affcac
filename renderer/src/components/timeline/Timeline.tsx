import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent, type RefObject } from 'react'
import { clock, count, duration, percent, spansDays } from '../../../../shared/format'
import { selectAnalysisDeploys, selectFocus, selectHealth, selectSuspectDeploy, selectTimeline, selectZoom, useApp } from '../../store'
import { drawTimeline, type TimelineColors } from './draw'
import { clampWindow, panWindow, rebucket, zoomWindow, type TimeWindow } from './rebucket'

const CHART_HEIGHT = 150
/** One bar per this many CSS pixels at most: thinner bars are not readable. */
const PX_PER_BIN = 3
const TABLE_ROWS = 24

function readColors(el: Element): TimelineColors {
  const css = getComputedStyle(el)
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback
  return {
    requests: v('--tl-requests', '#5b6472'),
    s500: v('--tl-500', '#e5484d'),
    s502: v('--tl-502', '#f76b15'),
    s503: v('--tl-503', '#ffc53d'),
    s504: v('--tl-504', '#d6409f'),
    other5xx: v('--tl-5xx', '#8e4ec6'),
    grid: v('--border', '#2a2f3a')
  }
}

/** Re-draws when the OS switches between dark and light. */
function useColorScheme(): number {
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    if (typeof window.matchMedia !== 'function') return
    const mq = window.matchMedia('(prefers-color-scheme: dark)')
    const onChange = () => setGeneration((g) => g + 1)
    mq.addEventListener('change', onChange)
    return () => mq.removeEventListener('change', onChange)
  }, [])
  return generation
}

function useWidth(ref: RefObject<HTMLElement | null>): number {
  const [width, setWidth] = useState(800)
  useLayoutEffect(() => {
    const el = ref.current
    if (!el) return
    if (el.clientWidth > 0) setWidth(el.clientWidth)
    if (typeof ResizeObserver === 'undefined') return
    const ro = new ResizeObserver(([entry]) => setWidth(Math.max(100, Math.floor(entry.contentRect.width))))
    ro.observe(el)
    return () => ro.disconnect()
  }, [ref])
  return width
}

const pctOf = (t: number, view: TimeWindow) => ((t - view.from) / (view.to - view.from)) * 100

/** Requests and 5xx over time, deploy markers and health bands; zoom with wheel, buttons or keys. */
export function Timeline() {
  const timeline = useApp(selectTimeline)
  const deploys = useApp(selectAnalysisDeploys)
  const health = useApp(selectHealth)
  const zoom = useApp(selectZoom)
  const focus = useApp(selectFocus)
  const suspect = useApp(selectSuspectDeploy)
  const setZoom = useApp((s) => s.setZoom)
  const showEvidence = useApp((s) => s.showEvidence)
  const plotRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const sectionRef = useRef<HTMLElement>(null)
  const width = useWidth(plotRef)
  const scheme = useColorScheme()

  const full = useMemo<TimeWindow | null>(() => {
    const b = timeline?.buckets ?? []
    if (b.length > 0) return { from: b[0].t, to: b[b.length - 1].t + (timeline?.bucketMs ?? 0) }
    const times = [...(deploys ?? []).map((d) => d.at), ...(health ?? []).flatMap((h) => h.bands.flatMap((x) => [x.from, x.to]))]
    if (times.length === 0) return null
    const from = Math.min(...times)
    const to = Math.max(...times)
    return { from, to: to > from ? to : from + 60_000 }
  }, [timeline, deploys, health])

  const view = useMemo<TimeWindow | null>(() => (full ? (zoom ? clampWindow(zoom, full) : full) : null), [full, zoom])
  const chart = useMemo(
    () => (timeline && view ? rebucket(timeline.buckets, timeline.bucketMs, view.from, view.to, Math.max(1, Math.floor(width / PX_PER_BIN))) : null),
    [timeline, view, width]
  )
  const table = useMemo(() => (timeline && view ? rebucket(timeline.buckets, timeline.bucketMs, view.from, view.to, TABLE_ROWS) : null), [timeline, view])

  useLayoutEffect(() => {
    const canvas = canvasRef.current
    if (!canvas || !chart) return
    const dpr = window.devicePixelRatio || 1
    canvas.width = Math.round(width * dpr)
    canvas.height = Math.round(CHART_HEIGHT * dpr)
    // jsdom (tests) and some locked-down GPUs give no 2D context: the text summary and table still say it all.
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    const started = performance.now()
    drawTimeline(ctx, chart.bins, width, CHART_HEIGHT, readColors(canvas), dpr)
    canvas.dataset.drawMs = (performance.now() - started).toFixed(2)
  }, [chart, width, scheme])

  // Wheel zoom needs preventDefault, which React's passive wheel listener cannot do.
  useEffect(() => {
    const el = plotRef.current
    if (!el || !full || !view) return
    const onWheel = (e: WheelEvent) => {
      if (e.deltaY === 0) return
      e.preventDefault()
      const rect = el.getBoundingClientRect()
      // Zoom around the pointer; around the middle when the plot has no layout (hidden, tests).
      const at = rect.width > 0 ? view.from + ((e.clientX - rect.left) / rect.width) * (view.to - view.from) : undefined
      setZoom(zoomWindow(view, full, e.deltaY > 0 ? 1.25 : 0.8, at, timeline?.bucketMs))
    }
    el.addEventListener('wheel', onWheel, { passive: false })
    return () => el.removeEventListener('wheel', onWheel)
  }, [full, view, setZoom, timeline?.bucketMs])

  useEffect(() => {
    if (focus && (focus.kind === 'deploy' || focus.kind === 'health' || focus.kind === 'window')) sectionRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [focus])

  const drag = useRef<{ x: number; view: TimeWindow } | null>(null)
  if (!timeline || !full || !view || !chart || !table) {
    return (
      <section className="panel timeline-panel" aria-labelledby="timeline-title" ref={sectionRef}>
        <h2 id="timeline-title">Timeline</h2>
        <p className="empty">No timed requests yet.</p>
      </section>
    )
  }

  const span = view.to - view.from
  const zoomed = span < full.to - full.from
  const act = (w: TimeWindow | null) => setZoom(w && w.to - w.from >= full.to - full.from ? null : w)
  const zoomIn = () => act(zoomWindow(view, full, 0.5, undefined, timeline.bucketMs))
  const zoomOut = () => act(zoomWindow(view, full, 2, undefined, timeline.bucketMs))
  const pan = (dir: number) => act(panWindow(view, full, dir * span * 0.25))
  const onKeyDown = (e: KeyboardEvent) => {
    const keys: Record<string, () => void> = { '+': zoomIn, '=': zoomIn, '-': zoomOut, ArrowLeft: () => pan(-1), ArrowRight: () => pan(1), '0': () => act(null), Home: () => act(null) }
    const run = keys[e.key]
    if (run) {
      e.preventDefault()
      run()
    }
  }
  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0 || (e.target as HTMLElement).closest('button')) return
    drag.current = { x: e.clientX, view }
    e.currentTarget.setPointerCapture?.(e.pointerId)
  }
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    const d = drag.current
    if (!d) return
    const dx = e.clientX - d.x
    act(panWindow(d.view, full, (-dx / Math.max(1, width)) * (d.view.to - d.view.from)))
  }
  const endDrag = () => {
    drag.current = null
  }

  const totals = chart.bins.reduce((acc, b) => ({ total: acc.total + b.total, s5xx: acc.s5xx + b.s5xx }), { total: 0, s5xx: 0 })
  const ticks = Array.from({ length: 5 }, (_, i) => view.from + (span * i) / 4)
  // Times of the visible window carry the date when the window spans days.
  const date = spansDays(view.from, view.to)
  const at = (t: number): string => clock(t, { date })
  const visibleDeploys = (deploys ?? []).filter((d) => d.at >= view.from && d.at <= view.to)
  const focusedDeploy = focus?.kind === 'deploy' ? focus.version : null
  const focusedHealth = focus?.kind === 'health' ? focus.target : null

  return (
    <section className="panel timeline-panel" aria-labelledby="timeline-title" ref={sectionRef}>
      <div className="panel-head">
        <h2 id="timeline-title">Timeline</h2>
        <p className="timeline-summary" data-testid="timeline-summary">
          {count(totals.total)} requests, {count(totals.s5xx)} 5xx{totals.total > 0 ? ` (${percent(totals.s5xx / totals.total)})` : ''} · {at(view.from)} – {at(view.to)} · 1 bar = {duration(chart.binMs)}
        </p>
        <div className="timeline-controls" role="toolbar" aria-label="Timeline zoom">
          <button type="button" className="secondary small" onClick={() => pan(-1)} disabled={!zoomed || view.from <= full.from} aria-label="Pan earlier">
            ←
          </button>
          <button type="button" className="secondary small" onClick={zoomIn} disabled={span <= timeline.bucketMs * 4} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="secondary small" onClick={zoomOut} disabled={!zoomed} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="secondary small" onClick={() => pan(1)} disabled={!zoomed || view.to >= full.to} aria-label="Pan later">
            →
          </button>
          <button type="button" className="secondary small" onClick={() => act(null)} disabled={!zoomed}>
            Show all
          </button>
        </div>
      </div>
      <div
        className="timeline-plot"
        ref={plotRef}
        tabIndex={0}
        role="group"
        aria-label="Timeline chart. Plus and minus zoom, arrow keys pan, 0 shows everything."
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
      >
        <span className="lane-label top">requests</span>
        <span className="lane-label bottom">5xx</span>
        <canvas ref={canvasRef} style={{ width: '100%', height: CHART_HEIGHT }} aria-hidden="true" data-testid="timeline-canvas" />
        {visibleDeploys.map((d) => {
          const isSuspect = suspect?.version === d.version
          const left = pctOf(d.at, view)
          return (
            <button
              key={`${d.version}@${d.at}`}
              type="button"
              // Near the right edge the label goes on the left of its line, so it stays readable.
              className={`deploy-marker${isSuspect ? ' suspect' : ''}${focusedDeploy === d.version ? ' focused' : ''}${left > 85 ? ' flip' : ''}`}
              style={{ left: `${left}%` }}
              data-testid="deploy-marker"
              aria-label={`Deploy ${d.version} at ${at(d.at)}${isSuspect ? ' (suspect)' : ''}`}
              onClick={() => showEvidence({ kind: 'deploy', version: d.version, at: new Date(d.at).toISOString() })}
            >
              <span className="deploy-label">{d.version}</span>
            </button>
          )
        })}
      </div>
      <div className="timeline-axis" aria-hidden="true">
        {ticks.map((t, i) => (
          <span key={i} style={{ left: `${(i / 4) * 100}%` }}>
            {clock(t, { date, zone: false })}
          </span>
        ))}
      </div>
      {(health ?? []).map((h) => {
        const bands = h.bands.filter((b) => b.to > view.from && b.from < view.to)
        const failing = bands.filter((b) => !b.ok)
        return (
          <div
            key={h.target}
            className={`health-row${focusedHealth === h.target ? ' focused' : ''}`}
            data-testid="health-row"
            aria-label={`${h.target}: ${failing.length === 0 ? 'healthy in this window' : `failing ${failing.map((b) => `${at(b.from)}–${at(b.to)}`).join(', ')}`}`}
            role="img"
          >
            <span className="health-name">{h.target}</span>
            <span className="health-track">
              {bands.map((b) => {
                const left = Math.max(0, pctOf(b.from, view))
                const right = Math.min(100, pctOf(b.to, view))
                return (
                  <span
                    key={`${b.from}-${b.ok}`}
                    className={`health-band ${b.ok ? 'ok' : 'bad'}`}
                    style={{ left: `${left}%`, width: `${Math.max(0.3, right - left)}%` }}
                    title={`${h.target} ${b.ok ? 'healthy' : 'failing'} ${at(b.from)}–${at(b.to)}${b.detail ? `: ${b.detail}` : ''}`}
                  />
                )
              })}
            </span>
          </div>
        )
      })}
      <div className="legend" aria-hidden="true">
        <span className="swatch requests" /> requests <span className="swatch s500" /> 500 <span className="swatch s502" /> 502 <span className="swatch s503" /> 503 <span className="swatch s504" /> 504
        <span className="swatch deploy" /> deploy <span className="swatch bad" /> health failing
      </div>
      <details className="timeline-table">
        <summary>Timeline as a table</summary>
        <table>
          <caption className="sr-only">Requests and 5xx per {duration(table.binMs)}</caption>
          <thead>
            <tr>
              <th scope="col">From (UTC)</th>
              <th scope="col">Requests</th>
              <th scope="col">5xx</th>
              <th scope="col">500</th>
              <th scope="col">502</th>
              <th scope="col">503</th>
              <th scope="col">504</th>
            </tr>
          </thead>
          <tbody>
            {table.bins.map((b) => (
              <tr key={b.t}>
                <td>{at(b.t)}</td>
                <td>{count(b.total)}</td>
                <td>{count(b.s5xx)}</td>
                <td>{count(b.s500)}</td>
                <td>{count(b.s502)}</td>
                <td>{count(b.s503)}</td>
                <td>{count(b.s504)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  )
}
